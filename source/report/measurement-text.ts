// The measurement in words: the timeline's lines, what is still missing, why a verdict is
// unknown, and the times they quote. model/measurement.ts keeps these as facts with their
// data; every screen line, headless line and report sentence about them is made here.
import {
	apiServerGraceMs,
	verdictOf,
	type Ending,
	type ExperimentAction,
	type Measurement,
	type Missing,
	type OutageWindow,
	type TimelineEntry,
	type TimelineNote,
	type Verdict,
	type VerdictReason,
	type WorkloadName,
} from '../model/measurement.js';
import {layerLabel} from '../probes/catalog.js';

/** `8.7 s ± 0.5 s`, or `≥ 3.0 s (ongoing)` while the path is still down. */
export function formatOutage(window: OutageWindow): string {
	if (window.durationMs === undefined) {
		return `≥ ${seconds(window.minMs)} (ongoing)`;
	}

	return `${seconds(window.durationMs)} ± ${seconds(window.uncertaintyMs ?? 0)}`;
}

export function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

/** `+5.5 s`, `−0.5 s`: a time from t0. */
export function sinceT0Text(ms: number): string {
	const tenths = Math.round(ms / 100);
	return `${tenths < 0 ? '−' : '+'}${(Math.abs(tenths) / 10).toFixed(1)} s`;
}

/** `+6.1 s` from the state's t0. */
export function sinceT0(state: Measurement, at: number | undefined): string | undefined {
	return at === undefined || state.t0 === undefined ? undefined : sinceT0Text(at - state.t0);
}

function plural(count: number, word: string): string {
	return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function actionText(action: ExperimentAction, component: string, victims: string[]): string {
	switch (action.kind) {
		case 'delete-pod': {
			return `delete pod ${action.pod}`;
		}

		case 'delete-pods': {
			return `delete ${plural(victims.length, 'pod')} of ${component}: ${victims.join(', ')}`;
		}

		case 'delete-workload': {
			return `delete ${action.workloadKind.toLowerCase()}/${action.workloadName} (owns ${plural(victims.length, 'pod')})`;
		}

		case 'kill-container': {
			return `kill 1 in ${action.pod}${action.container ? ` container ${action.container}` : ''}`;
		}

		case 'stop-kubelet': {
			return `stop the kubelet of ${action.node} for ${seconds(action.forMs)}`;
		}

		case 'stop-static-pod': {
			return `move ${action.pod}'s manifest out of the kubelet's directory on ${action.node} for ${seconds(action.forMs)}`;
		}
	}
}

function workloadText(workload: WorkloadName): string {
	return 'component' in workload ? `the ${workload.component} workload` : `${workload.workloadKind.toLowerCase()}/${workload.workloadName}`;
}

/** One line of the timeline, without its time (formatTimelineEntry adds it). */
export function entryText(entry: TimelineEntry, state: Measurement): string {
	return noteText(entry.note, state);
}

function noteText(note: TimelineNote, state: Measurement): string {
	switch (note.kind) {
		case 'started': {
			return `${actionText(note.action, note.component, note.victims)} (${note.readyBefore} Ready before)`;
		}

		case 'action-answered': {
			return `API server answered (${note.afterMs} ms)`;
		}

		case 'failed': {
			return `failed: ${note.message}`;
		}

		case 'workload-gone': {
			return `${workloadText(note.workload)} gone`;
		}

		case 'workload-back': {
			return `${workloadText(note.workload)} back (recreated)`;
		}

		case 'hammer': {
			return `hammer: delete ${plural(note.pods.length, 'pod')} again: ${note.pods.join(', ')}`;
		}

		case 'api-server-lost': {
			return `lost the API server: ${note.reason}`;
		}

		case 'api-server-back': {
			return `API server back after ${seconds(note.awayMs)}: measuring again`;
		}

		case 'pod': {
			return podStepText(note.pod, note.step);
		}

		case 'pod-scheduled': {
			return `${note.pod} scheduled${note.node ? ` on ${note.node}` : ''}`;
		}

		case 'recovered': {
			return `recovered: ${note.ready}/${note.desired} Ready, no victim left`;
		}

		case 'node-recovered': {
			return `recovered: the kubelet of ${note.node} is back and the pods left on it are Ready`;
		}

		case 'layer-failing': {
			return `${layerLabel(note.layer)} failing${note.detail ? `: ${note.detail}` : ''}`;
		}

		case 'layer-ok-again': {
			return `${layerLabel(note.layer)} ok again: outage ${formatOutage(note.window)}`;
		}

		case 'layer-slow': {
			return `${layerLabel(note.layer)} slow: ${note.detail ?? 'answered late'}`;
		}

		case 'layer-in-time': {
			return `${layerLabel(note.layer)} in time again: slow ${formatOutage(note.window)}`;
		}

		case 'ended': {
			return endingText(note.ending, note.limits, state);
		}

		case 'node-not-ready': {
			return `node ${note.node} NotReady (Ready=${note.ready}): the node controller noticed the kubelet stopped posting status`;
		}

		case 'node-ready-again': {
			return `node ${note.node} Ready again`;
		}

		case 'helper-running': {
			return `helper running on ${note.node}: kubelet restart scheduled on the host, kubelet stopping`;
		}

		case 'kubelet-back': {
			return `kubelet on ${note.node} reporting again`;
		}

		case 'node-pod-not-ready': {
			return `${note.pod} marked not ready by the node controller`;
		}

		case 'node-pod-hanging': {
			return `${note.pod} ${note.duringNotReady ? 'evicted or deleted' : 'deleted'}: Terminating, and it stays so while the kubelet is away`;
		}

		case 'node-pod-unstarted': {
			return `${note.pod} bound to ${note.node}: it cannot start while the kubelet is away`;
		}

		case 'node-pod-started': {
			return `${note.pod} started`;
		}
	}
}

function podStepText(pod: string, step: Extract<TimelineNote, {kind: 'pod'}>['step']): string {
	switch (step) {
		case 'restarted': {
			return `${pod} restarted and Ready`;
		}

		case 'recreated': {
			return `${pod} recreated (same name, new UID)`;
		}

		case 'created': {
			return `replacement ${pod} created`;
		}

		default: {
			return `${pod} ${step}`;
		}
	}
}

function endingText(ending: Ending, limits: Measurement['limits'], state: Measurement): string {
	switch (ending.reason) {
		case 'settled': {
			return `over: recovered and the path healthy for ${seconds(limits.settleMs)}`;
		}

		case 'time-limit': {
			return `not recovered within ${seconds(limits.timeoutMs)}: ${missingTexts(ending.missing, state).join('; ')}`;
		}

		case 'action-failed': {
			return `failed: ${ending.message}`;
		}

		case 'api-server-lost': {
			return `over, unknown: ${failureText(ending, state)}, not back within ${seconds(limits.apiServerGraceMs ?? apiServerGraceMs)}`;
		}
	}
}

/** Why an experiment ended without a measurement: the action's error, or when and why the API server was lost. */
export function failureText(ending: Extract<Ending, {reason: 'action-failed' | 'api-server-lost'}>, state: Measurement): string {
	return ending.reason === 'action-failed' ? ending.message : `lost the API server at ${sinceT0(state, ending.lostAt)} (${ending.cause})`;
}

export function missingTexts(missing: readonly Missing[], state: Measurement): string[] {
	return missing.map(item => missingText(item, state));
}

function missingText(item: Missing, state: Measurement): string {
	switch (item.kind) {
		case 'workload-not-recreated': {
			return `${workloadText(item.workload)} not recreated`;
		}

		case 'pods-not-ready': {
			return `${item.ready} of ${item.desired} pods Ready`;
		}

		case 'victim-left': {
			return item.still === 'not-restarted' ? `${item.pod} not restarted` : `${item.pod} still ${item.still}`;
		}

		case 'layer-still-failing': {
			return `${layerLabel(item.layer)} still failing since ${sinceT0(state, item.since)}`;
		}

		case 'not-settled': {
			return 'the path has not been healthy for the settle time';
		}

		case 'kubelet-not-back': {
			return `kubelet on ${item.node} not back`;
		}

		case 'node-not-ready': {
			return `node ${item.node} not Ready`;
		}

		case 'node-pods-not-ready': {
			return `${plural(item.count, 'pod')} on ${item.node} not Ready`;
		}

		case 'deletions-hanging': {
			return `${plural(item.count, 'deletion')} still hanging`;
		}

		case 'pods-not-started': {
			return `${plural(item.count, 'pod')} not started`;
		}
	}
}

function reasonText(reason: VerdictReason, state: Measurement): string {
	switch (reason.kind) {
		case 'still-missing': {
			return `still missing: ${missingTexts(reason.missing, state).join('; ')}`;
		}

		case 'ended': {
			return failureText(reason.ending, state);
		}

		case 'failing-before-t0': {
			return 'the end-to-end path was already failing before t0';
		}

		case 'probes-could-not-run': {
			return `probes could not run: ${reason.detail}`;
		}

		case 'no-probe-answered': {
			return 'no end-to-end probe answered during the experiment';
		}

		case 'too-few-probes': {
			return `only ${reason.answered} end-to-end probes fell inside the experiment (need ${reason.needed})`;
		}
	}
}

/** The verdict, and when it is unknown or not recovered, why in one sentence. */
export function verdictWithWhy(state: Measurement): {verdict: Verdict; why?: string} {
	const {verdict, reason} = verdictOf(state);
	return reason ? {verdict, why: reasonText(reason, state)} : {verdict};
}
