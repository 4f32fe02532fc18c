// A finished experiment as a stable JSON document (README: "knockdown kill --json"), as
// one line of result, and as Markdown. Every time is measurement.md's, relative to t0.
import type {ExperimentRecord, MeasuredOn} from '../experiment/engine.js';
import {
	allDegradedWindows,
	allOutageWindows,
	brokenHop,
	outageWindows,
	probesInside,
	timelineInOrder,
	type Measurement,
	type OutageWindow,
	type TimelineEntry,
	type Verdict,
} from '../model/measurement.js';
import {functionLayerOf, layerLabel, pathLayers} from '../probes/catalog.js';
import type {ProbeLayer, ProbeResult} from '../probes/types.js';
import {entryText, failureText, formatOutage, missingTexts, seconds, sinceT0, sinceT0Text, verdictWithWhy} from './measurement-text.js';
import {chartLegend, timelineChart} from './timeline-chart.js';

export const experimentSchema = 'knockdown.experiment/v1';

export type OutageJson = {
	layer: ProbeLayer;
	/** F0 − t0: the first failed probe's send time. */
	startMs: number;
	/** L1 − t0: the first ok probe after the run; null while still down when the experiment ended. */
	endMs: number | null;
	/** L1 − F0 */
	durationMs: number | null;
	/** The true outage lies in [durationMs − uncertaintyMs, durationMs + uncertaintyMs] (precisely in [minMs, maxMs]). */
	uncertaintyMs: number | null;
	/** F1 − F0 */
	minMs: number;
	/** L1 − L0 (null without an ok probe before the run) */
	maxMs: number | null;
	failures: number;
	detail: string | null;
};

/** A run of one outcome (slow, unknown) of one layer's probes: [first such probe sent, first other probe sent). */
export type ProbeRunJson = {startMs: number; endMs: number | null};

/** What a layer's probes saw besides failures: how many there were, when, and their slow and unknown runs. */
export type ProbeLayerJson = {
	layer: ProbeLayer;
	probes: number;
	firstMs: number;
	lastMs: number;
	slow: ProbeRunJson[];
	unknown: ProbeRunJson[];
};

/** A degraded window: probes answered correctly but late (SLOW), with the same bounds as an outage. */
export type DegradationJson = Omit<OutageJson, 'failures'> & {
	/** How many slow answers the window holds. */
	slowProbes: number;
};

export type VictimJson = {name: string; uid: string; node: string | null; terminatingMs: number | null; goneMs: number | null};

export type ReplacementJson = {
	name: string;
	uid: string;
	node: string | null;
	createdMs: number;
	scheduledMs: number | null;
	runningMs: number | null;
	readyMs: number | null;
	/** A mirror pod recreated by the kubelet: the same name as a victim, a new UID. */
	sameNameAsVictim: boolean;
};

export type ExperimentJson = {
	schema: typeof experimentSchema;
	/** Which context, API server, namespace and knockdown version measured it (null when not known). */
	measuredOn: MeasuredOn | null;
	namespace: string;
	component: string;
	/** deployment/kube-dns, daemonset/…, static/kube-proxy, pod/… */
	componentKey: string;
	action: 'delete-pod' | 'delete-pods' | 'delete-workload' | 'kill-container' | 'stop-kubelet' | 'stop-static-pod';
	/** Epoch ms when the action's request was sent. */
	t0: number;
	/** When the API server answered the request. */
	answeredMs: number | null;
	verdict: Verdict;
	/** The one result line (`kube-dns · 2 pods deleted · service outage 5.5 s ± 0.5 s (DNS) · …`). */
	result: string;
	/** The component's own function (`DNS down 5.5 s ± 0.5 s`, `DNS never failed`), when it has a function probe. */
	functionImpact: string | null;
	/** Why, for unknown and not-recovered. */
	verdictReason: string | null;
	/** Ready pods just before t0; recovery means this many again. */
	desired: number;
	/** Every layer's windows (end-to-end, dns, endpoints, metrics-api), in path order. */
	outages: OutageJson[];
	/** Sum of the end-to-end windows (null when there were none). */
	serviceOutageMs: number | null;
	/** Every probed layer, in path order: probe count, first and last send time, slow and unknown runs. */
	probeLayers: ProbeLayerJson[];
	/** Every layer's degraded (SLOW) windows, in path order. */
	degradations: DegradationJson[];
	/** The hop that broke during the first end-to-end window. */
	brokenHop: ProbeLayer | null;
	/** The component's function probe (dns for kube-dns, metrics-api for metrics-server), if any. */
	functionLayer: ProbeLayer | null;
	victims: VictimJson[];
	replacements: ReplacementJson[];
	firstReplacementReadyMs: number | null;
	recoveredMs: number | null;
	workloadGoneMs?: number | null;
	workloadBackMs?: number | null;
	/** When the experiment was over, and why. */
	endedMs: number | null;
	ending: 'settled' | 'time-limit' | 'action-failed' | 'api-server-lost' | 'interrupted';
	/** At the time limit: what was still missing. */
	missing: string[];
	/** End-to-end probes answered inside the experiment. */
	probeCount: number;
	timeline: Array<{atMs: number; text: string}>;
	/** stop-kubelet and stop-static-pod: the node, and (stop-kubelet) what happened on it. */
	node?: NodeJson;
};

export type NodeJson = {
	name: string;
	forMs: number;
	stopRunningMs?: number | null;
	notReadyMs?: number | null;
	readyAgainMs?: number | null;
	kubeletBackMs?: number | null;
	podsNotReady?: Array<{name: string; atMs: number; readyAgainMs: number | null}>;
	hangingDeletes?: Array<{name: string; sinceMs: number; goneMs: number | null; duringNotReady: boolean}>;
	unstarted?: Array<{name: string; sinceMs: number; runningMs: number | null}>;
};

function nodeJson(state: Measurement): NodeJson | undefined {
	const action = state.action;
	if (action?.kind === 'stop-static-pod') {
		return {name: action.node, forMs: action.forMs};
	}

	const node = state.node;
	if (!node) {
		return undefined;
	}

	return {
		name: node.name,
		forMs: node.forMs,
		stopRunningMs: relative(state, node.stopRunningAt),
		notReadyMs: relative(state, node.notReadyAt),
		readyAgainMs: relative(state, node.readyAgainAt),
		kubeletBackMs: relative(state, node.kubeletBackAt),
		podsNotReady: node.podsNotReady.map(entry => ({name: entry.name, atMs: relative(state, entry.at) ?? 0, readyAgainMs: relative(state, entry.readyAgainAt)})),
		hangingDeletes: node.hangingDeletes.map(entry => ({name: entry.name, sinceMs: relative(state, entry.since) ?? 0, goneMs: relative(state, entry.goneAt), duringNotReady: entry.duringNotReady})),
		unstarted: node.unstarted.map(entry => ({name: entry.name, sinceMs: relative(state, entry.since) ?? 0, runningMs: relative(state, entry.runningAt)})),
	};
}

function relative(state: Measurement, at: number | undefined): number | null {
	return at === undefined || state.t0 === undefined ? null : Math.round(at - state.t0);
}

function outageJson(state: Measurement, window: OutageWindow): OutageJson {
	return {
		layer: window.layer,
		startMs: relative(state, window.firstFailAt) ?? 0,
		endMs: relative(state, window.firstOkAfterAt),
		durationMs: window.durationMs ?? null,
		uncertaintyMs: window.uncertaintyMs ?? null,
		minMs: window.minMs,
		maxMs: window.maxMs ?? null,
		failures: window.failures,
		detail: window.detail ?? null,
	};
}

/** Runs of probes with this outcome, by send time: [first of the run, first probe after it). */
function outcomeRuns(state: Measurement, results: ProbeResult[], outcome: ProbeResult['outcome']): ProbeRunJson[] {
	const runs: ProbeRunJson[] = [];
	let open: ProbeRunJson | undefined;
	for (const result of results) {
		if (result.outcome === outcome) {
			open ??= {startMs: relative(state, result.sentAt) ?? 0, endMs: null};
		} else if (open) {
			runs.push({...open, endMs: relative(state, result.sentAt)});
			open = undefined;
		}
	}

	return open ? [...runs, open] : runs;
}

function probeLayersJson(state: Measurement): ProbeLayerJson[] {
	const layers = [...new Set([...pathLayers, ...state.probes.map(result => result.layer)])];
	return layers.flatMap(layer => {
		const results = state.probes.filter(result => result.layer === layer);
		if (results.length === 0) {
			return [];
		}

		return [{
			layer,
			probes: results.length,
			firstMs: relative(state, results[0].sentAt) ?? 0,
			lastMs: relative(state, results.at(-1)!.sentAt) ?? 0,
			slow: outcomeRuns(state, results, 'slow'),
			unknown: outcomeRuns(state, results, 'unknown'),
		}];
	});
}

export function firstReplacementReadyAt(state: Measurement): number | undefined {
	const times = state.replacements.map(replacement => replacement.readyAt).filter((at): at is number => at !== undefined);
	return times.length === 0 ? undefined : Math.min(...times);
}

export function serviceOutage(state: Measurement): {totalMs: number; uncertaintyMs: number; windows: OutageWindow[]; hop?: ProbeLayer; open: boolean} | undefined {
	const windows = outageWindows(state, 'end-to-end');
	if (windows.length === 0) {
		return undefined;
	}

	const totalMs = windows.reduce((sum, window) => sum + (window.durationMs ?? window.minMs), 0);
	const uncertaintyMs = windows.reduce((sum, window) => sum + (window.uncertaintyMs ?? 0), 0);
	return {totalMs, uncertaintyMs, windows, hop: brokenHop(state, windows[0]), open: windows.some(window => window.durationMs === undefined)};
}

export function experimentJson(record: ExperimentRecord): ExperimentJson {
	const state = record.measurement;
	const {verdict, why} = verdictWithWhy(state);
	const outage = serviceOutage(state);
	const functionLayer = functionLayerOf(state.component);
	const ending = record.interrupted ? 'interrupted' : state.ending?.reason ?? 'interrupted';
	const json: ExperimentJson = {
		schema: experimentSchema,
		measuredOn: record.measuredOn ?? null,
		namespace: record.namespace,
		component: record.component.name,
		componentKey: record.component.key,
		action: state.action?.kind ?? 'delete-pods',
		t0: state.t0 ?? 0,
		answeredMs: relative(state, state.answeredAt),
		verdict,
		result: resultLine(record),
		functionImpact: functionImpactText(state) ?? null,
		verdictReason: why ?? null,
		desired: state.desired,
		outages: allOutageWindows(state).map(window => outageJson(state, window)),
		serviceOutageMs: outage ? Math.round(outage.totalMs) : null,
		probeLayers: probeLayersJson(state),
		degradations: allDegradedWindows(state).map(window => {
			const {failures, ...rest} = outageJson(state, window);
			return {...rest, slowProbes: failures};
		}),
		brokenHop: outage?.hop ?? null,
		functionLayer: functionLayer ?? null,
		victims: state.victims.map(victim => ({
			name: victim.name,
			uid: victim.uid,
			node: victim.nodeName ?? null,
			terminatingMs: relative(state, victim.terminatingAt),
			goneMs: relative(state, victim.goneAt),
		})),
		replacements: state.replacements.map(replacement => ({
			name: replacement.name,
			uid: replacement.uid,
			node: replacement.nodeName ?? null,
			createdMs: relative(state, replacement.createdAt) ?? 0,
			scheduledMs: relative(state, replacement.scheduledAt),
			runningMs: relative(state, replacement.runningAt),
			readyMs: relative(state, replacement.readyAt),
			sameNameAsVictim: replacement.sameNameAsVictim,
		})),
		firstReplacementReadyMs: relative(state, firstReplacementReadyAt(state)),
		recoveredMs: relative(state, state.recoveredAt),
		endedMs: relative(state, state.ending?.at),
		ending,
		missing: state.ending?.reason === 'time-limit' ? missingTexts(state.ending.missing, state) : [],
		probeCount: probesInside(state).length,
		timeline: timelineInOrder(state).map(entry => ({atMs: relative(state, entry.at) ?? 0, text: entryText(entry, state)})),
	};
	if (state.action?.kind === 'delete-workload') {
		json.workloadGoneMs = relative(state, state.workloadGoneAt);
		json.workloadBackMs = relative(state, state.workloadBackAt);
	}

	const node = nodeJson(state);
	if (node) {
		json.node = node;
	}

	return json;
}

/** The message of an action the API server refused or never answered (nothing, or not all of it, was done). */
function refusal(state: Measurement): string | undefined {
	return state.ending?.reason === 'action-failed' && state.answeredAt === undefined ? state.ending.message : undefined;
}

/**
 * `2 pods deleted`, `deployment/kube-dns deleted (2 pods)`, `kill 1 in …`; for a refused
 * action what failed instead: `delete failed: forbidden: …`, never "deleted".
 */
export function whatWasDone(state: Measurement): string {
	const refused = refusal(state);
	if (refused !== undefined) {
		switch (state.action?.kind) {
			case 'delete-workload': {
				return `delete of ${state.action.workloadKind.toLowerCase()}/${state.action.workloadName} failed: ${refused}`;
			}

			case 'kill-container': {
				return `kill 1 in ${state.action.pod} failed: ${refused}`;
			}

			// Nothing was deleted: the helper pod that would reach the node was refused.
			case 'stop-kubelet':
			case 'stop-static-pod': {
				return `helper pod on ${state.action.node} refused: ${refused}`;
			}

			default: {
				return `delete failed: ${refused}`;
			}
		}
	}

	const count = state.victims.length;
	const pods = `${count} pod${count === 1 ? '' : 's'}`;
	switch (state.action?.kind) {
		case 'delete-pod':
		case 'delete-pods':
		case undefined: {
			return `${pods} deleted`;
		}

		case 'delete-workload': {
			return `${state.action.workloadKind.toLowerCase()}/${state.action.workloadName} deleted (${pods})`;
		}

		case 'kill-container': {
			return `kill 1 in ${state.action.pod}`;
		}

		case 'stop-kubelet': {
			return `kubelet of ${state.action.node} stopped for ${seconds(state.action.forMs)}${nodeFacts(state)}`;
		}

		case 'stop-static-pod': {
			return `${state.action.pod} stopped for ${seconds(state.action.forMs)} (manifest moved out)`;
		}
	}
}

/** ` (NotReady +40.2 s → Ready +62.1 s; 3 pods not ready; 1 deletion hung)`. */
function nodeFacts(state: Measurement): string {
	const node = state.node;
	if (!node) {
		return '';
	}

	const facts: string[] = [];
	facts.push(node.notReadyAt === undefined ? 'node never NotReady' : `NotReady ${sinceT0(state, node.notReadyAt)}${node.readyAgainAt === undefined ? '' : ` → Ready ${sinceT0(state, node.readyAgainAt)}`}`);
	const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
	if (node.podsNotReady.length > 0) {
		facts.push(`${plural(node.podsNotReady.length, 'pod')} marked not ready`);
	}

	if (node.hangingDeletes.length > 0) {
		facts.push(`${plural(node.hangingDeletes.length, 'deletion')} hung`);
	}

	if (node.unstarted.length > 0) {
		facts.push(`${plural(node.unstarted.length, 'pod')} could not start`);
	}

	return ` (${facts.join('; ')})`;
}

/** `service outage 8.7 s ± 0.5 s (DNS)`, `no service impact (24 probes)`, … */
export function serviceImpactText(state: Measurement): string {
	const {verdict, why} = verdictWithWhy(state);
	const outage = serviceOutage(state);
	if (outage) {
		const windows = outage.windows.length > 1 ? ` in ${outage.windows.length} windows` : '';
		const hop = outage.hop ? ` (${layerLabel(outage.hop)})` : '';
		const still = state.ending?.reason === 'api-server-lost' ? 'then unknown' : 'still down';
		const amount = outage.open ? `≥ ${seconds(outage.totalMs)}, ${still}` : `${seconds(outage.totalMs)} ± ${seconds(outage.uncertaintyMs)}`;
		return `service outage ${amount}${windows}${hop}`;
	}

	if (verdict === 'no-service-impact') {
		return `no service impact (${probesInside(state).length} probes)`;
	}

	// The reason of a lost API server is the result line's own clause.
	return state.ending?.reason === 'api-server-lost' ? 'service impact unknown' : `service impact unknown: ${why ?? 'no probes'}`;
}

/** `slow: end-to-end 4.8 s ± 0.5 s, DNS 4.6 s ± 0.5 s`, or undefined when nothing was slow. */
export function degradationText(state: Measurement): string | undefined {
	const windows = allDegradedWindows(state);
	if (windows.length === 0) {
		return undefined;
	}

	const byLayer = new Map<ProbeLayer, OutageWindow[]>();
	for (const window of windows) {
		byLayer.set(window.layer, [...(byLayer.get(window.layer) ?? []), window]);
	}

	return `slow: ${[...byLayer].map(([layer, runs]) => `${layerLabel(layer)} ${runs.map(run => formatOutage(run)).join(' + ')}`).join(', ')}`;
}

/** The component's own function (DNS, metrics API): `DNS down 8.2 s ± 0.5 s`, `DNS never failed`, or undefined. */
export function functionImpactText(state: Measurement): string | undefined {
	const layer = functionLayerOf(state.component);
	if (!layer) {
		return undefined;
	}

	const windows = outageWindows(state, layer);
	if (windows.length === 0) {
		return probesInside(state, layer).length > 0 ? `${layerLabel(layer)} never failed` : `${layerLabel(layer)} not probed`;
	}

	return `${layerLabel(layer)} down ${windows.map(window => formatOutage(window)).join(' + ')}`;
}

/**
 * The one line that stays: `kube-dns · 2 pods deleted · service outage 8.7 s ± 0.5 s (DNS) ·
 * first replacement ready +6.1 s · recovered +9.3 s`.
 */
export function resultLine(record: ExperimentRecord): string {
	const state = record.measurement;
	const parts = [record.component.name, whatWasDone(state)];
	if (state.ending?.reason === 'action-failed') {
		// Refused: whatWasDone says so. Else a later request (the hammer's) failed after the first was done.
		return (refusal(state) === undefined ? [...parts, `then failed: ${state.ending.message}`] : parts).join(' · ');
	}

	parts.push(serviceImpactText(state));
	const slow = degradationText(state);
	if (slow) {
		parts.push(slow);
	}

	const firstReady = firstReplacementReadyAt(state);
	if (firstReady !== undefined) {
		parts.push(`first replacement ready ${sinceT0(state, firstReady)}`);
	}

	if (state.workloadBackAt !== undefined) {
		parts.push(`workload back ${sinceT0(state, state.workloadBackAt)}`);
	}

	if (state.ending?.reason === 'time-limit') {
		parts.push(`NOT RECOVERED within ${seconds(state.limits.timeoutMs)}: ${missingTexts(state.ending.missing, state).join('; ')}`);
	} else if (state.ending?.reason === 'api-server-lost') {
		parts.push(`UNKNOWN: ${failureText(state.ending, state)}`);
	} else if (state.recoveredAt === undefined) {
		parts.push(record.interrupted ? 'interrupted before recovery' : 'not recovered yet');
	} else {
		parts.push(`recovered ${sinceT0(state, state.recoveredAt)}`);
	}

	return parts.join(' · ');
}

/** `context gke-demo · server https://… · namespace kube-system · knockdown 0.1.0`. */
export function measuredOnText(measuredOn: MeasuredOn | undefined): string {
	return measuredOn
		? `context ${measuredOn.context} · server ${measuredOn.server} · namespace ${measuredOn.namespace} · knockdown ${measuredOn.knockdownVersion}`
		: 'unknown (the experiment was run without naming its cluster)';
}

/** `  +6.1 s  kube-dns-… ready` — how the headless commands print the timeline. */
export function formatTimelineEntry(state: Measurement, entry: TimelineEntry): string {
	return `${(sinceT0(state, entry.at) ?? '').padStart(9)}  ${entryText(entry, state)}`;
}

function cell(value: number | null): string {
	return value === null ? '—' : `+${(value / 1000).toFixed(1)} s`;
}

/** `   +6.1 s  kube-dns-… ready`, from the JSON's timeline (as formatTimelineEntry prints it live). */
export function timelineEntryText(entry: {atMs: number; text: string}): string {
	return `${sinceT0Text(entry.atMs).padStart(9)}  ${entry.text}`;
}

/**
 * One experiment as Markdown, from its JSON (so a saved report renders again). The Unicode
 * chart needs every probe result, which only a live record has: it is passed in when there is one.
 */
export function experimentJsonMarkdown(json: ExperimentJson, chart?: string[]): string {
	const lines: string[] = [
		`## ${json.component} (${json.componentKey}, namespace ${json.namespace})`,
		'',
		`**${json.result}**`,
		'',
		`- t0: ${new Date(json.t0).toISOString()} — ${json.action}; ${json.desired} pods Ready before`,
		`- measured on: ${measuredOnText(json.measuredOn ?? undefined)}`,
		`- verdict: ${json.verdict}${json.verdictReason ? ` (${json.verdictReason})` : ''}`,
	];
	if (json.functionImpact) {
		lines.push(`- function: ${json.functionImpact}`);
	}

	// Outages and slow windows are measured alike: one table each, the same columns.
	const windowTable = (windows: ReadonlyArray<OutageJson | DegradationJson>, header: string) => {
		if (windows.length === 0) {
			return;
		}

		lines.push('', header, '|---|---|---|---|---|');
		for (const window of windows) {
			const duration = window.durationMs === null ? 'ongoing' : `${seconds(window.durationMs)} ± ${seconds(window.uncertaintyMs ?? 0)}`;
			const between = `${seconds(window.minMs)} … ${window.maxMs === null ? '?' : seconds(window.maxMs)}`;
			lines.push(`| ${layerLabel(window.layer)} | ${cell(window.startMs)} | ${cell(window.endMs)} | ${duration} | ${between} |`);
		}
	};

	windowTable(json.outages, '| Layer | Start | End | Duration | True outage between |');
	windowTable(json.degradations, '| Slow (answered late) | Start | End | Duration | True window between |');

	if (json.victims.length + json.replacements.length > 0) {
		lines.push('', '| Pod | Role | Created | Scheduled | Running | Ready | Terminating | Gone |', '|---|---|---|---|---|---|---|---|');
		for (const victim of json.victims) {
			lines.push(`| ${victim.name} | victim | | | | | ${cell(victim.terminatingMs)} | ${cell(victim.goneMs)} |`);
		}

		for (const replacement of json.replacements) {
			const role = replacement.sameNameAsVictim ? 'replacement (same name)' : 'replacement';
			lines.push(`| ${replacement.name} | ${role} | ${cell(replacement.createdMs)} | ${cell(replacement.scheduledMs)} | ${cell(replacement.runningMs)} | ${cell(replacement.readyMs)} | | |`);
		}
	}

	if (chart && chart.length > 0) {
		lines.push('', '```', ...chart, chartLegend, '```');
	}

	lines.push('', '<details><summary>Timeline</summary>', '', '```', ...json.timeline.map(entry => timelineEntryText(entry)), '```', '', '</details>', '');
	return lines.join('\n');
}

export function experimentMarkdown(record: ExperimentRecord): string {
	return experimentJsonMarkdown(experimentJson(record), timelineChart(record.measurement, {width: 72}));
}

export const sessionSchema = 'knockdown.session/v1';

/** Every finished experiment of a session (the screen's `e`), as one JSON document. */
export function sessionJson(records: ExperimentRecord[], writtenAt: number): {schema: typeof sessionSchema; writtenAt: number; experiments: ExperimentJson[]} {
	return {schema: sessionSchema, writtenAt, experiments: records.map(record => experimentJson(record))};
}

/** Every finished experiment of a session, as Markdown: the result lines first, then each in full. */
export function sessionMarkdown(records: ExperimentRecord[], writtenAt: number): string {
	return experimentsMarkdown(records.map(record => experimentJson(record)), writtenAt, records.map(record => timelineChart(record.measurement, {width: 72})));
}

/** Several experiments' JSON as one Markdown document (a session, or `report` given several files). */
export function experimentsMarkdown(experiments: ExperimentJson[], writtenAt: number, charts: string[][] = []): string {
	return [
		`# knockdown session, ${new Date(writtenAt).toISOString()}`,
		'',
		...(experiments.length === 0 ? ['No experiment finished.'] : experiments.map(json => `- ${json.result}`)),
		'',
		...experiments.map((json, index) => experimentJsonMarkdown(json, charts[index])),
	].join('\n');
}
