// The guestbook health panel on the live screen: it draws the lab's monitor (started by the
// composition root, stopped when the lab closes on quit), the probes the experiments measure
// their outage windows with. The panel asks for the full panel's height and takes the room
// it is given (fitted-health-panel.tsx).
import React, {useEffect, useState} from 'react';
import type {GuestbookMonitor} from '../probes/guestbook-monitor.js';
import type {HealthSnapshot} from '../probes/health-state.js';
import type {Clock, Timer} from '../time/clock.js';
import type {ScreenExtensions} from './app.js';
import {FittedHealthPanel} from './fitted-health-panel.js';
import {fullPanelHeight} from './health-panel.js';
import type {ScreenContext} from './screen-context.js';
import type {ScreenStore} from './screen-store.js';
import {makeTheme} from './theme.js';

/** A probe result that changes what the panel says (a layer's status, the verdict) is drawn within this many ms. */
const redrawMs = 100;
/** "for 8s" moves on even when no probe answers. */
const clockMs = 1000;

/** What a probe result must change to be drawn before the next second: the words, not the numbers. */
function statusesOf(snapshot: HealthSnapshot): string {
	return [snapshot.subjectText, snapshot.verdict.kind, snapshot.verdict.reason, snapshot.installCommand, ...snapshot.layers.map(layer => `${layer.status} ${layer.detail ?? ''}`)].join('\n');
}

/**
 * The monitor's snapshot, refreshed with the store's second and, within redrawMs, on a probe
 * result that changes a layer's status or the verdict: with probes every 500 ms, latencies
 * and history cells moved the panel (and so the whole screen) three to five times a second;
 * now they move with the store's own tick, so the clock, the ages and "for 8s" move in one frame.
 */
function useHealthSnapshot(monitor: GuestbookMonitor, store: ScreenStore, clock: Clock): HealthSnapshot {
	const [snapshot, setSnapshot] = useState(() => monitor.snapshot());
	useEffect(() => {
		let timer: Timer | undefined;
		let shown = statusesOf(monitor.snapshot());
		const refresh = () => {
			timer?.cancel();
			timer = undefined;
			const next = monitor.snapshot();
			shown = statusesOf(next);
			setSnapshot(next);
		};

		const unsubscribe = monitor.onChange(() => {
			if (!timer && statusesOf(monitor.snapshot()) !== shown) {
				timer = clock.after(redrawMs, refresh);
			}
		});
		let second = Math.floor(store.getState().now / clockMs);
		const unsubscribeClock = store.subscribe(() => {
			const now = Math.floor(store.getState().now / clockMs);
			if (now !== second) {
				second = now;
				refresh();
			}
		});
		return () => {
			unsubscribe();
			unsubscribeClock();
			timer?.cancel();
		};
	}, [monitor, store, clock]);
	return snapshot;
}

export function useHealthPanel(context: Pick<ScreenContext, 'lab' | 'store' | 'clock' | 'theme'>): ScreenExtensions {
	const {lab, store, clock, theme = makeTheme(false)} = context;
	const snapshot = useHealthSnapshot(lab.monitor, store, clock);
	return {
		sidePanel: {
			height: fullPanelHeight(snapshot),
			render: ({width, height}) => <FittedHealthPanel snapshot={snapshot} width={width} height={height} theme={theme}/>,
		},
	};
}
