// The guestbook health panel: the path's verdict, then one block per layer (state, time since
// it last changed, latency, history strip, and what is wrong in words). Presentational: it draws
// the snapshot it is handed (probes/health-state.ts selectHealthSnapshot) and nothing else.
// Every state has a word and a glyph, so it reads without colour.
import React from 'react';
import {Box, Text} from 'ink';
import {layerLabel} from '../probes/catalog.js';
import {historyGlyphs, historyStrip, pendingGlyph, type HealthSnapshot, type LayerSnapshot, type LayerStatus, type VerdictKind} from '../probes/health-state.js';
import {clip, fitEnd} from './text-fit.js';
import {makeTheme, type Theme, type ThemeColor} from './theme.js';

export type HealthPanelProps = {
	snapshot: HealthSnapshot;
	/** Columns the panel may use (default 60). */
	width?: number;
	theme?: Theme;
};

// Shared with the compact panel (fitted-health-panel.tsx), so both read the same.
export const verdictColor: Record<VerdictKind, ThemeColor> = {UP: 'ok', SLOW: 'warn', DOWN: 'bad', UNKNOWN: 'muted'};

export const statusWord: Record<LayerStatus, string> = {ok: 'ok', slow: 'slow', failing: 'FAILING', unknown: 'unknown', waiting: 'waiting'};

export const statusColor: Record<LayerStatus, ThemeColor> = {ok: 'ok', slow: 'warn', failing: 'bad', unknown: 'muted', waiting: 'muted'};

/** Whether a layer's block has a third line, what is wrong in words (fullPanelHeight counts it). */
function showsDetail(layer: LayerSnapshot): boolean {
	return Boolean(layer.detail) && layer.status !== 'ok' && layer.status !== 'waiting';
}

/**
 * How to install a guestbook, the command whole: a flag goes on a continuation line (` \`), so
 * the narrowest side panel (42 columns) shows all of it and a pasted copy still runs as one.
 */
export function installLines(command: string): string[] {
	const flag = command.indexOf(' --');
	return flag < 0
		? ['install it with:', `  ${command}`]
		: ['install it with:', `  ${command.slice(0, flag)} \\`, `    ${command.slice(flag + 1)}`];
}

/** Lines the full HealthPanel draws for this snapshot. */
export function fullPanelHeight(snapshot: HealthSnapshot): number {
	const layers = snapshot.layers.reduce((sum, layer) => sum + 2 + (showsDetail(layer) ? 1 : 0), 0);
	return 2 + (snapshot.installCommand ? installLines(snapshot.installCommand).length : 0) + layers + 1;
}

const labelWidth = 19;
const statusWidth = 8;

export function HealthPanel({snapshot, width = 60, theme = makeTheme(false)}: HealthPanelProps) {
	const {verdict} = snapshot;
	const inner = Math.max(20, width);
	return (
		<Box flexDirection="column" width={inner}>
			<Text color={theme.color('title')} bold wrap="truncate-end">
				{clip(`App health · ${snapshot.subjectText}`, inner)}
			</Text>
			<Text wrap="truncate-end">
				<Text color={theme.color(verdictColor[verdict.kind])} bold inverse={!theme.noColor}>
					{` ${verdict.kind} `}
				</Text>
				{verdict.reason ? ` ${clip(verdict.reason, inner - verdict.kind.length - 3)}` : ''}
			</Text>
			{snapshot.installCommand
				? installLines(snapshot.installCommand).map(line => (
					<Text key={line} color={theme.color('accent')} wrap="truncate-end">
						{clip(line, inner)}
					</Text>
				))
				: null}
			{snapshot.layers.map(layer => (
				<LayerBlock key={layer.layer} layer={layer} width={inner} theme={theme} />
			))}
			<Text color={theme.color('muted')} wrap="truncate-end">
				{clip(`${historyGlyphs.ok} ok  ${historyGlyphs.slow} slow  ${historyGlyphs.fail} fail  ${historyGlyphs.unknown} unknown  ${pendingGlyph} waiting`, inner)}
			</Text>
		</Box>
	);
}

function LayerBlock({layer, width, theme}: {layer: LayerSnapshot; width: number; theme: Theme}) {
	const since = layer.sinceMs === undefined ? '' : `for ${formatSince(layer.sinceMs)}`;
	const latency = layer.latencyMs === undefined ? '' : formatLatency(layer.latencyMs);
	const rest = Math.max(0, width - labelWidth - statusWidth - 2);
	return (
		<Box flexDirection="column">
			{/* How long and how fast change every second: texts of their own (see pod-table.tsx's AGE). */}
			<Box>
				<Text wrap="truncate-end">
					{fitEnd(layerLabel(layer.layer), labelWidth)}
					<Text color={theme.color(statusColor[layer.status])} bold={layer.status === 'failing'}>
						{fitEnd(statusWord[layer.status], statusWidth)}
					</Text>
					{'  '}
				</Text>
				<Text color={theme.color('muted')} wrap="truncate-end">{clip(since, rest)}</Text>
				{latency ? <Text color={theme.color('muted')} wrap="truncate-end">{clip(`${since ? '  ' : ''}${latency}`, Math.max(0, rest - since.length))}</Text> : null}
			</Box>
			<Text wrap="truncate-end">{historyStrip(layer.cells, width)}</Text>
			{showsDetail(layer) ? (
				<Text color={theme.color(statusColor[layer.status])} wrap="truncate-end">
					{clip(`  ${layer.detail}`, width)}
				</Text>
			) : null}
		</Box>
	);
}

/** "8s", "3m12s", "1h4m": how long a layer has been in its state. */
export function formatSince(ms: number): string {
	const seconds = Math.floor(ms / 1000);
	if (seconds < 60) {
		return `${seconds}s`;
	}

	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
	}

	return `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}

function formatLatency(ms: number): string {
	return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}
