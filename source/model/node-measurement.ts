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

/** What the timeline records of the node (report/measurement-text.ts says it in words). */
export type NodeFact =
	| {kind: 'node-not-ready'; node: string; ready: NodeReadiness}
	| {kind: 'node-ready-again'; node: string}
	| {kind: 'helper-running'; node: string}
	| {kind: 'kubelet-back'; node: string}
	| {kind: 'node-pod-not-ready'; pod: string}
	| {kind: 'node-pod-hanging'; pod: string; duringNotReady: boolean}
	| {kind: 'node-pod-unstarted'; pod: string; node: string}
	| {kind: 'node-pod-started'; pod: string};

export type NodeNote = {at: number; note: NodeFact};

/** What keeps a node experiment from having recovered. */
export type NodeMissing =
	| {kind: 'kubelet-not-back'; node: string}
	| {kind: 'node-not-ready'; node: string}
	| {kind: 'node-pods-not-ready'; node: string; count: number}
	| {kind: 'deletions-hanging'; count: number}
	| {kind: 'pods-not-started'; count: number};

/** The node object's Ready condition as a watch showed it. */
export function nodeSeen(node: NodeTimes, ready: NodeReadiness, at: number): {node: NodeTimes; notes: NodeNote[]} {
	if (ready !== 'True' && node.notReadyAt === undefined) {
		return {node: {...node, notReadyAt: at}, notes: [{at, note: {kind: 'node-not-ready', node: node.name, ready}}]};
	}

	if (ready === 'True' && node.notReadyAt !== undefined && node.readyAgainAt === undefined) {
		const back = {...node, readyAgainAt: at, kubeletBackAt: node.kubeletBackAt ?? at};
		return {node: back, notes: [{at, note: {kind: 'node-ready-again', node: node.name}}]};
	}

	return {node, notes: []};
}

/** The helper pod's phase: Running means the stop is under way; a finished phase is reported by a kubelet that is back. */
export function helperSeen(node: NodeTimes, helper: {phase?: string; exitCode?: number; message?: string}, at: number): {node: NodeTimes; notes: NodeNote[]} {
	if (helper.phase === 'Running' && node.stopRunningAt === undefined) {
		return {node: {...node, stopRunningAt: at}, notes: [{at, note: {kind: 'helper-running', node: node.name}}]};
	}

	if (helper.phase === 'Failed' && node.helperFailed === undefined) {
		return {node: {...node, helperFailed: helper.message || `exit code ${helper.exitCode ?? '?'}`}, notes: []};
	}

	if (helper.phase === 'Succeeded' && node.kubeletBackAt === undefined) {
		return {node: {...node, kubeletBackAt: at}, notes: [{at, note: {kind: 'kubelet-back', node: node.name}}]};
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
		notes.push({at, note: {kind: 'node-pod-not-ready', pod: pod.name}});
	} else if (pod.ready && notReadyIndex >= 0) {
		next = {...next, podsNotReady: next.podsNotReady.map((entry, index) => index === notReadyIndex ? {...entry, readyAgainAt: at} : entry)};
	}

	if (pod.terminating && away(node) && !next.hangingDeletes.some(entry => entry.name === pod.name)) {
		const duringNotReady = node.notReadyAt !== undefined;
		next = {...next, hangingDeletes: [...next.hangingDeletes, {name: pod.name, since: at, duringNotReady}]};
		notes.push({at, note: {kind: 'node-pod-hanging', pod: pod.name, duringNotReady}});
	}

	const unstartedIndex = next.unstarted.findIndex(entry => entry.name === pod.name);
	if (!atT0 && away(node) && unstartedIndex < 0 && pod.phase !== 'Running' && !pod.terminating) {
		next = {...next, unstarted: [...next.unstarted, {name: pod.name, since: at}]};
		notes.push({at, note: {kind: 'node-pod-unstarted', pod: pod.name, node: node.name}});
	} else if (unstartedIndex >= 0 && pod.phase === 'Running' && next.unstarted[unstartedIndex].runningAt === undefined) {
		next = {...next, unstarted: next.unstarted.map((entry, index) => index === unstartedIndex ? {...entry, runningAt: at} : entry)};
		notes.push({at, note: {kind: 'node-pod-started', pod: pod.name}});
	}

	return {node: next, notes};
}

export function nodePodDeleted(node: NodeTimes, name: string, at: number): NodeTimes {
	const index = node.hangingDeletes.findIndex(entry => entry.name === name && entry.goneAt === undefined);
	return index < 0 ? node : {...node, hangingDeletes: node.hangingDeletes.map((entry, i) => i === index ? {...entry, goneAt: at} : entry)};
}

/** What keeps a node experiment from having recovered (empty: recovered). */
export function nodeMissing(node: NodeTimes, pods: PodObservation[]): NodeMissing[] {
	const missing: NodeMissing[] = [];
	if (node.helperFailed !== undefined) {
		return missing;
	}

	if (node.kubeletBackAt === undefined) {
		missing.push({kind: 'kubelet-not-back', node: node.name});
	}

	if (node.notReadyAt !== undefined && node.readyAgainAt === undefined) {
		missing.push({kind: 'node-not-ready', node: node.name});
	}

	const notReady = pods.filter(pod => !pod.ready && !pod.terminating && pod.phase !== 'Succeeded' && pod.phase !== 'Failed');
	if (notReady.length > 0) {
		missing.push({kind: 'node-pods-not-ready', node: node.name, count: notReady.length});
	}

	const hanging = node.hangingDeletes.filter(entry => entry.goneAt === undefined).length;
	if (hanging > 0) {
		missing.push({kind: 'deletions-hanging', count: hanging});
	}

	const unstarted = node.unstarted.filter(entry => entry.runningAt === undefined).length;
	if (unstarted > 0) {
		missing.push({kind: 'pods-not-started', count: unstarted});
	}

	return missing;
}
