// The health panel in the room the layout gives it: the full HealthPanel when it fits, one
// line per layer when it does not, and on a short terminal the verdict and a one-line summary.
import React from 'react';
import {Box, Text} from 'ink';
import {probeCatalog, shortLayerLabel} from '../probes/catalog.js';
import {historyStrip, type HealthSnapshot, type LayerSnapshot} from '../probes/health-state.js';
import {fullPanelHeight, HealthPanel, installLines, statusColor, statusWord, verdictColor} from './health-panel.js';
import {clip, fitEnd} from './text-fit.js';
import type {Theme} from './theme.js';

/** The full panel when it fits, else the compact one. */
export function FittedHealthPanel({snapshot, width, height, theme}: {snapshot: HealthSnapshot; width: number; height: number; theme: Theme}) {
	if (height >= fullPanelHeight(snapshot)) {
		return <HealthPanel snapshot={snapshot} width={width} theme={theme}/>;
	}

	return <CompactHealthPanel snapshot={snapshot} width={width} height={height} theme={theme}/>;
}

/**
 * The panel in a few lines: the verdict with its reason, how to install a guestbook when there
 * is none (on one line when it fits), then one line per layer (label, state, history strip)
 * when there is room for all of them, else every layer's state on the lines left.
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

	const install = snapshot.installCommand ? compactInstallLines(snapshot.installCommand, width, height - 1) : [];
	const installText = install.map(line => (
		<Text key={line} color={theme.color('accent')} wrap="truncate-end">{clip(line, width)}</Text>
	));
	const rows = height - 1 - install.length;
	if (rows <= 0) {
		return (
			<Box flexDirection="column" width={width}>
				{headline}
				{installText}
			</Box>
		);
	}

	const labelWidth = 12;
	const stateWidth = 8;
	// The strip moves with every probe: a text of its own (see pod-table.tsx's AGE).
	const layerLine = (layer: LayerSnapshot) => (
		<Box key={layer.layer}>
			<Text>
				{fitEnd(shortLayerLabel(layer.layer), labelWidth)}
				<Text color={theme.color(statusColor[layer.status])} bold={layer.status === 'failing'}>{fitEnd(statusWord[layer.status], stateWidth)}</Text>
				{' '}
			</Text>
			<Text wrap="truncate-end">{historyStrip(layer.cells, Math.max(0, width - labelWidth - stateWidth - 1)).trimStart()}</Text>
		</Box>
	);
	if (rows >= snapshot.layers.length) {
		return (
			<Box flexDirection="column" width={width}>
				{headline}
				{installText}
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
			{installText}
			<Text wrap="truncate-end">
				{snapshot.layers.map((layer, index) => (
					<LayerWord key={layer.layer} layer={layer} last={index === snapshot.layers.length - 1} theme={theme}/>
				))}
			</Text>
			{snapshot.layers.filter(layer => shown.includes(layer)).map(layer => layerLine(layer))}
		</Box>
	);
}

/** How to install a guestbook in at most `room` lines: one when it fits, else the command before its lead-in. */
function compactInstallLines(command: string, width: number, room: number): string[] {
	const oneLine = `install it with: ${command}`;
	if (oneLine.length <= width) {
		return [oneLine];
	}

	const lines = installLines(command);
	return lines.length > room ? lines.slice(1, 1 + room) : lines;
}

function priority(layer: LayerSnapshot): number {
	if (layer.status === 'failing') {
		return 0;
	}

	if (layer.status === 'slow' || layer.status === 'unknown') {
		return 1;
	}

	return probeCatalog[layer.layer].compactRank;
}

function LayerWord({layer, last, theme}: {layer: LayerSnapshot; last: boolean; theme: Theme}) {
	return (
		<Text>
			{`${shortLayerLabel(layer.layer)} `}
			<Text color={theme.color(statusColor[layer.status])} bold={layer.status === 'failing'}>{statusWord[layer.status]}</Text>
			{last ? '' : ' · '}
		</Text>
	);
}
