// Small hand-made Kubernetes objects for the screen's reducer and view tests: just the fields
// podDisplay and componentOf read, shaped as the API returns them.
import type {PodLike} from '../../source/model/pod-status.js';
import type {EventLike, OwnerLike} from '../../source/kube/pod-source.js';

export const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);

export type PodSpecOptions = {
	uid?: string;
	namespace?: string;
	/** Owned by this ReplicaSet (name `<deployment>-<hash>`). */
	replicaSet?: string;
	daemonSet?: string;
	/** A mirror pod of a static pod on this node. */
	mirrorOn?: string;
	node?: string;
	createdAt?: number;
	ready?: boolean;
	restarts?: number;
	containers?: number;
	terminating?: boolean;
	phase?: string;
};

export function fakePod(name: string, options: PodSpecOptions = {}): PodLike {
	const containers = options.containers ?? 1;
	const ready = options.ready ?? true;
	const ownerReferences = options.replicaSet
		? [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: options.replicaSet, uid: `uid-rs-${options.replicaSet}`, controller: true}]
		: options.daemonSet
			? [{apiVersion: 'apps/v1', kind: 'DaemonSet', name: options.daemonSet, uid: `uid-ds-${options.daemonSet}`, controller: true}]
			: undefined;
	const hash = options.replicaSet?.split('-').at(-1);
	return {
		metadata: {
			name,
			namespace: options.namespace ?? 'kube-system',
			uid: options.uid ?? `uid-${name}`,
			creationTimestamp: new Date(options.createdAt ?? t0 - 3_600_000).toISOString(),
			deletionTimestamp: options.terminating ? new Date(t0).toISOString() : undefined,
			labels: hash ? {'pod-template-hash': hash} : {},
			annotations: options.mirrorOn ? {'kubernetes.io/config.mirror': 'abc', 'kubernetes.io/config.source': 'file'} : {},
			ownerReferences,
		},
		spec: {
			nodeName: options.mirrorOn ?? options.node ?? 'node-a',
			containers: Array.from({length: containers}, (_, index) => ({name: `c${index}`})),
		},
		status: {
			phase: options.phase ?? 'Running',
			conditions: [{type: 'Ready', status: ready ? 'True' : 'False'}],
			containerStatuses: Array.from({length: containers}, (_, index) => ({
				name: `c${index}`,
				ready,
				restartCount: index === 0 ? options.restarts ?? 0 : 0,
				state: {running: {startedAt: new Date(t0 - 3_600_000).toISOString()}},
			})),
		},
	};
}

export function fakeReplicaSet(name: string, deployment: string, replicas = 1): OwnerLike {
	return {
		kind: 'ReplicaSet',
		metadata: {
			name,
			namespace: 'kube-system',
			uid: `uid-rs-${name}`,
			ownerReferences: [{kind: 'Deployment', name: deployment, uid: `uid-deploy-${deployment}`, controller: true}],
		},
		spec: {replicas},
	};
}

export function fakeDeployment(name: string, replicas: number): OwnerLike {
	return {kind: 'Deployment', metadata: {name, namespace: 'kube-system', uid: `uid-deploy-${name}`}, spec: {replicas}};
}

export function fakeDaemonSet(name: string, desired: number): OwnerLike {
	return {kind: 'DaemonSet', metadata: {name, namespace: 'kube-system', uid: `uid-ds-${name}`}, status: {desiredNumberScheduled: desired}};
}

export function fakeEvent(name: string, reason: string, at: number, message = `${reason} happened`): EventLike {
	return {
		metadata: {name, namespace: 'kube-system', uid: `uid-ev-${name}`},
		reason,
		message,
		type: 'Normal',
		involvedObject: {kind: 'Pod', name: name.split('.')[0]},
		lastTimestamp: new Date(at).toISOString(),
	};
}
