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

/** Probe results (10–100 a second) redraw the panel at most once in this many ms. */
const redrawMs = 100;
/** "for 8s" moves on even when no probe answers. */
const clockMs = 1000;

/**
 * The monitor's snapshot, refreshed on its changes (throttled) and every second: with the
 * screen's store, on the store's own second tick, so that the clock, the ages and "for 8s"
 * move in one frame rather than in two a second.
 */
function useHealthSnapshot(monitor: GuestbookMonitor, store?: ScreenStore): HealthSnapshot {
	const [snapshot, setSnapshot] = useState(() => monitor.snapshot());
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		const refresh = () => {
			clearTimeout(timer);
			timer = undefined;
			setSnapshot(monitor.snapshot());
		};

		const unsubscribe = monitor.onChange(() => {
			timer ??= setTimeout(refresh, redrawMs);
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
