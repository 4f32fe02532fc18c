// What a key press asks to do to the cluster, before it is done: the selected pod or
// component turned into one request, the one-line question that names the context, the
// namespace and exactly what goes, and the engine options that carry it out. Pure, so the
// wording and the choices are testable without a screen.
import type {ExperimentOptions} from '../experiment/engine.js';
import {hasWorkloadObject} from '../experiment/plan.js';
import {isMirrorPod, type ComponentRef, type WorkloadKind} from '../model/component.js';
import type {PodLike} from '../model/pod-status.js';
import type {PodEntry, Row} from '../model/screen.js';
import {nodeQuestionText, seconds, type NodeRequest} from './node-requests.js';

export type ActionRequest =
	| {kind: 'delete-pod'; component: ComponentRef; pod: string; mirror: boolean}
	| {kind: 'delete-pods'; component: ComponentRef; pods: string[]}
	| {kind: 'delete-workload'; component: ComponentRef; workloadKind: WorkloadKind; pods: string[]}
	| {kind: 'kill-container'; component: ComponentRef; pod: string; container?: string}
	| {kind: 'hammer'; component: ComponentRef; pods: string[]; forMs: number}
	/** A node experiment (node-requests.ts words its question). */
	| NodeRequest;

/** Where the action happens, for the question. */
export type ActionScope = {contextName: string; namespace: string};

function podsText(names: string[]): string {
	return `${names.length} pod${names.length === 1 ? '' : 's'}`;
}

/** `in kube-system on knockdown-sim` */
function where(scope: ActionScope): string {
	return `in ${scope.namespace} on ${scope.contextName}`;
}

/** What the mirror-pod question adds: deleting the API object does not stop anything. */
const mirrorPodNote = 'static pod: the kubelet recreates the mirror pod at once and the container never stops';

/**
 * The confirmation, one line: `delete pod kube-dns-…-x2v in kube-system on knockdown-sim?`
 * (the screen adds `y/N`). Names every pod that goes.
 */
export function questionText(request: ActionRequest, scope: ActionScope): string {
	switch (request.kind) {
		case 'delete-pod': {
			return request.mirror
				? `delete mirror pod ${request.pod} ${where(scope)}? (${mirrorPodNote})`
				: `delete pod ${request.pod} ${where(scope)}?`;
		}

		case 'delete-pods': {
			const mirror = request.component.kind === 'StaticPod' ? ` (${mirrorPodNote})` : '';
			return `delete all ${podsText(request.pods)} of ${request.component.name} (${request.pods.join(', ')}) ${where(scope)}?${mirror}`;
		}

		case 'delete-workload': {
			return `delete ${request.workloadKind.toLowerCase()}/${request.component.name} itself (it owns ${podsText(request.pods)}: ${request.pods.join(', ')}) ${where(scope)}?`;
		}

		case 'kill-container': {
			return `kill 1 in container ${request.container ?? '(the only one)'} of pod ${request.pod} ${where(scope)}? (the container restarts, the pod stays)`;
		}

		case 'hammer': {
			return `hammer ${request.component.name} for ${seconds(request.forMs)}: delete its ${podsText(request.pods)} (${request.pods.join(', ')}) and again each time a replacement is Ready, ${where(scope)}?`;
		}

		case 'stop-kubelet':
		case 'stop-static-pod': {
			return nodeQuestionText(request, scope);
		}
	}
}

/** The engine's options for a pod request (everything but view, deleter, monitor, limits). */
export function experimentTarget(request: Exclude<ActionRequest, NodeRequest>): Pick<ExperimentOptions, 'component' | 'mode' | 'podName' | 'containerKill' | 'hammerForMs'> {
	// The component's key (`deployment/kube-dns`, `static/kube-proxy`) names exactly the group on screen.
	const component = request.component.key;
	switch (request.kind) {
		case 'delete-pod': {
			return {component, mode: 'pod', podName: request.pod};
		}

		case 'delete-pods': {
			return {component, mode: 'pods'};
		}

		case 'delete-workload': {
			return {component, mode: 'workload'};
		}

		case 'kill-container': {
			return {component, mode: 'pod', podName: request.pod, containerKill: {pod: request.pod, container: request.container}};
		}

		case 'hammer': {
			return {component, mode: 'pods', hammerForMs: request.forMs};
		}
	}
}

/** Pods still there (not gone, not already terminating), by name. */
export function livePodNames(entries: readonly PodEntry[]): string[] {
	return entries.filter(entry => entry.goneAt === undefined && !entry.terminating).map(entry => entry.name).sort();
}

/** Why a pod row cannot be acted on, or undefined when it can. */
export function podRowProblem(row: Row | undefined, namespace: string): string | undefined {
	if (!row) {
		return 'nothing selected';
	}

	if (row.type !== 'pod') {
		return `select a pod first (${row.summary.component.name} is a component line; D acts on the whole component)`;
	}

	const podNamespace = row.entry.pod.metadata?.namespace;
	if (podNamespace !== undefined && podNamespace !== namespace) {
		return `${row.entry.name} is in ${podNamespace}, not ${namespace}: knockdown acts only in the namespace on screen`;
	}

	if (row.entry.goneAt !== undefined) {
		return `${row.entry.name} is already gone`;
	}

	if (row.entry.terminating) {
		return `${row.entry.name} is already terminating`;
	}

	return undefined;
}

export function deletePodRequest(component: ComponentRef, pod: PodLike): ActionRequest {
	return {kind: 'delete-pod', component, pod: pod.metadata?.name ?? '', mirror: isMirrorPod(pod)};
}

/** The containers `x` can kill, in the pod's order. */
export function containerNames(pod: PodLike): string[] {
	return (pod.spec?.containers ?? []).map(container => container.name).filter(Boolean);
}

export type ComponentChoice = {label: string; value: 'pods' | 'workload' | 'stop'};

/** `D`'s menu: every pod at once, or (for a workload) the object itself, or (for a static pod) stopping it for real. */
export function componentChoices(component: ComponentRef, pods: string[], stopForMs?: number): ComponentChoice[] {
	const choices: ComponentChoice[] = [{label: `all pods (${pods.length}: ${pods.join(', ')})`, value: 'pods'}];
	if (component.kind === 'StaticPod' && stopForMs !== undefined) {
		choices.push({label: `stop for real for ${seconds(stopForMs)} on the selected pod's node (its manifest moved out of the kubelet's directory; the question names the node)`, value: 'stop'});
	}

	if (hasWorkloadObject(component)) {
		const restorer = component.kind === 'StatefulSet' ? '' : ' — the addon manager restores an addon';
		choices.push({label: `the ${component.kind} ${component.name} itself (kubectl delete ${component.kind.toLowerCase()}${restorer})`, value: 'workload'});
	}

	return choices;
}
