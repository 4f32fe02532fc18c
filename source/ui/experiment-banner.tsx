// The experiment as it happens, above the table: what was deleted and the time since t0,
// the OUTAGE counting up while the path is down (then the measured window with its bound),
// the victims going and each replacement's steps from t0. When it is over, the one-line
// result stays. Presentational: it draws a Measurement and the time it is handed.
import React from 'react';
import {Box, Text} from 'ink';
import {
	actionText,
	brokenHop,
	currentOutage,
	formatOutage,
	layerLabel,
	outageWindows,
	sinceT0,
	startedBeforeT0,
	type Measurement,
	type ReplacementTimes,
	type VictimTimes,
} from '../model/measurement.js';
import {chartLegend, timelineChart} from '../report/timeline-chart.js';
import type {Theme} from './theme.js';

/** `00:07.4` */
export function clockText(ms: number): string {
	const tenths = Math.floor(Math.max(0, ms) / 100);
	const minutes = Math.floor(tenths / 600);
	const seconds = Math.floor((tenths % 600) / 10);
	return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${tenths % 10}`;
}

/** `+0.3` (seconds from t0, short, for the step lists). */
function step(state: Measurement, at: number | undefined): string | undefined {
	return sinceT0(state, at)?.replace(' s', '');
}

/** `created +0.3 s · scheduled +0.4 · running +1.5 · ready +4.5` */
export function replacementSteps(state: Measurement, replacement: ReplacementTimes): string {
	const steps = [
		['created', replacement.createdAt],
		['scheduled', replacement.scheduledAt],
		['running', replacement.runningAt],
		['ready', replacement.readyAt],
	] as const;
	const known = steps.filter(([, at]) => at !== undefined).map(([name, at]) => `${name} ${step(state, at)}`);
	const next = steps.find(([, at]) => at === undefined);
	return [...known, ...(next ? [`${next[0]} …`] : [])].join(' · ');
}

/** `kube-dns-…-x2v terminating +0.1 · gone +1.6` */
export function victimSteps(state: Measurement, victim: VictimTimes): string {
	if (victim.restartsAtT0 !== undefined) {
		return victim.restartedAt === undefined ? 'restarting …' : `restarted, ready ${step(state, victim.restartedAt)}`;
	}

	const parts: string[] = [];
	if (victim.terminatingAt !== undefined) {
		parts.push(`terminating ${step(state, victim.terminatingAt)}`);
	}

	parts.push(victim.goneAt === undefined ? (victim.terminatingAt === undefined ? 'deleting …' : 'gone …') : `gone ${step(state, victim.goneAt)}`);
	return parts.join(' · ');
}

/** The window the banner shows when none is open: `outage 8.7 s ± 0.5 s, DNS`. */
export function lastWindowText(state: Measurement): string | undefined {
	const windows = outageWindows(state, 'end-to-end').filter(window => !startedBeforeT0(state, window) && window.durationMs !== undefined);
	const last = windows.at(-1);
	if (!last) {
		return undefined;
	}

	const hop = brokenHop(state, last);
	const more = windows.length > 1 ? ` (window ${windows.length})` : '';
	return `outage ${formatOutage(last)}${hop ? `, ${layerLabel(hop)}` : ''}${more}`;
}

/** Lines the running banner takes: a head line, then victims and replacements side by side. */
export function runningBannerHeight(state: Measurement, podCount: number): number {
	return 1 + Math.max(1, Math.min(4, Math.max(podCount, state.victims.length, state.replacements.length)));
}

export type RunningBannerProps = {
	state: Measurement;
	/** What the person chose, before t0 is known (e.g. `delete pod …`). */
	what: string;
	now: number;
	height: number;
	hammerForMs?: number;
	theme: Theme;
};

export function RunningBanner({state, what, now, height, hammerForMs, theme}: RunningBannerProps) {
	const started = state.t0 !== undefined;
	const doing = started && state.action ? actionText(state.action, state.component, state.victims) : what;
	const elapsed = started ? `t0 +${((now - state.t0!) / 1000).toFixed(1)} s` : 'waiting for a probe answer before t0 …';
	const hammer = hammerForMs && started && now - state.t0! < hammerForMs
		? ` · hammering until +${(hammerForMs / 1000).toFixed(0)} s${state.repeats ? ` (deleted again ${state.repeats}×)` : ''}`
		: state.repeats ? ` · deleted again ${state.repeats}×` : '';
	const outage = started ? currentOutage(state, now) : undefined;
	const windowText = started ? lastWindowText(state) : undefined;
	const rows = Math.max(1, height - 1);
	const victims = state.victims.slice(0, rows);
	const replacements = state.replacements.slice(-rows);
	const hiddenReplacements = state.replacements.length - replacements.length;
	return (
		<Box flexDirection="column" height={height}>
			<Box>
				<Box flexGrow={1} flexShrink={1}>
					<Text wrap="truncate-end">
						<Text bold color={theme.color('accent')}>{'▶ '}</Text>
						<Text bold>{doing}</Text>
						<Text color={theme.color('muted')}>{` · ${elapsed}${hammer}`}</Text>
					</Text>
				</Box>
				<Box flexShrink={0} marginLeft={1}>
					{outage ? (
						<Text bold inverse={!theme.noColor} color={theme.color('bad')}>
							{` OUTAGE ${clockText(outage.elapsedMs)} `}
						</Text>
					) : windowText ? (
						<Text bold color={theme.color('warn')}>{windowText}</Text>
					) : started ? (
						<Text color={theme.color('ok')}>{'path up'}</Text>
					) : null}
				</Box>
			</Box>
			<Box>
				<Box flexDirection="column" width="45%" flexShrink={0}>
					{victims.map(victim => (
						<Text key={victim.uid} wrap="truncate-end">
							<Text color={theme.color('bad')}>{'✕ '}</Text>
							{`${victim.name} `}
							<Text color={theme.color('muted')}>{victimSteps(state, victim)}</Text>
						</Text>
					))}
					{victims.length === 0 ? <Text color={theme.color('muted')}>{'✕ …'}</Text> : null}
				</Box>
				<Box flexDirection="column" flexGrow={1} flexShrink={1} marginLeft={1}>
					{replacements.map((replacement, index) => (
						<Text key={replacement.uid} wrap="truncate-end">
							<Text color={theme.color('new')} bold>{'+ '}</Text>
							{`${replacement.name}${replacement.sameNameAsVictim ? ' (same name)' : ''} `}
							<Text color={theme.color(replacement.readyAt === undefined ? 'warn' : 'ok')}>{replacementSteps(state, replacement)}</Text>
							{index === 0 && hiddenReplacements > 0 ? <Text color={theme.color('muted')}>{` (+${hiddenReplacements} earlier)`}</Text> : null}
						</Text>
					))}
					{replacements.length === 0 && started ? <Text color={theme.color('muted')}>{`+ replacement of ${state.component}: not yet created`}</Text> : null}
				</Box>
			</Box>
		</Box>
	);
}

/** The finished experiment's one line (it may wrap onto a second line on narrow terminals). */
export function ResultBanner({line, failed, height, theme}: {line: string; failed: boolean; height: number; theme: Theme}) {
	return (
		<Box height={height}>
			<Text wrap={height > 1 ? 'wrap' : 'truncate-end'}>
				<Text bold color={theme.color(failed ? 'bad' : 'ok')}>{'■ '}</Text>
				<Text bold>{line}</Text>
				<Text color={theme.color('muted')}>{'  (t timeline · e export)'}</Text>
			</Text>
		</Box>
	);
}

/** The experiment's timeline over a shared axis (the `t` view), fitted to `columns`. */
export function timelineLines(state: Measurement, columns: number, now: number, maxLines: number): string[] {
	const labelWidth = Math.min(34, Math.max(12, Math.floor(columns * 0.3)));
	const chart = timelineChart(state, {width: Math.max(10, columns - labelWidth - 3), labelWidth, endAt: state.ending ? undefined : now});
	if (chart.length === 0) {
		return ['the experiment has not reached t0 yet'];
	}

	if (chart.length + 1 <= maxLines && chartLegend.length <= columns) {
		return [...chart, chartLegend];
	}

	// Too many rows: keep the axis and the probe rows (the bottom), drop replacements from the top.
	return chart.length <= maxLines ? chart : chart.slice(chart.length - maxLines);
}

export function TimelineOverlay({state, title, columns, height, now, theme}: {state: Measurement; title: string; columns: number; height: number; now: number; theme: Theme}) {
	const lines = timelineLines(state, columns, now, Math.max(1, height - 1));
	return (
		<Box flexDirection="column" height={height}>
			<Text wrap="truncate-end">
				<Text bold color={theme.color('title')}>{'timeline '}</Text>
				<Text>{title}</Text>
				<Text color={theme.color('muted')}>{'  (t or Esc closes)'}</Text>
			</Text>
			{lines.map((line, index) => <Text key={index} wrap="truncate-end">{line}</Text>)}
		</Box>
	);
}

/** Lines the `t` view wants: a title, every chart row, the axis and the legend. */
export function timelineHeight(state: Measurement): number {
	const layers = new Set(state.probes.map(result => result.layer)).size;
	return 1 + state.victims.length + state.replacements.length + layers + 1 + 1;
}
