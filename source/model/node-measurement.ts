// What a node-level experiment (the kubelet stopped for a while) adds to the measurement:
// the node's readiness as the node controller saw it, and what happened to the pods on the
// node while its kubelet was away. Pure: measurement.ts calls these from its reducer, every
// event carrying its own time.
import type {PodObservation} from './pod-observation.js';

export type NodeReadiness = 'True' | 'False' | 'Unknown';

export type NodeTimes = {
	name: string;
	/** How long the kubelet was to be stopped (--for). */
	forMs: number;
	/** The helper pod was seen running: the stop was sent on the node. */
	stopRunningAt?: number;
	/** The node controller marked the node NotReady/Unknown (first seen after t0). */
	notReadyAt?: number;
	/** Ready again after notReadyAt. */
	readyAgainAt?: number;
	/** The kubelet reported again (the helper's exit, or the node Ready again). */
	kubeletBackAt?: number;
	/** The helper's command failed: nothing was stopped. */
	helperFailed?: string;
	/** Pods of the node marked not ready while it was NotReady (they leave their Services' endpoints). */
	podsNotReady: Array<{name: string; at: number; readyAgainAt?: number}>;
	/** Deletions that began while the kubelet was away (evictions among them): they hang in Terminating. */
	hangingDeletes: Array<{name: string; since: number; goneAt?: number; duringNotReady: boolean}>;
	/** Pods bound to the node that were not started while the kubelet was away. */
	unstarted: Array<{name: string; since: number; runningAt?: number}>;
};

export function initialNodeTimes(name: string, forMs: number): NodeTimes {
	return {name, forMs, podsNotReady: [], hangingDeletes: [], unstarted: []};
}

export type NodeNote = {at: number; text: string};

/** The node object's Ready condition as a watch showed it. */
export function nodeSeen(node: NodeTimes, ready: NodeReadiness, at: number): {node: NodeTimes; notes: NodeNote[]} {
	if (ready !== 'True' && node.notReadyAt === undefined) {
		return {node: {...node, notReadyAt: at}, notes: [{at, text: `node ${node.name} NotReady (Ready=${ready}): the node controller noticed the kubelet stopped posting status`}]};
	}

	if (ready === 'True' && node.notReadyAt !== undefined && node.readyAgainAt === undefined) {
		const back = {...node, readyAgainAt: at, kubeletBackAt: node.kubeletBackAt ?? at};
		return {node: back, notes: [{at, text: `node ${node.name} Ready again`}]};
	}

	return {node, notes: []};
}

/** The helper pod's phase: Running means the stop is under way; a finished phase is reported by a kubelet that is back. */
export function helperSeen(node: NodeTimes, helper: {phase?: string; exitCode?: number; message?: string}, at: number): {node: NodeTimes; notes: NodeNote[]} {
	if (helper.phase === 'Running' && node.stopRunningAt === undefined) {
		return {node: {...node, stopRunningAt: at}, notes: [{at, text: `helper running on ${node.name}: kubelet restart scheduled on the host, kubelet stopping`}]};
	}

	if (helper.phase === 'Failed' && node.helperFailed === undefined) {
		return {node: {...node, helperFailed: helper.message || `exit code ${helper.exitCode ?? '?'}`}, notes: []};
	}

	if (helper.phase === 'Succeeded' && node.kubeletBackAt === undefined) {
		return {node: {...node, kubeletBackAt: at}, notes: [{at, text: `kubelet on ${node.name} reporting again`}]};
	}

	return {node, notes: []};
}

function away(node: NodeTimes): boolean {
	return node.stopRunningAt !== undefined && node.kubeletBackAt === undefined;
}

/** A pod of the node, as its watch showed it; `atT0` says whether it was there at t0. */
export function nodePodSeen(node: NodeTimes, pod: PodObservation, atT0: boolean, at: number): {node: NodeTimes; notes: NodeNote[]} {
	const notes: NodeNote[] = [];
	let next = node;
	const notReadyIndex = node.podsNotReady.findIndex(entry => entry.name === pod.name && entry.readyAgainAt === undefined);
	if (atT0 && !pod.ready && !pod.terminating && notReadyIndex < 0 && node.notReadyAt !== undefined && node.readyAgainAt === undefined) {
		next = {...next, podsNotReady: [...next.podsNotReady, {name: pod.name, at}]};
		notes.push({at, text: `${pod.name} marked not ready by the node controller`});
	} else if (pod.ready && notReadyIndex >= 0) {
		next = {...next, podsNotReady: next.podsNotReady.map((entry, index) => index === notReadyIndex ? {...entry, readyAgainAt: at} : entry)};
	}

	if (pod.terminating && away(node) && !next.hangingDeletes.some(entry => entry.name === pod.name)) {
		const duringNotReady = node.notReadyAt !== undefined;
		next = {...next, hangingDeletes: [...next.hangingDeletes, {name: pod.name, since: at, duringNotReady}]};
		notes.push({at, text: `${pod.name} ${duringNotReady ? 'evicted or deleted' : 'deleted'}: Terminating, and it stays so while the kubelet is away`});
	}

	const unstartedIndex = next.unstarted.findIndex(entry => entry.name === pod.name);
	if (!atT0 && away(node) && unstartedIndex < 0 && pod.phase !== 'Running' && !pod.terminating) {
		next = {...next, unstarted: [...next.unstarted, {name: pod.name, since: at}]};
		notes.push({at, text: `${pod.name} bound to ${node.name}: it cannot start while the kubelet is away`});
	} else if (unstartedIndex >= 0 && pod.phase === 'Running' && next.unstarted[unstartedIndex].runningAt === undefined) {
		next = {...next, unstarted: next.unstarted.map((entry, index) => index === unstartedIndex ? {...entry, runningAt: at} : entry)};
		notes.push({at, text: `${pod.name} started`});
	}

	return {node: next, notes};
}

export function nodePodDeleted(node: NodeTimes, name: string, at: number): NodeTimes {
	const index = node.hangingDeletes.findIndex(entry => entry.name === name && entry.goneAt === undefined);
	return index < 0 ? node : {...node, hangingDeletes: node.hangingDeletes.map((entry, i) => i === index ? {...entry, goneAt: at} : entry)};
}

/** What keeps a node experiment from having recovered, in words (empty: recovered). */
export function nodeMissing(node: NodeTimes, pods: PodObservation[]): string[] {
	const missing: string[] = [];
	if (node.helperFailed !== undefined) {
		return missing;
	}

	if (node.kubeletBackAt === undefined) {
		missing.push(`kubelet on ${node.name} not back`);
	}

	if (node.notReadyAt !== undefined && node.readyAgainAt === undefined) {
		missing.push(`node ${node.name} not Ready`);
	}

	const notReady = pods.filter(pod => !pod.ready && !pod.terminating && pod.phase !== 'Succeeded' && pod.phase !== 'Failed');
	if (notReady.length > 0) {
		missing.push(`${notReady.length} pod${notReady.length === 1 ? '' : 's'} on ${node.name} not Ready`);
	}

	const hanging = node.hangingDeletes.filter(entry => entry.goneAt === undefined).length;
	if (hanging > 0) {
		missing.push(`${hanging} deletion${hanging === 1 ? '' : 's'} still hanging`);
	}

	const unstarted = node.unstarted.filter(entry => entry.runningAt === undefined).length;
	if (unstarted > 0) {
		missing.push(`${unstarted} pod${unstarted === 1 ? '' : 's'} not started`);
	}

	return missing;
}
