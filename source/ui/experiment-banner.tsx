// The experiment as it happens, above the table: what was deleted and the time since t0,
// the OUTAGE counting up while the path is down (then the measured window with its bound),
// the victims going and each replacement's steps from t0. When it is over, the one-line
// result stays. Presentational: it draws a Measurement and the time it is handed.
import React from 'react';
import {Box, Text} from 'ink';
import {
	brokenHop,
	currentOutage,
	outageWindows,
	startedBeforeT0,
	type Measurement,
	type ReplacementTimes,
	type VictimTimes,
} from '../model/measurement.js';
import {layerLabel} from '../probes/catalog.js';
import {whatWasDone} from '../report/experiment-report.js';
import {formatOutage, sinceT0} from '../report/measurement-text.js';
import {chartLegend, timelineChart} from '../report/timeline-chart.js';
import {bigClockText, bigDigitRows, bigDigits, bigDigitsWidth} from './big-digits.js';
import type {Theme} from './theme.js';

/** `00:07.4`: time elapsed, as a stopwatch shows it (header.tsx clockText is the wall clock). */
export function stopwatchText(ms: number): string {
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
function replacementSteps(state: Measurement, replacement: ReplacementTimes, short = false): string {
	const steps = [
		['created', replacement.createdAt],
		[short ? 'sched' : 'scheduled', replacement.scheduledAt],
		[short ? 'run' : 'running', replacement.runningAt],
		['ready', replacement.readyAt],
	] as const;
	const known = steps.filter(([, at]) => at !== undefined).map(([name, at]) => `${name} ${step(state, at)}`);
	const next = steps.find(([, at]) => at === undefined);
	return [...known, ...(next ? [`${next[0]} …`] : [])].join(' · ');
}

/** A victim's latest step: `gone +1.6`, `terminating +0.1`, `deleting …` (the timeline has every step). */
function victimSteps(state: Measurement, victim: VictimTimes): string {
	if (victim.restartsAtT0 !== undefined) {
		return victim.restartedAt === undefined ? 'restarting …' : `restarted, ready ${step(state, victim.restartedAt)}`;
	}

	if (victim.goneAt !== undefined) {
		return `gone ${step(state, victim.goneAt)}`;
	}

	return victim.terminatingAt === undefined ? 'deleting …' : `terminating ${step(state, victim.terminatingAt)}`;
}

/** A node experiment's state in a line: `node …-dvbd NotReady +42.0 · 7 pods not ready · 2 deletes hanging`. */
export function nodeLine(state: Measurement): string {
	const node = state.node;
	if (!node) {
		return '';
	}

	const readiness = node.readyAgainAt !== undefined
		? `Ready again ${step(state, node.readyAgainAt)}`
		: node.notReadyAt !== undefined ? `NotReady ${step(state, node.notReadyAt)}` : node.stopRunningAt === undefined ? 'helper starting …' : 'Ready (grace period …)';
	const notReady = node.podsNotReady.filter(entry => entry.readyAgainAt === undefined).length;
	const hanging = node.hangingDeletes.filter(entry => entry.goneAt === undefined).length;
	const unstarted = node.unstarted.filter(entry => entry.runningAt === undefined).length;
	return [
		`node ${node.name} ${readiness}`,
		`${notReady} pod${notReady === 1 ? '' : 's'} not ready`,
		...(hanging > 0 ? [`${hanging} delete${hanging === 1 ? '' : 's'} hanging`] : []),
		...(unstarted > 0 ? [`${unstarted} pod${unstarted === 1 ? '' : 's'} not started`] : []),
		...(node.kubeletBackAt === undefined ? [] : [`kubelet back ${step(state, node.kubeletBackAt)}`]),
	].join(' · ');
}

/** The window the banner shows when none is open: `outage 8.7 s ± 0.5 s, DNS`. */
function lastWindowText(state: Measurement): string | undefined {
	const windows = outageWindows(state, 'end-to-end').filter(window => !startedBeforeT0(state, window) && window.durationMs !== undefined);
	const last = windows.at(-1);
	if (!last) {
		return undefined;
	}

	const hop = brokenHop(state, last);
	const more = windows.length > 1 ? ` (window ${windows.length})` : '';
	return `outage ${formatOutage(last)}${hop ? `, ${layerLabel(hop)}` : ''}${more}`;
}

/** From this width the victims and replacements stand side by side (≈40 + 80 columns) and the OUTAGE gets a box (≈30). */
const wideBannerFrom = 150;

/** How many victims and replacements the banner lists. */
function listedRows(state: Measurement, podCount: number): number {
	return Math.max(1, Math.min(4, Math.max(podCount, state.victims.length, state.replacements.length)));
}

/**
 * Lines the running banner takes. Wide: a head line over victims | replacements, beside a
 * three-line OUTAGE box. Narrow: the head line, the victims on one line, a line per replacement.
 */
export function runningBannerHeight(state: Measurement, podCount: number, columns: number, bigClock = false): number {
	const rows = listedRows(state, podCount);
	const lines = columns >= wideBannerFrom ? Math.max(3, 1 + rows) : 2 + rows;
	return bigClock ? Math.max(bigClockHeight, lines) : lines;
}

/** The big clock: a title line over the block digits. */
const bigClockHeight = 1 + bigDigitRows;

/** From about 100×30 the screen has room for the big clock beside the banner's lines; --stage makes room from 60×20. */
export function bigClockFits(size: {columns: number; rows: number}, stage: boolean): boolean {
	return stage ? size.columns >= 60 && size.rows >= 20 : size.columns >= 100 && size.rows >= 30;
}

export type RunningBannerProps = {
	state: Measurement;
	/** The component, before t0 is known. */
	component: string;
	now: number;
	height: number;
	columns: number;
	hammerForMs?: number;
	/** Draw the OUTAGE clock in block digits (runningBannerHeight must have been asked with it too). */
	bigClock?: boolean;
	theme: Theme;
};

/** `kube-dns-…-x2v4q`: generated pod names differ only at their end. */
export function shortPodName(name: string, component: string): string {
	const rest = name.startsWith(`${component}-`) ? name.slice(component.length + 1) : undefined;
	const last = rest?.split('-').at(-1);
	return rest && last && last !== rest ? `${component}-…-${last}` : name;
}

type PathNow = {kind: 'outage'; text: string} | {kind: 'window'; text: string} | {kind: 'up'; text: string} | {kind: 'waiting'; text: string};

function pathNow(state: Measurement, now: number): PathNow {
	if (state.t0 === undefined) {
		return {kind: 'waiting', text: 't0 …'};
	}

	const outage = currentOutage(state, now);
	if (outage) {
		return {kind: 'outage', text: `OUTAGE ${stopwatchText(outage.elapsedMs)}`};
	}

	const windowText = lastWindowText(state);
	return windowText ? {kind: 'window', text: windowText} : {kind: 'up', text: 'path up'};
}

function PathText({path, theme}: {path: PathNow; theme: Theme}) {
	switch (path.kind) {
		case 'outage': {
			return <Text bold inverse={!theme.noColor} color={theme.color('bad')}>{` ${path.text} `}</Text>;
		}

		case 'window': {
			return <Text bold color={theme.color('warn')}>{path.text}</Text>;
		}

		case 'up': {
			return <Text color={theme.color('ok')}>{path.text}</Text>;
		}

		case 'waiting': {
			return <Text color={theme.color('muted')}>{path.text}</Text>;
		}
	}
}

const boxColor = {outage: 'bad', window: 'warn', up: 'ok', waiting: 'muted'} as const;

/** Columns the big clock takes: room for `59.9` in block digits, more from a minute on. */
function bigClockWidth(text: string): number {
	return Math.max(bigDigitsWidth('59.9'), bigDigitsWidth(text)) + 2;
}

/**
 * While the path is down: `OUTAGE · DNS` over the seconds in block digits. Otherwise the
 * same place says, in plain words, what the path did (so the banner does not jump).
 */
function BigClock({state, now, path, theme}: {state: Measurement; now: number; path: PathNow; theme: Theme}) {
	const outage = path.kind === 'outage' ? currentOutage(state, now) : undefined;
	if (!outage) {
		return (
			<Box flexDirection="column" justifyContent="center" height={bigClockHeight} width={bigClockWidth('')}>
				<PathText path={path} theme={theme}/>
			</Box>
		);
	}

	const digits = bigClockText(outage.elapsedMs);
	const hop = outage.hop ? ` · ${layerLabel(outage.hop)}` : '';
	return (
		<Box flexDirection="column" height={bigClockHeight} width={bigClockWidth(digits)}>
			<Text bold inverse={!theme.noColor} color={theme.color('bad')} wrap="truncate-end">{` OUTAGE${hop} `}</Text>
			{bigDigits(digits).map((line, index) => <Text key={index} bold color={theme.color('bad')}>{line}</Text>)}
		</Box>
	);
}

export function RunningBanner({state, component, now, height, columns, hammerForMs, bigClock = false, theme}: RunningBannerProps) {
	const started = state.t0 !== undefined;
	const wide = columns >= wideBannerFrom;
	const doing = started ? whatWasDone(state) : 'starting';
	const elapsed = started ? `t0 +${(Math.max(0, now - state.t0!) / 1000).toFixed(1)} s` : 'waiting for a probe answer before t0';
	const hammer = hammerForMs && started && now - state.t0! < hammerForMs
		? ` · hammering until +${(hammerForMs / 1000).toFixed(0)} s${state.repeats ? `, deleted again ${state.repeats}×` : ''}`
		: state.repeats ? ` · deleted again ${state.repeats}×` : '';
	const path = pathNow(state, now);
	// Mirror pods carry the node's name (kube-proxy-gke-demo-default-pool-0dacde9e-dvbd): keep the steps in view.
	const shown = (name: string) => name.length > 32 ? shortPodName(name, state.component || component) : name;
	const rows = Math.max(1, wide ? height - 1 : height - 2);
	const replacements = state.replacements.slice(-rows);
	const hiddenReplacements = state.replacements.length - replacements.length;
	// The elapsed time ticks: a text of its own, so the rest of the line stays one text Ink has
	// already measured (Ink 6 remembers every distinct text for as long as the screen runs).
	const head = (
		<Box>
			<Box flexShrink={0}>
				<Text bold>
					<Text color={theme.color('accent')}>{'▶ '}</Text>
					{`${state.component || component} · `}
				</Text>
				<Text bold>{elapsed}</Text>
			</Box>
			<Text wrap="truncate-end">
				<Text>{` · ${doing}`}</Text>
				<Text color={theme.color('muted')}>{hammer}</Text>
			</Text>
		</Box>
	);
	const replacementLines = (
		<>
			{replacements.map((replacement, index) => (
				<Text key={replacement.uid} wrap="truncate-end">
					<Text color={theme.color('new')} bold>{'+ '}</Text>
					{`${shown(replacement.name)}${replacement.sameNameAsVictim ? ' (same name)' : ''}  `}
					<Text color={theme.color(replacement.readyAt === undefined ? 'warn' : 'ok')}>{replacementSteps(state, replacement, columns < 180)}</Text>
					{index === 0 && hiddenReplacements > 0 ? <Text color={theme.color('muted')}>{` (+${hiddenReplacements} earlier)`}</Text> : null}
				</Text>
			))}
			{replacements.length === 0 && started ? (
				<Text color={theme.color('muted')} wrap="truncate-end">
					{state.action?.kind === 'kill-container' ? 'the pod stays: its container restarts in place' : state.node ? 'no pod bound to the node since t0' : `+ replacement of ${state.component}: not created yet`}
				</Text>
			) : null}
		</>
	);

	if (!wide) {
		const lines = (
			<Box flexDirection="column" flexGrow={1} flexShrink={1} height={height}>
				<Box>
					<Box flexGrow={1} flexShrink={1}>{head}</Box>
					{bigClock ? null : <Box flexShrink={0} marginLeft={1}><PathText path={path} theme={theme}/></Box>}
				</Box>
				<Text wrap="truncate-end">
					{state.node ? <Text color={theme.color('warn')}>{nodeLine(state)}</Text> : null}
					{state.victims.length === 0 && !state.node ? <Text color={theme.color('muted')}>{'✕ …'}</Text> : null}
					{state.victims.map((victim, index) => (
						<Text key={victim.uid}>
							<Text color={theme.color('bad')}>{'✕ '}</Text>
							{`${shortPodName(victim.name, state.component)} `}
							<Text color={theme.color('muted')}>{victimSteps(state, victim)}</Text>
							{index < state.victims.length - 1 ? '  ' : ''}
						</Text>
					))}
				</Text>
				{replacementLines}
			</Box>
		);
		return bigClock
			? (
				<Box flexGrow={1} height={height}>
					{lines}
					<Box flexShrink={0} marginLeft={2}><BigClock state={state} now={now} path={path} theme={theme}/></Box>
				</Box>
			)
			: lines;
	}

	// The latest victims (a hammer keeps adding them), like the latest replacements.
	const victims = state.victims.slice(-rows);
	return (
		<Box flexGrow={1} height={height}>
			<Box flexDirection="column" flexGrow={1} flexShrink={1}>
				{head}
				<Box>
					<Box flexDirection="column" flexShrink={0} marginRight={2}>
						{victims.map(victim => (
							<Text key={victim.uid} wrap="truncate-end">
								<Text color={theme.color('bad')}>{'✕ '}</Text>
								{`${shown(victim.name)}  `}
								<Text color={theme.color('muted')}>{victimSteps(state, victim)}</Text>
							</Text>
						))}
						{state.node ? <Text color={theme.color('warn')} wrap="truncate-end">{nodeLine(state)}</Text> : null}
						{victims.length === 0 && !state.node ? <Text color={theme.color('muted')}>{'✕ …'}</Text> : null}
					</Box>
					<Box flexDirection="column" flexGrow={1} flexShrink={1}>
						{replacementLines}
					</Box>
				</Box>
			</Box>
			{bigClock
				? <Box flexShrink={0} marginLeft={2}><BigClock state={state} now={now} path={path} theme={theme}/></Box>
				: (
					<Box flexShrink={0} marginLeft={1} borderStyle="round" borderColor={theme.color(boxColor[path.kind])} paddingX={1} height={3}>
						<PathText path={path} theme={theme}/>
					</Box>
				)}
		</Box>
	);
}

/** The finished experiment's one line (it may wrap onto a second line on narrow terminals). */
export function ResultBanner({line, failed, height, theme}: {line: string; failed: boolean; height: number; theme: Theme}) {
	return (
		<Box flexGrow={1} height={height}>
			<Text wrap={height > 1 ? 'wrap' : 'truncate-end'}>
				<Text bold color={theme.color(failed ? 'bad' : 'ok')}>{'■ '}</Text>
				<Text bold>{line}</Text>
				<Text color={theme.color('muted')}>{'  (t timeline · e export)'}</Text>
			</Text>
		</Box>
	);
}

/** The experiment's timeline over a shared axis (the `t` view), fitted to `columns`. */
function timelineLines(state: Measurement, columns: number, now: number, maxLines: number): string[] {
	// Pod names differ at their ends: give the labels room before the bars.
	const labelWidth = Math.min(34, Math.max(12, Math.floor(columns * 0.4)));
	// Bars narrower than the line by the last axis label (`+10 s` hangs past the bars).
	const chart = timelineChart(state, {width: Math.max(10, columns - labelWidth - 9), labelWidth, endAt: state.ending ? undefined : now});
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
		<Box flexDirection="column" flexGrow={1} height={height}>
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
