// The health panel's state: a pure reducer folded over probe results (and what the monitor
// found to probe), each action carrying its time, plus the selector that turns it into what
// the panel draws and the path's verdict. No clocks here: `now` is always passed in.
import {layerLabel, pathLayers, probeCatalog} from './catalog.js';
import {describeSubject, type ProbeSubject} from './guestbook-detection.js';
import {formatMs} from './scheduler.js';
import type {ProbeLayer, ProbeResult} from './types.js';

export type HealthState = {
	namespace: string;
	/** The layers this monitor probes, in display order. */
	layers: readonly ProbeLayer[];
	historyMs: number;
	/** The probe interval, when known: history strips are then aligned in time across layers. */
	intervalMs?: number;
	subject?: ProbeSubject;
	/** Per layer, sorted by send time, only the last historyMs. */
	results: Partial<Record<ProbeLayer, readonly ProbeResult[]>>;
	/** The latest time any action carried; history older than latestAt − historyMs is dropped. */
	latestAt: number;
};

export type HealthAction =
	| {type: 'probe-result'; result: ProbeResult}
	| {type: 'subject'; subject: ProbeSubject; at: number}
	| {type: 'tick'; at: number};

/** At most this many cells per layer, whatever the interval. */
const maxResultsPerLayer = 2000;

export function initialHealthState(options: {namespace: string; layers: readonly ProbeLayer[]; historyMs?: number; intervalMs?: number}): HealthState {
	return {
		namespace: options.namespace,
		layers: options.layers,
		historyMs: options.historyMs ?? 180_000,
		intervalMs: options.intervalMs,
		results: {},
		latestAt: 0,
	};
}

export function reduceHealth(state: HealthState, action: HealthAction): HealthState {
	switch (action.type) {
		case 'probe-result': {
			const {result} = action;
			const latestAt = Math.max(state.latestAt, result.sentAt);
			const kept = insertBySentAt(state.results[result.layer] ?? [], result).filter(item => item.sentAt >= latestAt - state.historyMs);
			return {
				...state,
				latestAt,
				results: {...state.results, [result.layer]: kept.length > maxResultsPerLayer ? kept.slice(-maxResultsPerLayer) : kept},
			};
		}

		case 'subject': {
			if (state.subject && sameSubject(state.subject, action.subject)) {
				return state;
			}

			return {...state, subject: action.subject, latestAt: Math.max(state.latestAt, action.at)};
		}

		case 'tick': {
			if (action.at <= state.latestAt) {
				return state;
			}

			const cutoff = action.at - state.historyMs;
			const results: HealthState['results'] = {};
			for (const [layer, items] of Object.entries(state.results) as Array<[ProbeLayer, readonly ProbeResult[]]>) {
				results[layer] = items[0] && items[0].sentAt < cutoff ? items.filter(item => item.sentAt >= cutoff) : items;
			}

			return {...state, results, latestAt: action.at};
		}
	}
}

function insertBySentAt(items: readonly ProbeResult[], result: ProbeResult): ProbeResult[] {
	// Results mostly arrive in send order; a timed-out probe settles after later ones.
	let index = items.length;
	while (index > 0 && items[index - 1].sentAt > result.sentAt) {
		index--;
	}

	return [...items.slice(0, index), result, ...items.slice(index)];
}

function sameSubject(a: ProbeSubject, b: ProbeSubject): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

export type LayerStatus = 'ok' | 'slow' | 'failing' | 'unknown' | 'waiting';

export type LayerSnapshot = {
	layer: ProbeLayer;
	/** waiting: no result yet. */
	status: LayerStatus;
	detail?: string;
	latencyMs?: number;
	/** Send time of the first probe of the current run of this status. */
	changedAt?: number;
	/** now − changedAt. */
	sinceMs?: number;
	/**
	 * The history strip's cells, oldest first. With a known interval: one cell per probe slot up
	 * to the latest slot any layer has an answer for, so strips line up across layers, and a
	 * slot whose probe is still out (or was never sent) is undefined. Without: one per result.
	 */
	cells: Array<ProbeResult['outcome'] | undefined>;
};

export type VerdictKind = 'UP' | 'SLOW' | 'DOWN' | 'UNKNOWN';

export type Verdict = {
	kind: VerdictKind;
	/** DOWN/SLOW: "DNS: redis-follower does not resolve"; UNKNOWN: why. */
	reason?: string;
	/** DOWN/SLOW: the first layer (in path order) that is failing/slow. */
	layer?: ProbeLayer;
};

export type HealthSnapshot = {
	at: number;
	namespace: string;
	/** What is probed: "guestbook (GKE tutorial) in default", or "namespace default" while none is found. */
	subjectText: string;
	verdict: Verdict;
	layers: LayerSnapshot[];
	/** No guestbook: the command that installs one where the panel looks (the verdict says there is none). */
	installCommand?: string;
};

export function selectHealthSnapshot(state: HealthState, now: number): HealthSnapshot {
	const frontier = Math.max(...state.layers.map(layer => state.results[layer]?.at(-1)?.sentAt ?? Number.NEGATIVE_INFINITY));
	const layers = state.layers.map(layer => layerSnapshot(state, layer, now, frontier));
	const subject = state.subject;
	return {
		at: now,
		namespace: state.namespace,
		// While none is found the verdict says so (and the monitor keeps looking): say it once.
		subjectText: subject && subject.kind !== 'none' ? describeSubject(subject) : `namespace ${state.namespace}`,
		verdict: verdictOf(state),
		layers,
		installCommand:
			subject?.kind === 'none'
				? `knockdown guestbook install${state.namespace === 'default' ? '' : ` --app-namespace ${state.namespace}`}`
				: undefined,
	};
}

function statusOf(outcome: ProbeResult['outcome']): LayerStatus {
	return outcome === 'fail' ? 'failing' : outcome;
}

function layerSnapshot(state: HealthState, layer: ProbeLayer, now: number, frontier: number): LayerSnapshot {
	const results = state.results[layer] ?? [];
	const latest = results.at(-1);
	if (!latest) {
		return {layer, status: 'waiting', cells: []};
	}

	let first = results.length - 1;
	while (first > 0 && results[first - 1].outcome === latest.outcome) {
		first--;
	}

	const changedAt = results[first].sentAt;
	// "no guestbook in namespace X" is the verdict's reason; under every layer it would only repeat it.
	const saidByVerdict = state.subject?.kind === 'none' && latest.cause === 'no-target';
	return {
		layer,
		status: statusOf(latest.outcome),
		detail: saidByVerdict ? undefined : latest.detail,
		// A slot that was not sent has no latency of its own: show the last probe that went out.
		latencyMs: results.findLast(result => !result.notSent)?.latencyMs,
		changedAt,
		sinceMs: Math.max(0, now - changedAt),
		cells: state.intervalMs ? slotCells(results, state.intervalMs, state.historyMs, frontier) : results.map(result => result.outcome),
	};
}

/** Place each result in its slot counted back from the frontier (itself a send time on the grid, so send jitter rounds away). */
function slotCells(results: readonly ProbeResult[], intervalMs: number, historyMs: number, frontier: number): Array<ProbeResult['outcome'] | undefined> {
	const slotCount = Math.max(1, Math.floor(historyMs / intervalMs));
	const oldest = results[0];
	if (!oldest || !Number.isFinite(frontier)) {
		return [];
	}

	const span = Math.min(slotCount, Math.round((frontier - oldest.sentAt) / intervalMs) + 1);
	const cells: Array<ProbeResult['outcome'] | undefined> = Array.from({length: span});
	for (const result of results) {
		const index = span - 1 - Math.round((frontier - result.sentAt) / intervalMs);
		if (index >= 0 && index < span) {
			cells[index] = result.outcome;
		}
	}

	return cells;
}

function latestOf(state: HealthState, layer: ProbeLayer): ProbeResult | undefined {
	return state.results[layer]?.at(-1);
}

/**
 * The path's verdict, from each path layer's latest result (by send time):
 * - nothing to probe, or no result yet → UNKNOWN;
 * - the API server itself is away (a probe could not reach it, or the endpoints list — which
 *   only touches the API server — timed out) and no layer failed with a real answer → UNKNOWN:
 *   a blind probe is not evidence of an outage;
 * - the end-to-end answer decides between DOWN and UP/SLOW, because layers answer at different
 *   speeds (a DNS probe can wait 10 s on a dead server while the app already works again):
 *   end to end failing → DOWN, naming the first failing layer in path order (the hop that
 *   broke, e.g. "DNS: redis-follower does not resolve", else end to end itself);
 *   end to end unknown → DOWN if a hop before it failed with an answer, else UNKNOWN with why;
 *   end to end ok → SLOW if any layer is slow, else UP; a hop still failing then is named in the
 *   reason ("but …"), and a layer that is merely unknown (exec forbidden) changes nothing.
 * The metrics API is a function probe, not part of the path: its row shows, the verdict ignores it.
 */
function verdictOf(state: HealthState): Verdict {
	const subject = state.subject;
	if (subject?.kind === 'none') {
		return {kind: 'UNKNOWN', reason: `no guestbook in ${state.namespace}`};
	}

	const onPath = state.layers.filter(layer => pathLayers.includes(layer));
	const latest = onPath
		.map(layer => ({layer, result: latestOf(state, layer)}))
		.filter((item): item is {layer: ProbeLayer; result: ProbeResult} => item.result !== undefined);
	if (latest.length === 0) {
		return {kind: 'UNKNOWN', reason: 'waiting for the first probes'};
	}

	const answeredFailure = latest.find(item => item.result.outcome === 'fail' && item.result.cause !== 'timeout');
	const unreachable = latest.find(item => item.result.outcome === 'unknown' && item.result.cause === 'unreachable');
	const endpointsTimedOut = latest.find(
		item => probeCatalog[item.layer].asksOnlyApiServer && item.result.outcome === 'fail' && item.result.cause === 'timeout',
	);
	if (!answeredFailure && (unreachable || endpointsTimedOut)) {
		return {
			kind: 'UNKNOWN',
			reason: unreachable ? (unreachable.result.detail ?? 'API server unreachable') : 'API server not answering (probes time out)',
		};
	}

	const failing = latest.find(item => item.result.outcome === 'fail');
	const down = (item: {layer: ProbeLayer; result: ProbeResult}): Verdict => ({
		kind: 'DOWN',
		layer: item.layer,
		reason: `${layerLabel(item.layer)}: ${item.result.detail ?? 'failing'}`,
	});
	const endToEnd = latest.find(item => item.layer === 'end-to-end');
	if (!onPath.includes('end-to-end')) {
		if (failing) {
			return down(failing);
		}
	} else if (!endToEnd) {
		return failing ? down(failing) : {kind: 'UNKNOWN', reason: 'waiting for the end-to-end probe'};
	} else if (endToEnd.result.outcome === 'fail') {
		return down(failing ?? endToEnd);
	} else if (endToEnd.result.outcome === 'unknown') {
		return answeredFailure ? down(answeredFailure) : {kind: 'UNKNOWN', reason: `${layerLabel('end-to-end')}: ${endToEnd.result.detail ?? 'unknown'}`};
	}

	if (!endToEnd && latest.every(item => item.result.outcome === 'unknown')) {
		return {kind: 'UNKNOWN', reason: latest[0].result.detail ?? 'probes could not run'};
	}

	const slow = latest.find(item => item.result.outcome === 'slow');
	const still = failing ? `${layerLabel(failing.layer)}: ${failing.result.detail ?? 'failing'}` : undefined;
	if (slow) {
		const reason = `${layerLabel(slow.layer)}: ${slow.result.detail ?? `answered in ${formatMs(slow.result.latencyMs)}`}`;
		return {kind: 'SLOW', layer: slow.layer, reason: still ? `${reason}; but ${still}` : reason};
	}

	return still ? {kind: 'UP', reason: `but ${still}`} : {kind: 'UP'};
}

/** One character per cell, readable without colour. */
export const historyGlyphs: Record<ProbeResult['outcome'], string> = {ok: '▁', slow: '▄', fail: '█', unknown: '?'};

/** A slot whose probe has not answered yet. */
export const pendingGlyph = '·';

/** The last `width` cells as text, right-aligned (padded with spaces on the left). */
export function historyStrip(cells: ReadonlyArray<ProbeResult['outcome'] | undefined>, width: number): string {
	const shown = cells
		.slice(-width)
		.map(cell => (cell ? historyGlyphs[cell] : pendingGlyph))
		.join('');
	return shown.padStart(width, ' ');
}
