// Pods as the API server, scheduler and kubelet write them: spec defaults, QoS class,
// container statuses in each lifecycle state, and the four conditions kubectl reads.
import type {KubeObject, OwnerReference, Store} from '../store.js';
import {iso, randomHex, randomSafeString, sha256Hex} from './util.js';

export type ContainerStatus = {
	name: string;
	state: Record<string, any>;
	lastState: Record<string, any>;
	ready: boolean;
	restartCount: number;
	image: string;
	imageID: string;
	containerID?: string;
	started: boolean;
};

export function isMirrorPod(pod: KubeObject): boolean {
	return Boolean(pod.metadata.annotations?.['kubernetes.io/config.mirror']);
}

export function controllerOf(object: KubeObject): OwnerReference | undefined {
	return object.metadata.ownerReferences?.find(reference => reference.controller);
}

export function isTerminating(object: KubeObject): boolean {
	return Boolean(object.metadata.deletionTimestamp);
}

export function isFinished(pod: KubeObject): boolean {
	return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Counted by ReplicaSets and DaemonSets: not terminating, not finished. */
export function isActive(pod: KubeObject): boolean {
	return !isTerminating(pod) && !isFinished(pod);
}

export function isReady(pod: KubeObject): boolean {
	return pod.status?.conditions?.some((condition: any) => condition.type === 'Ready' && condition.status === 'True') ?? false;
}

export function imageIdOf(image: string): string {
	const repository = image.replace(/:[^:/]+$/, '');
	return `docker-pullable://${repository}@sha256:${sha256Hex(image)}`;
}

// Container IDs come from a pool of random bytes: one crypto call per ID is too slow for 5000 nodes.
let idPool = '';

export function newContainerId(): string {
	if (idPool.length < 64) {
		idPool = randomHex(64 * 256);
	}

	const id = idPool.slice(0, 64);
	idPool = idPool.slice(64);
	return `docker://${id}`;
}

function hasResources(resources: any, kind: 'requests' | 'limits'): boolean {
	return Boolean(resources?.[kind] && Object.keys(resources[kind]).length > 0);
}

export function qosClassOf(spec: any): 'Guaranteed' | 'Burstable' | 'BestEffort' {
	const containers: any[] = spec?.containers ?? [];
	if (containers.every(container => !hasResources(container.resources, 'requests') && !hasResources(container.resources, 'limits'))) {
		return 'BestEffort';
	}

	const guaranteed = containers.every(container => {
		const limits = container.resources?.limits ?? {};
		const requests = {...limits, ...container.resources?.requests};
		return limits.cpu && limits.memory && requests.cpu === limits.cpu && requests.memory === limits.memory;
	});
	return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** The API server's defaults for a pod spec (containers and pod-level fields). */
export function defaultPodSpec(spec: any): any {
	const out = {...spec};
	out.containers = (spec.containers ?? []).map((container: any) => ({
		imagePullPolicy: container.image?.endsWith(':latest') || !container.image?.includes(':') ? 'Always' : 'IfNotPresent',
		resources: {},
		terminationMessagePath: '/dev/termination-log',
		terminationMessagePolicy: 'File',
		...container,
	}));
	out.restartPolicy ??= 'Always';
	out.terminationGracePeriodSeconds ??= 30;
	out.dnsPolicy ??= 'ClusterFirst';
	out.securityContext ??= {};
	out.schedulerName ??= 'default-scheduler';
	out.serviceAccountName ??= spec.serviceAccount ?? 'default';
	out.serviceAccount ??= out.serviceAccountName;
	if (out.priority === undefined) {
		out.priority = out.priorityClassName === 'system-node-critical' ? 2_000_001_000 : (out.priorityClassName === 'system-cluster-critical' ? 2_000_000_000 : 0);
	}

	out.tolerations ??= [
		{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
		{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
	];
	return out;
}

/** A new pod from a workload's template, as the ReplicaSet or DaemonSet controller creates it. */
export function podFromTemplate(template: any, namespace: string, name: string, owner: OwnerReference | undefined, extraSpec: Record<string, unknown> = {}): KubeObject {
	const metadata: KubeObject['metadata'] = {
		name,
		namespace,
		labels: {...template.metadata?.labels},
	};
	if (template.metadata?.annotations) {
		metadata.annotations = {...template.metadata.annotations};
	}

	if (owner) {
		metadata.generateName = name.slice(0, name.lastIndexOf('-') + 1);
		metadata.ownerReferences = [owner];
	}

	// No deep copy: the store clones what it is given.
	const spec = defaultPodSpec({...template.spec, ...extraSpec});
	return {apiVersion: 'v1', kind: 'Pod', metadata, spec, status: {phase: 'Pending', qosClass: qosClassOf(spec)}};
}

type Condition = {type: string; status: 'True' | 'False'; lastProbeTime: null; lastTransitionTime: string; reason?: string; message?: string};

function condition(type: string, ok: boolean, atMs: number, reason?: string, message?: string): Condition {
	const out: Condition = {type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: iso(atMs)};
	if (!ok && reason) {
		out.reason = reason;
		out.message = message;
	}

	return out;
}

/** Set a condition, keeping its transition time when its status does not change. */
export function setCondition(status: any, type: string, ok: boolean, atMs: number, reason?: string, message?: string): void {
	const conditions: Condition[] = status.conditions ?? [];
	status.conditions = conditions;
	const existing = conditions.find(entry => entry.type === type);
	const next = condition(type, ok, atMs, reason, message);
	if (existing) {
		if (existing.status === next.status) {
			if (!ok) {
				existing.reason = reason;
				existing.message = message;
			}

			return;
		}

		Object.assign(existing, next);
		if (ok) {
			delete existing.reason;
			delete existing.message;
		}
	} else {
		conditions.push(next);
		// kubelet 1.11 order: Initialized, Ready, ContainersReady, PodScheduled.
		const order = ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
		conditions.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
	}
}

/** Ready and ContainersReady from the containers' ready flags (and whether the pod terminates). */
export function refreshReadiness(pod: KubeObject, atMs: number): void {
	const statuses: ContainerStatus[] = pod.status.containerStatuses ?? [];
	const unready = statuses.filter(status => !status.ready).map(status => status.name);
	const ready = statuses.length > 0 && unready.length === 0 && !pod.metadata.deletionTimestamp;
	const message = `containers with unready status: [${unready.join(' ')}]`;
	setCondition(pod.status, 'Ready', ready, atMs, 'ContainersNotReady', message);
	setCondition(pod.status, 'ContainersReady', ready, atMs, 'ContainersNotReady', message);
}

export function waitingStatus(container: any, reason: string, restartCount = 0, message?: string): ContainerStatus {
	return {
		name: container.name,
		state: {waiting: message ? {reason, message} : {reason}},
		lastState: {},
		ready: false,
		restartCount,
		image: container.image,
		imageID: '',
		started: false,
	};
}

export function runningStatus(container: any, startedMs: number, ready: boolean, restartCount = 0): ContainerStatus {
	return {
		name: container.name,
		state: {running: {startedAt: iso(startedMs)}},
		lastState: {},
		ready,
		restartCount,
		image: container.image,
		imageID: imageIdOf(container.image),
		containerID: newContainerId(),
		started: true,
	};
}

export function byName<T extends {name: string}>(items: T[]): T[] {
	return items.sort((a, b) => (a.name < b.name ? -1 : (a.name > b.name ? 1 : 0)));
}

/** The status of a pod that has been running and ready since long ago. */
export function settledStatus(pod: KubeObject, hostIP: string, podIP: string, startMs: number, readyMs: number): any {
	const containers: any[] = pod.spec.containers;
	const status: any = {
		phase: 'Running',
		conditions: [],
		hostIP,
		podIP,
		startTime: iso(startMs),
		containerStatuses: byName(containers.map(container => runningStatus(container, startMs + 1500, true))),
		qosClass: qosClassOf(pod.spec),
	};
	setCondition(status, 'Initialized', true, startMs);
	setCondition(status, 'Ready', true, readyMs);
	setCondition(status, 'ContainersReady', true, readyMs);
	setCondition(status, 'PodScheduled', true, startMs - 200);
	return status;
}

/** Go's time.Duration formatting for whole seconds (10s, 1m20s, 5m0s), as the back-off message shows. */
export function goDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	if (seconds < 60) {
		return `${seconds}s`;
	}

	return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

/** A name for a controller's new pod: the prefix and five random characters, not yet taken. */
export function freshPodName(store: Store, namespace: string, prefix: string): string {
	for (;;) {
		// Names use their own randomness, so a test's fixed `random` (for delays) cannot loop here.
		const name = prefix + randomSafeString(5);
		if (!store.get('pods', namespace, name)) {
			return name;
		}
	}
}

/** The reference a controller puts on what it creates. */
export function ownerRef(owner: KubeObject): OwnerReference {
	return {apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true};
}

/** The kubelet's report of a finished container: terminated state, phase Succeeded or Failed. */
export function applyExit(draft: KubeObject, exit: {exitCode: number; at: number; message: string}): void {
	for (const status of draft.status?.containerStatuses ?? []) {
		if (status.state?.running) {
			status.state = {terminated: {
				exitCode: exit.exitCode,
				reason: exit.exitCode === 0 ? 'Completed' : 'Error',
				...(exit.exitCode !== 0 && exit.message ? {message: exit.message} : {}),
				startedAt: status.state.running.startedAt,
				finishedAt: iso(exit.at),
				containerID: status.containerID,
			}};
			status.ready = false;
			status.started = false;
		}
	}

	draft.status.phase = exit.exitCode === 0 ? 'Succeeded' : 'Failed';
	for (const condition of draft.status.conditions ?? []) {
		if (condition.type === 'Ready' || condition.type === 'ContainersReady') {
			condition.status = 'False';
			condition.reason = 'PodCompleted';
		}
	}
}
