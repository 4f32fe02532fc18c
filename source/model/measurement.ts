// The one definition of docs/measurement.md, as a pure fold of time-stamped events.
// The live screen, `kill`, `sweep` and every report read the same state through the
// selectors below. Nothing here reads a clock: every event carries its own time. The
// timeline, what is missing and why a verdict is unknown are kept as facts with their data;
// report/measurement-text.ts says them in words.
import {functionLayerOf, pathLayers} from '../probes/catalog.js';
import type {ProbeLayer, ProbeResult} from '../probes/types.js';
import type {WorkloadKind} from './component.js';
import type {PodObservation} from './pod-observation.js';
import {helperSeen, initialNodeTimes, nodeMissing, nodePodDeleted, nodePodSeen, nodeSeen, type NodeFact, type NodeMissing, type NodeNote, type NodeReadiness, type NodeTimes} from './node-measurement.js';
import {isPodReady, podUid, type PodLike} from './pod-status.js';

/** What an experiment does to its component. */
export type ExperimentAction =
	| {kind: 'delete-pod'; pod: string}
	| {kind: 'delete-pods'}
	| {kind: 'delete-workload'; workloadKind: WorkloadKind; workloadName: string}
	| {kind: 'kill-container'; pod: string; container?: string}
	/** A helper pod on the node stops its kubelet for forMs (the pods are those on the node). */
	| {kind: 'stop-kubelet'; node: string; forMs: number}
	/** A helper pod moves a static pod's manifest out of the kubelet's directory and back after forMs. */
	| {kind: 'stop-static-pod'; node: string; pod: string; forMs: number};

export type {PodObservation} from './pod-observation.js';

/** The facts of a watched pod that the measurement folds. */
export function observePod(pod: PodLike): PodObservation {
	const conditions = pod.status?.conditions ?? [];
	const nodeName = pod.spec?.nodeName ?? undefined;
	return {
		uid: podUid(pod),
		name: pod.metadata?.name ?? '',
		nodeName,
		phase: pod.status?.phase ?? undefined,
		ready: isPodReady(pod),
		terminating: Boolean(pod.metadata?.deletionTimestamp),
		scheduled: Boolean(nodeName) || conditions.some(condition => condition.type === 'PodScheduled' && condition.status === 'True'),
		restarts: (pod.status?.containerStatuses ?? []).reduce((sum, status) => sum + (status.restartCount ?? 0), 0),
	};
}

export type ExperimentLimits = {
	/** Give up after this long from t0 (measurement.md: 180 s). */
	timeoutMs: number;
	/** The path must be healthy without a break this long after recovery (5 s). */
	settleMs: number;
	/** At least this many end-to-end probes must fall inside the experiment for "no service impact" (10). */
	minProbes?: number;
	/** How long the API server may be away before the experiment ends as unknown (default apiServerGraceMs). */
	apiServerGraceMs?: number;
};

/**
 * How long the API server may be away (refusing connections, or holding them without an
 * answer) before an experiment gives up and ends as unknown. Long enough for an API server
 * restart or a load balancer failover (seconds); short enough that nobody waits out the
 * whole --timeout for a verdict that silence cannot give.
 */
export const apiServerGraceMs = 10_000;

export type MeasurementEvent =
	| {
		type: 'experiment-started';
		/** t0: just before the action's request is sent. */
		at: number;
		component: string;
		action: ExperimentAction;
		/** Every pod of the component at t0. */
		pods: PodObservation[];
		/** UIDs of the pods the action deletes (or, for kill-container, the pod it restarts). */
		victims: string[];
		limits: ExperimentLimits;
	}
	| {type: 'action-answered'; at: number}
	| {type: 'action-failed'; at: number; message: string}
	/** Any watch event (ADDED/MODIFIED) for a pod of the component. */
	| {type: 'pod-seen'; at: number; pod: PodObservation}
	/** The DELETED watch event. */
	| {type: 'pod-deleted'; at: number; uid: string; name: string}
	| {type: 'workload-gone'; at: number}
	| {type: 'workload-back'; at: number}
	/** Hammer: the component's pods (replacements among them) deleted again; they become victims too. */
	| {type: 'action-repeated'; at: number; pods: PodObservation[]}
	/** `at` is when the result arrived; the result itself is stamped with its send time. */
	| {type: 'probe-result'; at: number; result: ProbeResult}
	/** stop-kubelet: the node's Ready condition as a watch showed it. */
	| {type: 'node-seen'; at: number; ready: NodeReadiness}
	/** stop-kubelet: the helper pod's phase (and its container's exit, once reported). */
	| {type: 'helper-seen'; at: number; phase?: string; exitCode?: number; message?: string}
	/** The API server stopped answering (since `since`) or answers again. */
	| {type: 'api-server-lost'; at: number; since: number; reason: string}
	| {type: 'api-server-back'; at: number}
	| {type: 'tick'; at: number};

export type VictimTimes = {
	uid: string;
	name: string;
	nodeName?: string;
	terminatingAt?: number;
	goneAt?: number;
	/** kill-container: restarts at t0, and when the restarted pod was Ready again. */
	restartsAtT0?: number;
	restartedAt?: number;
};

export type ReplacementTimes = {
	uid: string;
	name: string;
	nodeName?: string;
	createdAt: number;
	scheduledAt?: number;
	runningAt?: number;
	readyAt?: number;
	/** A mirror (static) pod recreated by the kubelet: same name as a victim, new UID. */
	sameNameAsVictim: boolean;
};

/** The workload a delete-workload experiment removed, as its action named it; else the component's. */
export type WorkloadName = {workloadKind: WorkloadKind; workloadName: string} | {component: string};

/** What the timeline records: a fact and its data. */
export type TimelineNote =
	| {kind: 'started'; action: ExperimentAction; component: string; victims: string[]; readyBefore: number}
	| {kind: 'action-answered'; afterMs: number}
	| {kind: 'failed'; message: string}
	| {kind: 'workload-gone' | 'workload-back'; workload: WorkloadName}
	| {kind: 'hammer'; pods: string[]}
	| {kind: 'api-server-lost'; reason: string}
	| {kind: 'api-server-back'; awayMs: number}
	| {kind: 'pod'; pod: string; step: 'terminating' | 'restarted' | 'recreated' | 'created' | 'running' | 'ready' | 'gone'}
	| {kind: 'pod-scheduled'; pod: string; node?: string}
	| {kind: 'recovered'; ready: number; desired: number}
	| {kind: 'node-recovered'; node: string}
	| {kind: 'layer-failing' | 'layer-slow'; layer: ProbeLayer; detail?: string}
	| {kind: 'layer-ok-again' | 'layer-in-time'; layer: ProbeLayer; window: OutageWindow}
	| {kind: 'ended'; ending: Ending; limits: ExperimentLimits}
	| NodeFact;

export type TimelineEntry = {at: number; note: TimelineNote};

/** What keeps the experiment from being over. */
export type Missing =
	| {kind: 'workload-not-recreated'; workload: WorkloadName}
	| {kind: 'pods-not-ready'; ready: number; desired: number}
	| {kind: 'victim-left'; pod: string; still: 'there' | 'terminating' | 'not-restarted'}
	| {kind: 'layer-still-failing'; layer: ProbeLayer; since: number}
	| {kind: 'not-settled'}
	| NodeMissing;

export type Ending =
	| {at: number; reason: 'settled'}
	| {at: number; reason: 'time-limit'; missing: Missing[]}
	| {at: number; reason: 'action-failed'; message: string}
	/** The API server was away longer than the grace period: nothing more can be measured. */
	| {at: number; reason: 'api-server-lost'; lostAt: number; cause: string};

export type Measurement = {
	started: boolean;
	component: string;
	action?: ExperimentAction;
	t0?: number;
	answeredAt?: number;
	limits: ExperimentLimits;
	/** Ready pods of the component just before t0. */
	desired: number;
	victims: VictimTimes[];
	replacements: ReplacementTimes[];
	/** The component's pods that are not gone, by UID. */
	pods: Record<string, PodObservation>;
	/** UIDs of the component's pods at t0: anything else of the component is a replacement. */
	podsAtT0: string[];
	workloadGoneAt?: number;
	workloadBackAt?: number;
	/** How many times the hammer deleted the component's pods again. */
	repeats?: number;
	/** Every probe result of the experiment (and, before t0, since each layer's last ok), by send time. */
	probes: ProbeResult[];
	recoveredAt?: number;
	/** stop-kubelet: the node and what happened on it (model/node-measurement.ts). */
	node?: NodeTimes;
	/** While the API server is away: since when, and why. */
	apiServerLost?: {since: number; reason: string};
	ending?: Ending;
	now: number;
	/** What happened, in the order it became known (times may be earlier than the previous entry's). */
	log: TimelineEntry[];
};

export const initialMeasurement: Measurement = {
	started: false,
	component: '',
	limits: {timeoutMs: 180_000, settleMs: 5000, minProbes: 10},
	desired: 0,
	victims: [],
	replacements: [],
	pods: {},
	podsAtT0: [],
	probes: [],
	now: 0,
	log: [],
};

// ---------------------------------------------------------------------------------------
// The reducer

export function reduceMeasurement(state: Measurement, event: MeasurementEvent): Measurement {
	if (state.ending) {
		// A finished experiment is a record: later events change nothing.
		return state;
	}

	const now = Math.max(state.now, event.at);
	switch (event.type) {
		case 'experiment-started': {
			return start(state, event, now);
		}

		case 'probe-result': {
			return afterChange(state, addProbe({...state, now}, event.result), now);
		}

		case 'tick': {
			return afterChange(state, {...state, now}, now);
		}

		default: {
			break;
		}
	}

	if (!state.started) {
		// Pods and actions before t0 are the engine's business: experiment-started carries them.
		return {...state, now};
	}

	let next: Measurement = {...state, now};
	switch (event.type) {
		case 'action-answered': {
			next.answeredAt = event.at;
			next = note(next, event.at, {kind: 'action-answered', afterMs: Math.round(event.at - (state.t0 ?? event.at))});
			break;
		}

		case 'action-failed': {
			next = note(next, event.at, {kind: 'failed', message: event.message});
			next.ending = {at: event.at, reason: 'action-failed', message: event.message};
			return next;
		}

		case 'pod-seen': {
			next = podSeen(next, event.pod, event.at);
			break;
		}

		case 'pod-deleted': {
			next = podDeleted(next, event.uid, event.name, event.at);
			break;
		}

		case 'workload-gone': {
			if (next.workloadGoneAt === undefined) {
				next.workloadGoneAt = event.at;
				next = note(next, event.at, {kind: 'workload-gone', workload: workloadOf(next)});
			}

			break;
		}

		case 'action-repeated': {
			const known = new Set(next.victims.map(victim => victim.uid));
			const added = event.pods.filter(pod => !known.has(pod.uid));
			next.victims = [...next.victims, ...added.map(pod => ({uid: pod.uid, name: pod.name, nodeName: pod.nodeName}))];
			next.repeats = (next.repeats ?? 0) + 1;
			// A new round: recovery is measured from the last delete.
			next.recoveredAt = undefined;
			next = note(next, event.at, {kind: 'hammer', pods: added.map(pod => pod.name)});
			break;
		}

		case 'api-server-lost': {
			if (!next.apiServerLost) {
				next.apiServerLost = {since: event.since, reason: event.reason};
				next = note(next, event.since, {kind: 'api-server-lost', reason: event.reason});
			}

			break;
		}

		case 'api-server-back': {
			if (next.apiServerLost) {
				next = note(next, event.at, {kind: 'api-server-back', awayMs: event.at - next.apiServerLost.since});
				next.apiServerLost = undefined;
			}

			break;
		}

		case 'workload-back': {
			if (next.workloadGoneAt !== undefined && next.workloadBackAt === undefined) {
				next.workloadBackAt = event.at;
				next = note(next, event.at, {kind: 'workload-back', workload: workloadOf(next)});
			}

			break;
		}

		case 'node-seen': {
			next = withNode(next, next.node && nodeSeen(next.node, event.ready, event.at));
			break;
		}

		case 'helper-seen': {
			next = withNode(next, next.node && helperSeen(next.node, event, event.at));
			if (event.phase === 'Failed') {
				// Its command stops nothing when it fails (the undo is scheduled first and the stop only after it).
				const why = event.message || `exit code ${event.exitCode ?? '?'}`;
				next = note(next, event.at, {kind: 'failed', message: `the helper pod failed: ${why}`});
				next.ending = {at: event.at, reason: 'action-failed', message: `the helper pod failed: ${why}`};
				return next;
			}

			break;
		}
	}

	return afterChange(state, next, event.at);
}

function withNode(state: Measurement, change: {node: NodeTimes; notes: NodeNote[]} | undefined): Measurement {
	if (!change) {
		return state;
	}

	let next: Measurement = {...state, node: change.node};
	for (const entry of change.notes) {
		next = note(next, entry.at, entry.note);
	}

	return next;
}

function start(state: Measurement, event: Extract<MeasurementEvent, {type: 'experiment-started'}>, now: number): Measurement {
	const victimIds = new Set(event.victims);
	const pods: Record<string, PodObservation> = {};
	for (const pod of event.pods) {
		pods[pod.uid] = pod;
	}

	const victims: VictimTimes[] = event.pods
		.filter(pod => victimIds.has(pod.uid))
		.map(pod => ({
			uid: pod.uid,
			name: pod.name,
			nodeName: pod.nodeName,
			...(event.action.kind === 'kill-container' ? {restartsAtT0: pod.restarts ?? 0} : {}),
		}));
	const desired = event.pods.filter(pod => countsAsReady(pod)).length;
	// Probes from before t0 only matter for lastOkBefore: keep each layer's tail from its last ok.
	const probes = state.probes.filter(result => result.sentAt >= lastOkSentBefore(state.probes, result.layer, event.at));
	let next: Measurement = {
		...initialMeasurement,
		started: true,
		component: event.component,
		action: event.action,
		t0: event.at,
		limits: {minProbes: 10, ...event.limits},
		desired,
		victims,
		pods,
		podsAtT0: event.pods.map(pod => pod.uid),
		probes,
		...(event.action.kind === 'stop-kubelet' ? {node: initialNodeTimes(event.action.node, event.action.forMs)} : {}),
		now,
		log: [],
	};
	next = note(next, event.at, {kind: 'started', action: event.action, component: event.component, victims: victims.map(victim => victim.name), readyBefore: desired});
	return next;
}

function lastOkSentBefore(probes: ProbeResult[], layer: ProbeLayer, before: number): number {
	let last = Number.NEGATIVE_INFINITY;
	for (const result of probes) {
		if (result.layer === layer && result.sentAt < before && answeredOk(result)) {
			last = Math.max(last, result.sentAt);
		}
	}

	return last;
}

function addProbe(state: Measurement, result: ProbeResult): Measurement {
	let probes: ProbeResult[];
	if (state.started) {
		probes = insertBySentAt(state.probes, result);
	} else {
		// Before t0 keep only what can still be lastOkBefore or the start of a failing run.
		const kept = answeredOk(result) ? state.probes.filter(p => p.layer !== result.layer || p.sentAt > result.sentAt) : state.probes;
		probes = insertBySentAt(kept, result);
	}

	return {...state, probes};
}

function insertBySentAt(probes: ProbeResult[], result: ProbeResult): ProbeResult[] {
	let index = probes.length;
	while (index > 0 && probes[index - 1].sentAt > result.sentAt) {
		index--;
	}

	return [...probes.slice(0, index), result, ...probes.slice(index)];
}

function podSeen(state: Measurement, pod: PodObservation, at: number): Measurement {
	let next: Measurement = {...state, pods: {...state.pods, [pod.uid]: pod}};
	if (state.node) {
		next = withNode(next, nodePodSeen(state.node, pod, state.podsAtT0.includes(pod.uid), at));
	}

	const victimIndex = state.victims.findIndex(victim => victim.uid === pod.uid);
	if (victimIndex >= 0) {
		const victim = {...state.victims[victimIndex]};
		if (pod.terminating && victim.terminatingAt === undefined) {
			victim.terminatingAt = at;
			next = note(next, at, {kind: 'pod', pod: pod.name, step: 'terminating'});
		}

		if (victim.restartsAtT0 !== undefined && victim.restartedAt === undefined && (pod.restarts ?? 0) > victim.restartsAtT0 && pod.ready) {
			victim.restartedAt = at;
			next = note(next, at, {kind: 'pod', pod: pod.name, step: 'restarted'});
		}

		next.victims = replaceAt(state.victims, victimIndex, victim);
		return next;
	}

	if (state.podsAtT0.includes(pod.uid)) {
		// The other replicas that were there at t0 are neither victims nor replacements.
		return next;
	}

	const index = state.replacements.findIndex(replacement => replacement.uid === pod.uid);
	const before: ReplacementTimes = index >= 0
		? state.replacements[index]
		: {uid: pod.uid, name: pod.name, createdAt: at, sameNameAsVictim: state.victims.some(victim => victim.name === pod.name)};
	const replacement: ReplacementTimes = {...before, nodeName: pod.nodeName ?? before.nodeName};
	if (index < 0) {
		next = note(next, at, {kind: 'pod', pod: pod.name, step: replacement.sameNameAsVictim ? 'recreated' : 'created'});
	}

	if (pod.scheduled && replacement.scheduledAt === undefined) {
		replacement.scheduledAt = at;
		next = note(next, at, {kind: 'pod-scheduled', pod: pod.name, node: pod.nodeName});
	}

	if (pod.phase === 'Running' && replacement.runningAt === undefined) {
		replacement.runningAt = at;
		next = note(next, at, {kind: 'pod', pod: pod.name, step: 'running'});
	}

	if (pod.ready && replacement.readyAt === undefined) {
		replacement.readyAt = at;
		next = note(next, at, {kind: 'pod', pod: pod.name, step: 'ready'});
	}

	next.replacements = index >= 0 ? replaceAt(state.replacements, index, replacement) : [...state.replacements, replacement];
	return next;
}

function podDeleted(state: Measurement, uid: string, name: string, at: number): Measurement {
	const pods = {...state.pods};
	delete pods[uid];
	let next: Measurement = {...state, pods, ...(state.node ? {node: nodePodDeleted(state.node, name, at)} : {})};
	const victimIndex = state.victims.findIndex(victim => victim.uid === uid);
	if (victimIndex >= 0 && state.victims[victimIndex].goneAt === undefined) {
		const victim = {...state.victims[victimIndex], goneAt: at};
		victim.terminatingAt ??= at;
		next.victims = replaceAt(state.victims, victimIndex, victim);
		next = note(next, at, {kind: 'pod', pod: name, step: 'gone'});
	}

	return next;
}

/** Recovery, outage lines and the end of the experiment, derived after every event. */
function afterChange(before: Measurement, state: Measurement, at: number): Measurement {
	if (!state.started || state.t0 === undefined) {
		return state;
	}

	let next = state;
	if (next.recoveredAt === undefined && isRecovered(next)) {
		next = {...next, recoveredAt: at};
		next = note(next, at, next.node ? {kind: 'node-recovered', node: next.node.name} : {kind: 'recovered', ready: readyCount(next), desired: next.desired});
	}

	next = noteOutageChanges(before, next);
	const ending = endingOf(next);
	if (ending) {
		next = {...next, ending};
		next = note(next, ending.at, {kind: 'ended', ending, limits: next.limits});
	}

	return next;
}

function noteOutageChanges(before: Measurement, state: Measurement): Measurement {
	if (before.probes === state.probes) {
		return state;
	}

	let next = state;
	const layers = new Set(state.probes.map(result => result.layer));
	for (const layer of layers) {
		const old = outageWindows(before, layer);
		const now = outageWindows(state, layer);
		for (const window of now) {
			// The same run, even when a late (timed-out) failure moved its start earlier.
			const previous = old.find(w => w.firstFailAt <= window.lastFailAt && w.lastFailAt >= window.firstFailAt);
			if (!previous) {
				const detail = state.probes.find(p => p.layer === layer && p.sentAt === window.firstFailAt)?.detail;
				next = note(next, window.firstFailAt, {kind: 'layer-failing', layer, detail});
			}

			if (window.firstOkAfterAt !== undefined && previous?.firstOkAfterAt === undefined) {
				next = note(next, window.firstOkAfterAt, {kind: 'layer-ok-again', layer, window});
			}
		}

		const oldSlow = degradedWindows(before, layer);
		for (const window of degradedWindows(state, layer)) {
			const previous = oldSlow.find(w => w.firstFailAt <= window.lastFailAt && w.lastFailAt >= window.firstFailAt);
			if (!previous) {
				next = note(next, window.firstFailAt, {kind: 'layer-slow', layer, detail: window.detail});
			}

			if (window.firstOkAfterAt !== undefined && previous?.firstOkAfterAt === undefined) {
				next = note(next, window.firstOkAfterAt, {kind: 'layer-in-time', layer, window});
			}
		}
	}

	return next;
}

function replaceAt<T>(items: T[], index: number, item: T): T[] {
	const copy = [...items];
	copy[index] = item;
	return copy;
}

function note(state: Measurement, at: number, note: TimelineNote): Measurement {
	return {...state, log: [...state.log, {at, note}]};
}

// ---------------------------------------------------------------------------------------
// Selectors

function countsAsReady(pod: PodObservation): boolean {
	return pod.ready && !pod.terminating;
}

export function readyCount(state: Measurement): number {
	return Object.values(state.pods).filter(pod => countsAsReady(pod)).length;
}

/** Victims not yet gone (or, for kill-container, not yet restarted and Ready). */
export function victimsLeft(state: Measurement): VictimTimes[] {
	return state.victims.filter(victim => victim.restartsAtT0 === undefined ? victim.goneAt === undefined : victim.restartedAt === undefined);
}

export function isRecovered(state: Measurement): boolean {
	if (!state.started) {
		return false;
	}

	if (state.node) {
		// The node's pods were there all along: recovered is the kubelet back and everything on the node settled again.
		return nodeMissing(state.node, Object.values(state.pods)).length === 0;
	}

	if (state.workloadGoneAt !== undefined && state.workloadBackAt === undefined) {
		return false;
	}

	return readyCount(state) >= state.desired && victimsLeft(state).length === 0;
}

function answeredOk(result: ProbeResult): boolean {
	return result.outcome === 'ok' || result.outcome === 'slow';
}

export type OutageWindow = {
	layer: ProbeLayer;
	/** L0: the last ok probe sent before the run of failures. */
	lastOkBeforeAt?: number;
	/** F0 */
	firstFailAt: number;
	/** F1 */
	lastFailAt: number;
	/** L1: the first ok probe sent after it; undefined while the path is still down. */
	firstOkAfterAt?: number;
	failures: number;
	/** L1 − F0, the measured duration. */
	durationMs?: number;
	/** F1 − F0 and L1 − L0: the true outage lies between them. */
	minMs: number;
	maxMs?: number;
	/** The larger distance from the measured duration to either bound. */
	uncertaintyMs?: number;
	/** The first failure's sentence, e.g. "redis-follower does not resolve". */
	detail?: string;
};

/**
 * Runs of failed probes of one layer that touch the experiment (their last failure at or
 * after t0): measurement.md's [F0, L1) windows. Unknown results neither break nor extend a run.
 */
export function outageWindows(state: Measurement, layer: ProbeLayer): OutageWindow[] {
	return runsOf(state, layer, result => result.outcome === 'fail', result => result.outcome === 'unknown');
}

/**
 * Degraded windows: runs of SLOW probes (answered correctly, but later than the slow
 * threshold: 1 s, or half the probe timeout if less), measured the same way as outages, with
 * the same bounds. A failure or an unknown result neither breaks nor extends a run; an ok
 * answer in time ends it.
 */
export function degradedWindows(state: Measurement, layer: ProbeLayer): OutageWindow[] {
	return runsOf(state, layer, result => result.outcome === 'slow', result => result.outcome === 'unknown' || result.outcome === 'fail');
}

/** Every layer's degraded windows, path layers first. */
export function allDegradedWindows(state: Measurement): OutageWindow[] {
	const layers = [...new Set([...pathLayers, ...state.probes.map(result => result.layer)])];
	return layers.flatMap(layer => degradedWindows(state, layer));
}

function runsOf(state: Measurement, layer: ProbeLayer, bad: (result: ProbeResult) => boolean, skipped: (result: ProbeResult) => boolean): OutageWindow[] {
	const windows: OutageWindow[] = [];
	let lastOk: number | undefined;
	let open: OutageWindow | undefined;
	for (const result of state.probes) {
		if (result.layer !== layer || skipped(result)) {
			continue;
		}

		if (bad(result)) {
			if (open) {
				open.lastFailAt = result.sentAt;
				open.failures++;
			} else {
				open = {layer, lastOkBeforeAt: lastOk, firstFailAt: result.sentAt, lastFailAt: result.sentAt, failures: 1, minMs: 0, detail: result.detail};
			}

			continue;
		}

		if (open) {
			open.firstOkAfterAt = result.sentAt;
			windows.push(open);
			open = undefined;
		}

		lastOk = result.sentAt;
	}

	if (open) {
		windows.push(open);
	}

	const t0 = state.t0 ?? Number.NEGATIVE_INFINITY;
	const end = state.ending?.at ?? Number.POSITIVE_INFINITY;
	return windows
		.filter(window => window.lastFailAt >= t0 && window.firstFailAt <= end)
		.map(window => withBounds(window));
}

function withBounds(window: OutageWindow): OutageWindow {
	const minMs = window.lastFailAt - window.firstFailAt;
	if (window.firstOkAfterAt === undefined) {
		return {...window, minMs};
	}

	const durationMs = window.firstOkAfterAt - window.firstFailAt;
	const maxMs = window.lastOkBeforeAt === undefined ? undefined : window.firstOkAfterAt - window.lastOkBeforeAt;
	const uncertaintyMs = Math.max(durationMs - minMs, maxMs === undefined ? 0 : maxMs - durationMs);
	return {...window, minMs, durationMs, maxMs, uncertaintyMs};
}

/** A run of failures that began before t0: the layer was already broken when the experiment started. */
export function startedBeforeT0(state: Measurement, window: OutageWindow): boolean {
	return state.t0 !== undefined && window.firstFailAt < state.t0;
}

/** The end-to-end window still open (the banner's counting OUTAGE), with how long it has lasted as of `now`. */
export function currentOutage(state: Measurement, now: number = state.now): {window: OutageWindow; elapsedMs: number; hop?: ProbeLayer} | undefined {
	const window = outageWindows(state, 'end-to-end').find(candidate => candidate.firstOkAfterAt === undefined && !startedBeforeT0(state, candidate));
	return window && {window, elapsedMs: Math.max(0, now - window.firstFailAt), hop: brokenHop(state, window)};
}

/** Every layer's windows, path layers first. */
export function allOutageWindows(state: Measurement): OutageWindow[] {
	const layers = [...new Set([...pathLayers, ...state.probes.map(result => result.layer)])];
	return layers.flatMap(layer => outageWindows(state, layer));
}

/** Which hop broke an end-to-end window: the first path layer before end-to-end that failed during it. */
export function brokenHop(state: Measurement, window: OutageWindow): ProbeLayer | undefined {
	const end = window.firstOkAfterAt ?? Number.POSITIVE_INFINITY;
	for (const layer of pathLayers) {
		if (layer === 'end-to-end') {
			continue;
		}

		const overlapping = outageWindows(state, layer).some(w => w.firstFailAt < end && (w.firstOkAfterAt ?? Number.POSITIVE_INFINITY) > window.firstFailAt);
		if (overlapping) {
			return layer;
		}
	}

	return undefined;
}

export function functionWindows(state: Measurement): OutageWindow[] {
	const layer = functionLayerOf(state.component);
	return layer ? outageWindows(state, layer) : [];
}

/** End-to-end probes that were answered (ok, slow or fail) and sent inside the experiment. */
export function probesInside(state: Measurement, layer: ProbeLayer = 'end-to-end'): ProbeResult[] {
	const t0 = state.t0 ?? Number.POSITIVE_INFINITY;
	const end = state.ending?.at ?? state.now;
	return state.probes.filter(result => result.layer === layer && result.outcome !== 'unknown' && result.sentAt >= t0 && result.sentAt <= end);
}

export type Verdict = 'service-impact' | 'no-service-impact' | 'unknown' | 'not-recovered';

/** Why a verdict is unknown or not recovered. */
export type VerdictReason =
	| {kind: 'still-missing'; missing: Missing[]}
	/** The action failed, or the API server was lost. */
	| {kind: 'ended'; ending: Extract<Ending, {reason: 'action-failed' | 'api-server-lost'}>}
	| {kind: 'failing-before-t0'}
	| {kind: 'probes-could-not-run'; detail: string}
	| {kind: 'no-probe-answered'}
	| {kind: 'too-few-probes'; answered: number; needed: number};

export function verdictOf(state: Measurement): {verdict: Verdict; reason?: VerdictReason} {
	if (state.ending?.reason === 'time-limit') {
		return {verdict: 'not-recovered', reason: {kind: 'still-missing', missing: state.ending.missing}};
	}

	if (state.ending?.reason === 'action-failed' || state.ending?.reason === 'api-server-lost') {
		return {verdict: 'unknown', reason: {kind: 'ended', ending: state.ending}};
	}

	const endToEnd = outageWindows(state, 'end-to-end');
	if (endToEnd.some(window => !startedBeforeT0(state, window))) {
		return {verdict: 'service-impact'};
	}

	if (endToEnd.length > 0) {
		return {verdict: 'unknown', reason: {kind: 'failing-before-t0'}};
	}

	const answered = probesInside(state).length;
	const minProbes = state.limits.minProbes ?? 10;
	if (answered >= minProbes) {
		return {verdict: 'no-service-impact'};
	}

	if (answered === 0) {
		const t0 = state.t0 ?? 0;
		const unknown = [...state.probes].reverse().find(result => result.layer === 'end-to-end' && result.outcome === 'unknown' && result.sentAt >= t0);
		return {verdict: 'unknown', reason: unknown?.detail ? {kind: 'probes-could-not-run', detail: unknown.detail} : {kind: 'no-probe-answered'}};
	}

	return {verdict: 'unknown', reason: {kind: 'too-few-probes', answered, needed: minProbes}};
}

/** What keeps the experiment from being over. */
export function missing(state: Measurement): Missing[] {
	const missing: Missing[] = state.node ? nodeMissing(state.node, Object.values(state.pods)) : [];
	if (state.workloadGoneAt !== undefined && state.workloadBackAt === undefined) {
		missing.push({kind: 'workload-not-recreated', workload: workloadOf(state)});
	}

	const ready = readyCount(state);
	if (ready < state.desired && !state.node) {
		missing.push({kind: 'pods-not-ready', ready, desired: state.desired});
	}

	for (const victim of victimsLeft(state)) {
		missing.push({kind: 'victim-left', pod: victim.name, still: victim.restartsAtT0 !== undefined ? 'not-restarted' : (victim.terminatingAt === undefined ? 'there' : 'terminating')});
	}

	for (const window of allOutageWindows(state)) {
		if (window.firstOkAfterAt === undefined && !startedBeforeT0(state, window)) {
			missing.push({kind: 'layer-still-failing', layer: window.layer, since: window.firstFailAt});
		}
	}

	return missing;
}

/** When the path has been healthy without a break since (after recovery), or undefined while it is not. */
function healthySince(state: Measurement): number | undefined {
	if (state.recoveredAt === undefined) {
		return undefined;
	}

	let since = state.recoveredAt;
	for (const window of allOutageWindows(state)) {
		if (startedBeforeT0(state, window)) {
			// Broken before the experiment (no redis, a layer forbidden…): not this experiment's to wait for.
			continue;
		}

		if (window.firstOkAfterAt === undefined) {
			return undefined;
		}

		since = Math.max(since, window.firstOkAfterAt);
	}

	return since;
}

/**
 * The path is being probed (end-to-end results came before t0) but nothing sent since t0 has come
 * back yet. "No probe answered" then means "not yet", not "probes cannot run": a probe sent into
 * the outage can take longer than the settle time (a resolver waiting out dead servers), and the
 * scheduler reports every probe, by its timeout at the latest.
 */
function endToEndInFlight(state: Measurement): boolean {
	const t0 = state.t0 ?? Number.POSITIVE_INFINITY;
	const endToEnd = state.probes.filter(result => result.layer === 'end-to-end');
	return endToEnd.length > 0 && !endToEnd.some(result => result.sentAt >= t0);
}

function endingOf(state: Measurement): Ending | undefined {
	if (state.t0 === undefined) {
		return undefined;
	}

	if (state.apiServerLost) {
		// Silence is not a measurement: no settling and no "not recovered" while it lasts.
		const {since, reason} = state.apiServerLost;
		const graceMs = state.limits.apiServerGraceMs ?? apiServerGraceMs;
		if (state.now >= since + graceMs || state.now >= state.t0 + state.limits.timeoutMs) {
			return {at: state.now, reason: 'api-server-lost', lostAt: since, cause: reason};
		}

		return undefined;
	}

	const since = healthySince(state);
	if (since !== undefined && state.now >= since + state.limits.settleMs) {
		// Wait for enough probes to call "no service impact", when probes answer at all.
		const answered = probesInside(state).length;
		const minProbes = state.limits.minProbes ?? 10;
		if ((answered === 0 && !endToEndInFlight(state)) || answered >= minProbes || verdictOf(state).verdict === 'service-impact') {
			return {at: state.now, reason: 'settled'};
		}
	}

	if (state.now >= state.t0 + state.limits.timeoutMs) {
		if (since !== undefined && state.now >= since + state.limits.settleMs) {
			// Recovered and settled, only short of probes: over, and the verdict says why it is unknown.
			return {at: state.now, reason: 'settled'};
		}

		const what = missing(state);
		return {at: state.now, reason: 'time-limit', missing: what.length > 0 ? what : [{kind: 'not-settled'}]};
	}

	return undefined;
}

function workloadOf(state: Measurement): WorkloadName {
	return state.action?.kind === 'delete-workload' ? {workloadKind: state.action.workloadKind, workloadName: state.action.workloadName} : {component: state.component};
}

/**
 * The timeline in time order. `log` is in the order things became known, and a probe that
 * timed out is known only at its timeout, stamped with its send time: printed as it came, a
 * failure at +0.5 s stood after +2.1 s. Entries with the same time keep their order.
 */
export function timelineInOrder(state: Measurement): TimelineEntry[] {
	return state.log.map((entry, index) => ({entry, index})).sort((a, b) => a.entry.at - b.entry.at || a.index - b.index).map(({entry}) => entry);
}

/** Fold a list of events from the initial state: what tests and reports use. */
export function foldMeasurement(events: MeasurementEvent[], from: Measurement = initialMeasurement): Measurement {
	return events.reduce(reduceMeasurement, from);
}
