// The guestbook health panel on the live screen: one GuestbookMonitor for the screen's
// lifetime (started on mount, stopped when the screen unmounts on quit), shared with the
// experiments so their outage windows come from the same probes the panel shows. The panel
// asks for the full panel's height and takes the room it is given (fitted-health-panel.tsx).
import React, {useEffect, useState} from 'react';
import {createGuestbookMonitor, type GuestbookMonitor} from '../probes/guestbook-monitor.js';
import type {HealthSnapshot} from '../probes/health-state.js';
import type {ScreenExtensions} from './app.js';
import type {ScreenContext} from './extensions.js';
import {FittedHealthPanel} from './fitted-health-panel.js';
import {fullPanelHeight} from './health-panel.js';
import type {ScreenStore} from './screen-store.js';
import {makeTheme, type Theme} from './theme.js';

/** The monitor for --app-namespace, probing every --probe-interval; stopped on unmount. */
export function useGuestbookMonitor(context: Pick<ScreenContext, 'config' | 'connection'>): GuestbookMonitor {
	const {config, connection} = context;
	const [monitor] = useState(() => createGuestbookMonitor(connection, {
		namespace: config.appNamespace,
		intervalMs: config.probeIntervalMs,
		timeoutMs: config.probeTimeoutMs,
		target: config.probeTarget,
		// The function probe of metrics-server, as `kill` and `sweep` run it.
		metricsApi: config.probeTarget === undefined,
	}));
	useEffect(() => {
		monitor.start();
		return () => {
			monitor.stop();
		};
	}, [monitor]);
	return monitor;
}

/** A probe result that changes what the panel says (a layer's status, the verdict) is drawn within this many ms. */
const redrawMs = 100;
/** "for 8s" moves on even when no probe answers. */
const clockMs = 1000;

/** What a probe result must change to be drawn before the next second: the words, not the numbers. */
function statusesOf(snapshot: HealthSnapshot): string {
	return [snapshot.subjectText, snapshot.verdict.kind, snapshot.verdict.reason, snapshot.installCommand, ...snapshot.layers.map(layer => `${layer.status} ${layer.detail ?? ''}`)].join('\n');
}

/**
 * The monitor's snapshot, refreshed every second and, within redrawMs, on a probe result
 * that changes a layer's status or the verdict: with probes every 500 ms, latencies and
 * history cells moved the panel (and so the whole screen) three to five times a second;
 * now they move with the clock. With the screen's store, the second is the store's own
 * tick, so the clock, the ages and "for 8s" move in one frame.
 */
function useHealthSnapshot(monitor: GuestbookMonitor, store?: ScreenStore): HealthSnapshot {
	const [snapshot, setSnapshot] = useState(() => monitor.snapshot());
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		let shown = statusesOf(monitor.snapshot());
		const refresh = () => {
			clearTimeout(timer);
			timer = undefined;
			const next = monitor.snapshot();
			shown = statusesOf(next);
			setSnapshot(next);
		};

		const unsubscribe = monitor.onChange(() => {
			if (!timer && statusesOf(monitor.snapshot()) !== shown) {
				timer = setTimeout(refresh, redrawMs);
			}
		});
		let second = store ? Math.floor(store.getState().now / clockMs) : 0;
		const unsubscribeClock = store
			? store.subscribe(() => {
				const now = Math.floor(store.getState().now / clockMs);
				if (now !== second) {
					second = now;
					refresh();
				}
			})
			: undefined;
		const clock = store ? undefined : setInterval(refresh, clockMs);
		return () => {
			unsubscribe();
			unsubscribeClock?.();
			clearInterval(clock);
			clearTimeout(timer);
		};
	}, [monitor, store]);
	return snapshot;
}

export function useHealthPanel(monitor: GuestbookMonitor, theme: Theme = makeTheme(false), store?: ScreenStore): ScreenExtensions {
	const snapshot = useHealthSnapshot(monitor, store);
	return {
		sidePanel: {
			height: fullPanelHeight(snapshot),
			render: ({width, height}) => <FittedHealthPanel snapshot={snapshot} width={width} height={height} theme={theme}/>,
		},
	};
}
