// The few fields of pods, workloads and Events that the screen, the measurement and the
// engine read, copied out of the whole API objects the watches deliver. At 20,000 pods the
// whole objects (managed fields, specs, env, volumes) are most of the process's memory and
// what every cache of them keeps alive; these copies are a tenth of that. The copies are
// read-only (parts of them are shared between pods). Whatever is read
// from a PodLike, OwnerLike or EventLike anywhere must be copied here (the types say which).
import {mirrorAnnotation} from './component.js';
import type {ContainerStateLike, ContainerStatusLike, OwnerReferenceLike, PodLike} from './pod-status.js';
import type {EventLike, OwnerLike} from '../kube/pod-source.js';

/** The resourceVersion rides along: the informer resumes its watch from the last one it saw. */
type Versioned = {metadata?: {resourceVersion?: string} | null};

// The pods of a DaemonSet have the same labels, owner, containers and (timestamps aside)
// conditions: one frozen copy of each distinct value serves them all. Keyed by the value's
// JSON; the table is dropped when it grows past what a namespace's variety explains.
const shared = new Map<string, unknown>();
const sharedLimit = 50_000;

function share<T>(value: T): T {
	if (value === undefined || value === null) {
		return value;
	}

	const key = JSON.stringify(value);
	const known = shared.get(key);
	if (known !== undefined) {
		return known as T;
	}

	if (shared.size >= sharedLimit) {
		shared.clear();
	}

	shared.set(key, Object.freeze(value));
	return value;
}

function ownerReferences(references: readonly OwnerReferenceLike[] | null | undefined): OwnerReferenceLike[] | undefined {
	return share(references?.map(({apiVersion, kind, name, uid, controller}) => ({apiVersion, kind, name, uid, controller})));
}

/** Who an object is and at which version: what every slim object keeps of its metadata. */
function identity(metadata: {name?: string; namespace?: string; uid?: string; resourceVersion?: string}) {
	return {name: metadata.name, namespace: metadata.namespace, uid: metadata.uid, resourceVersion: metadata.resourceVersion};
}

function containerState(state: ContainerStateLike | null | undefined): ContainerStateLike | undefined {
	if (!state) {
		return undefined;
	}

	const {waiting, running, terminated} = state;
	return {
		waiting: waiting ? {reason: waiting.reason} : undefined,
		running: running ? {startedAt: running.startedAt} : undefined,
		terminated: terminated
			? {exitCode: terminated.exitCode, signal: terminated.signal, reason: terminated.reason, startedAt: terminated.startedAt, finishedAt: terminated.finishedAt}
			: undefined,
	};
}

function containerStatuses(statuses: readonly ContainerStatusLike[] | null | undefined): ContainerStatusLike[] | undefined {
	return statuses?.map(status => ({
		name: status.name,
		ready: status.ready,
		started: status.started,
		restartCount: status.restartCount,
		state: containerState(status.state),
		lastState: containerState(status.lastState),
	}));
}

export function slimPod(pod: PodLike & Versioned): PodLike & Versioned {
	const {metadata, spec, status} = pod;
	const mirror = metadata?.annotations?.[mirrorAnnotation];
	return {
		metadata: metadata && {
			...identity(metadata),
			creationTimestamp: metadata.creationTimestamp,
			deletionTimestamp: metadata.deletionTimestamp ?? undefined,
			labels: share(metadata.labels),
			annotations: mirror === undefined ? undefined : share({[mirrorAnnotation]: mirror}),
			ownerReferences: ownerReferences(metadata.ownerReferences),
		},
		spec: spec && {
			nodeName: spec.nodeName,
			containers: share(spec.containers?.map(container => ({name: container.name}))),
			initContainers: share(spec.initContainers?.map(container => ({name: container.name, restartPolicy: container.restartPolicy}))),
		},
		status: status && {
			phase: status.phase,
			reason: status.reason,
			conditions: share(status.conditions?.map(condition => ({type: condition.type, status: condition.status, reason: condition.reason}))),
			containerStatuses: containerStatuses(status.containerStatuses),
			initContainerStatuses: containerStatuses(status.initContainerStatuses),
		},
	};
}

export function slimOwner(owner: OwnerLike & Versioned): OwnerLike & Versioned {
	const {kind, metadata, spec, status} = owner;
	return {
		kind,
		metadata: metadata && {
			...identity(metadata),
			labels: metadata.labels,
			ownerReferences: ownerReferences(metadata.ownerReferences),
		},
		spec: spec && {replicas: spec.replicas},
		status: status && {
			replicas: status.replicas,
			readyReplicas: status.readyReplicas,
			desiredNumberScheduled: status.desiredNumberScheduled,
			numberReady: status.numberReady,
		},
	};
}

export function slimEvent(event: EventLike & Versioned): EventLike & Versioned {
	const {metadata, involvedObject} = event;
	return {
		metadata: metadata && {...identity(metadata), creationTimestamp: metadata.creationTimestamp},
		type: event.type,
		reason: event.reason,
		message: event.message,
		count: event.count,
		involvedObject: involvedObject && {kind: involvedObject.kind, name: involvedObject.name, namespace: involvedObject.namespace},
		firstTimestamp: event.firstTimestamp,
		lastTimestamp: event.lastTimestamp,
		eventTime: event.eventTime,
	};
}
