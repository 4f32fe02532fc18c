// The guestbook health panel on the live screen: one GuestbookMonitor for the screen's
// lifetime (started on mount, stopped when the screen unmounts on quit), shared with the
// experiments so their outage windows come from the same probes the panel shows. The panel
// takes the room it is given: the full HealthPanel when it fits, one line per layer when it
// does not, and on a short terminal the verdict and a one-line summary.
import React, {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {createGuestbookMonitor, type GuestbookMonitor} from '../probes/guestbook-monitor.js';
import {historyStrip, type HealthSnapshot, type LayerSnapshot} from '../probes/health-state.js';
import type {ScreenExtensions} from './app.js';
import type {ScreenContext} from './extensions.js';
import {HealthPanel, showsDetail, statusColor, statusWord, verdictColor} from './health-panel.js';
import {clip, fitEnd} from './text-fit.js';
import {makeTheme, type Theme} from './theme.js';

/** The monitor for --app-namespace, probing every --probe-interval; stopped on unmount. */
export function useGuestbookMonitor(context: Pick<ScreenContext, 'config' | 'target'>): GuestbookMonitor {
	const {config, target} = context;
	const [monitor] = useState(() => createGuestbookMonitor(target.connection, {
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

/** At most this many panel redraws a second from probe results (they come 10–100 a second). */
const redrawMs = 100;
/** "for 8s" moves on even when no probe answers. */
const clockMs = 1000;

/** The monitor's snapshot, refreshed on its changes (throttled) and every second. */
function useHealthSnapshot(monitor: GuestbookMonitor): HealthSnapshot {
	const [snapshot, setSnapshot] = useState(() => monitor.snapshot());
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		const refresh = () => {
			timer = undefined;
			setSnapshot(monitor.snapshot());
		};

		const unsubscribe = monitor.onChange(() => {
			timer ??= setTimeout(refresh, redrawMs);
		});
		const clock = setInterval(refresh, clockMs);
		return () => {
			unsubscribe();
			clearInterval(clock);
			clearTimeout(timer);
		};
	}, [monitor]);
	return snapshot;
}

/** Lines the full HealthPanel draws for this snapshot. */
export function fullPanelHeight(snapshot: HealthSnapshot): number {
	const layers = snapshot.layers.reduce((sum, layer) => sum + 2 + (showsDetail(layer) ? 1 : 0), 0);
	return 2 + (snapshot.notice ? 1 : 0) + layers + 1;
}

export function useHealthPanel(monitor: GuestbookMonitor, theme: Theme = makeTheme(false)): ScreenExtensions {
	const snapshot = useHealthSnapshot(monitor);
	return {
		sidePanel: {
			height: fullPanelHeight(snapshot),
			render: ({width, height}) => <FittedHealthPanel snapshot={snapshot} width={width} height={height} theme={theme}/>,
		},
	};
}

/** The full panel when it fits, else the compact one. */
export function FittedHealthPanel({snapshot, width, height, theme}: {snapshot: HealthSnapshot; width: number; height: number; theme: Theme}) {
	if (height >= fullPanelHeight(snapshot)) {
		return <HealthPanel snapshot={snapshot} width={width} theme={theme}/>;
	}

	return <CompactHealthPanel snapshot={snapshot} width={width} height={height} theme={theme}/>;
}

const shortLabels: Record<string, string> = {
	'frontend-endpoints': 'frontend',
	'redis-endpoints': 'redis',
	dns: 'DNS',
	'end-to-end': 'e2e',
	'metrics-api': 'metrics',
};

/**
 * The panel in a few lines: the verdict with its reason, then one line per layer (label,
 * state, history strip) when there is room for all of them, else every layer's state on
 * the lines left.
 */
function CompactHealthPanel({snapshot, width, height, theme}: {snapshot: HealthSnapshot; width: number; height: number; theme: Theme}) {
	const {verdict} = snapshot;
	const headline = (
		<Text wrap="truncate-end">
			<Text color={theme.color('title')} bold>{'App '}</Text>
			<Text color={theme.color(verdictColor[verdict.kind])} bold inverse={!theme.noColor}>{` ${verdict.kind} `}</Text>
			{' '}
			{clip(verdict.reason ?? snapshot.subjectText, Math.max(0, width - verdict.kind.length - 7))}
		</Text>
	);
	if (height <= 1) {
		return headline;
	}

	const rows = height - 1;
	const labelWidth = 12;
	const stateWidth = 8;
	const layerLine = (layer: LayerSnapshot) => (
		<Text key={layer.layer} wrap="truncate-end">
			{fitEnd(shortLabels[layer.layer] ?? layer.label, labelWidth)}
			<Text color={theme.color(statusColor[layer.status])} bold={layer.status === 'failing'}>{fitEnd(statusWord[layer.status], stateWidth)}</Text>
			{' '}
			{historyStrip(layer.cells, Math.max(0, width - labelWidth - stateWidth - 1)).trimStart()}
		</Text>
	);
	if (rows >= snapshot.layers.length) {
		return (
			<Box flexDirection="column" width={width}>
				{headline}
				{snapshot.layers.map(layer => layerLine(layer))}
			</Box>
		);
	}

	// Every layer's state in words on one line, then strips for the layers that matter most:
	// the broken ones, then end to end.
	const shown = [...snapshot.layers]
		.sort((a, b) => priority(a) - priority(b))
		.slice(0, Math.max(0, rows - 1));
	return (
		<Box flexDirection="column" width={width} height={height}>
			{headline}
			<Text wrap="truncate-end">
				{snapshot.layers.map((layer, index) => (
					<LayerWord key={layer.layer} layer={layer} last={index === snapshot.layers.length - 1} theme={theme}/>
				))}
			</Text>
			{snapshot.layers.filter(layer => shown.includes(layer)).map(layer => layerLine(layer))}
		</Box>
	);
}

function priority(layer: LayerSnapshot): number {
	if (layer.status === 'failing') {
		return 0;
	}

	if (layer.status === 'slow' || layer.status === 'unknown') {
		return 1;
	}

	return layer.layer === 'end-to-end' ? 2 : layer.layer === 'dns' ? 3 : 4;
}

function LayerWord({layer, last, theme}: {layer: LayerSnapshot; last: boolean; theme: Theme}) {
	return (
		<Text>
			{`${shortLabels[layer.layer] ?? layer.label} `}
			<Text color={theme.color(statusColor[layer.status])} bold={layer.status === 'failing'}>{statusWord[layer.status]}</Text>
			{last ? '' : ' · '}
		</Text>
	);
}
