// The workload controllers: ReplicaSet (keeps its pod count, replaces lost pods), Deployment
// (a ReplicaSet per template revision, rolling update by maxSurge/maxUnavailable) and
// DaemonSet (one pod per eligible node). The world's builder uses their status functions to
// write a settled world directly.
import type {KubeObject} from '../store.js';
import {specChanged, type Change, type Controller, type ControllerContext} from './controller.js';
import type {Defaults} from './defaults.js';
import {controllerOf, freshPodName, isActive, isFinished, isReady, isTerminating, ownerRef, podFromTemplate} from './pods.js';
import {timing} from './timing.js';
import {between, deepEqual, iso, matchesSelector, podTemplateHash} from './util.js';

/** The controllers' own state: caches that make a 5000-node DaemonSet cheap. */
type Workloads = {
	readonly context: ControllerContext;
	readonly defaults: Defaults;
	/** A DaemonSet generation's template hash, by `uid/generation`. */
	readonly revisionHashes: Map<string, string>;
	/** A DaemonSet's eligible nodes, valid for one generation and node set. */
	readonly eligibleCache: Map<string, {key: string; nodes: string[]}>;
};

export class WorkloadControllers implements Controller {
	private readonly state: Workloads;

	constructor(context: ControllerContext, defaults: Defaults) {
		this.state = {context, defaults, revisionHashes: new Map(), eligibleCache: new Map()};
	}

	onChange(change: Change): void {
		const {resource, type, object} = change;
		const uid = object.metadata.uid!;
		const {schedule, random} = this.state.context;
		switch (resource) {
			case 'pods': {
				this.podChanged(change);
				break;
			}

			case 'replicasets': {
				if (type !== 'DELETED' && specChanged(change)) {
					schedule.soon(`rs:${uid}`, between(random, ...timing.replaceMs), () => {
						syncReplicaSet(this.state, uid, true);
					});
				}

				const owner = controllerOf(object);
				if (owner?.kind === 'Deployment') {
					if (type === 'DELETED') {
						schedule.soon(`deploy:${owner.uid}`, between(random, ...timing.replaceMs), () => {
							syncDeployment(this.state, owner.uid);
						});
					} else {
						// A rollout moves on as the ReplicaSets' pods become available.
						schedule.soon(`deploy:${owner.uid}`, 0, () => {
							syncDeployment(this.state, owner.uid);
						});
					}
				}

				break;
			}

			case 'deployments': {
				if (type !== 'DELETED' && specChanged(change)) {
					schedule.soon(`deploy:${uid}`, between(random, 50, 150), () => {
						syncDeployment(this.state, uid);
					});
				}

				break;
			}

			case 'daemonsets': {
				if (type !== 'DELETED' && specChanged(change)) {
					this.syncDaemonSetSoon(uid);
				}

				break;
			}

			case 'nodes': {
				if (type === 'ADDED') {
					for (const daemonSet of this.state.context.store.list('daemonsets')) {
						this.syncDaemonSetSoon(daemonSet.metadata.uid!);
					}
				}

				break;
			}

			default:
		}
	}

	private podChanged({type, object: pod, previous}: Change): void {
		const {schedule, random} = this.state.context;
		const owner = controllerOf(pod);
		const lost = type === 'DELETED' || (isTerminating(pod) && !isTerminating(previous ?? pod))
			|| (isFinished(pod) && !isFinished(previous ?? pod));
		if (owner?.kind === 'ReplicaSet') {
			schedule.soon(`rs-status:${owner.uid}`, 0, () => {
				syncReplicaSet(this.state, owner.uid, false);
			});
			if (lost) {
				schedule.soon(`rs:${owner.uid}`, between(random, ...timing.replaceMs), () => {
					syncReplicaSet(this.state, owner.uid, true);
				});
			}
		} else if (owner?.kind === 'DaemonSet') {
			// Batched: a DaemonSet's status counts a pod per node (5000 of them on a big cluster).
			schedule.soon(`ds-status:${owner.uid}`, 100, () => {
				updateDaemonSetStatus(this.state, owner.uid);
			});
			if (lost) {
				this.syncDaemonSetSoon(owner.uid);
			}
		}
	}

	private syncDaemonSetSoon(uid: string): void {
		this.state.context.schedule.soon(`ds:${uid}`, between(this.state.context.random, ...timing.replaceMs), () => {
			syncDaemonSet(this.state, uid);
		});
	}

	// What the world's builder writes directly for a settled world.

	replicaSetFor(deployment: KubeObject, replicas: number, revision: number): KubeObject {
		return replicaSetFor(this.state, deployment, replicas, revision);
	}

	daemonPod(daemonSet: KubeObject, nodeName: string): KubeObject {
		return daemonPod(this.state, daemonSet, nodeName);
	}

	daemonSetStatus(daemonSet: KubeObject): any {
		return daemonSetStatus(this.state, daemonSet);
	}

	eligibleNodes(daemonSet: KubeObject): string[] {
		return eligibleNodes(this.state, daemonSet);
	}
}

function replicaSetFor(state: Workloads, deployment: KubeObject, replicas: number, revision: number): KubeObject {
	const hash = podTemplateHash(deployment.spec.template, state.context.salt);
	const template = structuredClone(deployment.spec.template);
	template.metadata ??= {};
	template.metadata.labels = {...template.metadata.labels, 'pod-template-hash': hash};
	const maxSurge = Math.ceil(replicas * 0.25);
	return state.defaults.withDefaults('replicasets', {
		apiVersion: 'apps/v1',
		kind: 'ReplicaSet',
		metadata: {
			name: `${deployment.metadata.name}-${hash}`,
			namespace: deployment.metadata.namespace,
			labels: {...template.metadata.labels},
			annotations: {
				'deployment.kubernetes.io/desired-replicas': String(replicas),
				'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge),
				'deployment.kubernetes.io/revision': String(revision),
			},
			ownerReferences: [ownerRef(deployment)],
		},
		spec: {
			replicas,
			selector: {matchLabels: {...deployment.spec.selector?.matchLabels, 'pod-template-hash': hash}},
			template,
		},
	}, true);
}

function syncReplicaSet(state: Workloads, uid: string, manage: boolean): void {
	const replicaSet = state.context.indexes.byUid(uid);
	if (!replicaSet || replicaSet.kind !== 'ReplicaSet') {
		return;
	}

	const namespace = replicaSet.metadata.namespace!;
	const pods = state.context.indexes.dependentPods(uid);
	const active = pods.filter(pod => isActive(pod));
	if (manage && !isTerminating(replicaSet)) {
		const desired = replicaSet.spec.replicas ?? 1;
		for (let i = active.length; i < desired; i++) {
			const pod = podFromTemplate(replicaSet.spec.template, namespace, freshPodName(state.context.store, namespace, `${replicaSet.metadata.name}-`), ownerRef(replicaSet));
			const created = state.context.store.create('pods', pod);
			state.context.events.record(replicaSet, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, {component: 'replicaset-controller'});
		}

		if (active.length > desired) {
			// Delete the least useful first: unscheduled, then not ready, then the newest.
			const rank = (pod: KubeObject) => (pod.spec?.nodeName ? 2 : 0) + (isReady(pod) ? 1 : 0);
			const victims = [...active].sort((a, b) => rank(a) - rank(b) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))
				.slice(0, active.length - desired);
			for (const victim of victims) {
				state.context.api.deletePod(victim, undefined);
				state.context.events.record(replicaSet, 'Normal', 'SuccessfulDelete', `Deleted pod: ${victim.metadata.name}`, {component: 'replicaset-controller'});
			}
		}
	}

	const status = replicaSetStatus(replicaSet, state.context.indexes.dependentPods(uid));
	if (!deepEqual(status, replicaSet.status)) {
		state.context.store.update('replicasets', namespace, replicaSet.metadata.name, draft => {
			draft.status = status;
		});
	}
}

export function replicaSetStatus(replicaSet: KubeObject, pods: KubeObject[]): any {
	const active = pods.filter(pod => isActive(pod));
	const ready = active.filter(pod => isReady(pod)).length;
	const status: any = {replicas: active.length, fullyLabeledReplicas: active.length};
	if (ready > 0) {
		status.readyReplicas = ready;
		status.availableReplicas = ready;
	}

	status.observedGeneration = replicaSet.metadata.generation ?? 1;
	return status;
}

/**
 * The Deployment controller: one ReplicaSet per template (named by its hash), rolled out
 * as RollingUpdate does it — the new one grows by maxSurge, old ones shrink as long as
 * maxUnavailable allows — or, for Recreate, old ones first.
 */
function syncDeployment(state: Workloads, uid: string): void {
	const deployment = state.context.indexes.byUid(uid);
	if (!deployment || deployment.kind !== 'Deployment' || isTerminating(deployment)) {
		return;
	}

	const {namespace, name} = deployment.metadata;
	const desired = deployment.spec.replicas ?? 1;
	const hash = podTemplateHash(deployment.spec.template, state.context.salt);
	const newName = `${name}-${hash}`;
	const owned = state.context.indexes.dependentRefs(uid).filter(ref => ref.resource === 'replicasets')
		.map(ref => state.context.store.get('replicasets', ref.namespace, ref.name))
		.filter((rs): rs is KubeObject => Boolean(rs) && !isTerminating(rs!));
	const olds = owned.filter(rs => rs.metadata.name !== newName)
		.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
	const oldTotal = olds.reduce((sum, rs) => sum + (rs.spec.replicas ?? 0), 0);
	const oldPods = olds.reduce((sum, rs) => sum + (rs.status?.replicas ?? 0), 0);
	const recreate = deployment.spec.strategy?.type === 'Recreate';
	const {maxSurge, maxUnavailable} = rollingParameters(deployment, desired);
	const newTarget = (current: number) => {
		if (oldTotal === 0) {
			return recreate && oldPods > 0 ? 0 : desired;
		}

		return recreate ? 0 : Math.min(desired, Math.max(current, desired + maxSurge - oldTotal));
	};

	const scaled = (rsName: string, from: number, to: number) => {
		state.context.events.record(deployment, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rsName} to ${to}`, {component: 'deployment-controller'});
	};

	const newRs = owned.find(rs => rs.metadata.name === newName);
	if (newRs) {
		const target = newTarget(newRs.spec.replicas ?? 0);
		if (target !== newRs.spec.replicas) {
			state.context.store.update('replicasets', namespace, newName, draft => {
				draft.spec.replicas = target;
				draft.metadata.annotations = {...draft.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': String(desired)};
			});
			scaled(newName, newRs.spec.replicas ?? 0, target);
		}
	} else {
		const existing = state.context.store.get('replicasets', namespace, newName);
		const target = newTarget(0);
		if (existing && !isTerminating(existing) && !controllerOf(existing)) {
			// Adopt the orphan with the same template (e.g. after `delete --cascade=orphan`).
			state.context.store.update('replicasets', namespace, newName, draft => {
				draft.metadata.ownerReferences = [ownerRef(deployment)];
				draft.spec.replicas = target;
			});
		} else if (!existing) {
			state.context.store.create('replicasets', replicaSetFor(state, deployment, target, owned.length + 1));
			if (target > 0) {
				scaled(newName, 0, target);
			}
		}
	}

	// Old ReplicaSets shrink: unavailable pods go freely, available ones while enough stay.
	// Pods above a ReplicaSet's (just lowered) replicas are on their way out: they do not count.
	const availableOf = (rs: KubeObject) => Math.min(rs.spec.replicas ?? 0, rs.status?.availableReplicas ?? 0);
	const available = owned.reduce((sum, rs) => sum + availableOf(rs), 0);
	let canRemove = Math.max(0, available - (desired - maxUnavailable));
	for (const old of olds) {
		const current = old.spec.replicas ?? 0;
		if (current === 0) {
			continue;
		}

		const unavailable = Math.max(0, current - availableOf(old));
		const down = recreate ? current : Math.min(current, unavailable + canRemove);
		canRemove -= Math.max(0, down - unavailable);
		if (down > 0) {
			state.context.store.update('replicasets', old.metadata.namespace, old.metadata.name, draft => {
				draft.spec.replicas = current - down;
			});
			scaled(old.metadata.name, current, current - down);
		}
	}

	updateDeploymentStatus(state, uid);
}

function updateDeploymentStatus(state: Workloads, uid: string): void {
	const deployment = state.context.indexes.byUid(uid);
	if (!deployment || deployment.kind !== 'Deployment') {
		return;
	}

	const replicaSets = state.context.indexes.dependentRefs(uid).filter(ref => ref.resource === 'replicasets')
		.map(ref => state.context.store.get('replicasets', ref.namespace, ref.name)).filter((rs): rs is KubeObject => Boolean(rs));
	const newName = `${deployment.metadata.name}-${podTemplateHash(deployment.spec.template, state.context.salt)}`;
	const status = deploymentStatus(deployment, replicaSets, newName, state.context.clock.now());
	if (!deepEqual(status, deployment.status)) {
		state.context.store.update('deployments', deployment.metadata.namespace, deployment.metadata.name, draft => {
			draft.status = status;
		});
	}
}

export function deploymentStatus(deployment: KubeObject, replicaSets: KubeObject[], newName: string, nowMs: number): any {
	const desired = deployment.spec.replicas ?? 1;
	let replicas = 0;
	let ready = 0;
	let available = 0;
	let updated = 0;
	for (const rs of replicaSets) {
		replicas += rs.status?.replicas ?? 0;
		ready += rs.status?.readyReplicas ?? 0;
		available += rs.status?.availableReplicas ?? 0;
		if (rs.metadata.name === newName) {
			updated = rs.status?.replicas ?? 0;
		}
	}

	const maxUnavailable = Math.floor(desired * 0.25);
	const old: any[] = deployment.status?.conditions ?? [];
	const conditionOf = (type: string, ok: boolean, reason: string, message: string) => {
		const previous = old.find(entry => entry.type === type);
		const same = previous && previous.status === (ok ? 'True' : 'False') && previous.reason === reason;
		return {
			type,
			status: ok ? 'True' : 'False',
			lastUpdateTime: same ? previous.lastUpdateTime : iso(nowMs),
			lastTransitionTime: previous && previous.status === (ok ? 'True' : 'False') ? previous.lastTransitionTime : iso(nowMs),
			reason,
			message,
		};
	};

	const isAvailable = available >= desired - maxUnavailable;
	const complete = updated === desired && available >= desired && replicas === desired;
	const status: any = {
		observedGeneration: deployment.metadata.generation ?? 1,
		replicas,
		updatedReplicas: updated,
		readyReplicas: ready,
		availableReplicas: available,
		conditions: [
			conditionOf('Available', isAvailable, isAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', isAvailable ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'),
			conditionOf('Progressing', true, complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', complete ? `ReplicaSet "${newName}" has successfully progressed.` : `ReplicaSet "${newName}" is progressing.`),
		],
	};
	if (ready === 0) {
		delete status.readyReplicas;
	}

	if (available === 0) {
		delete status.availableReplicas;
	}

	if (desired - available > 0) {
		status.unavailableReplicas = desired - available;
	}

	return status;
}

// ---------------------------------------------------------------------------------------
// DaemonSet controller

function daemonPod(state: Workloads, daemonSet: KubeObject, nodeName: string): KubeObject {
	const namespace = daemonSet.metadata.namespace!;
	const generation = daemonSet.metadata.generation ?? 1;
	// One revision hash per DaemonSet generation: hashing the template per pod is what made 5000 nodes slow.
	const cacheKey = `${daemonSet.metadata.uid}/${generation}`;
	let revision = state.revisionHashes.get(cacheKey);
	if (!revision) {
		revision = podTemplateHash(daemonSet.spec.template, state.context.salt);
		state.revisionHashes.set(cacheKey, revision);
	}

	const template = {
		metadata: {
			...daemonSet.spec.template.metadata,
			labels: {...daemonSet.spec.template.metadata?.labels, 'controller-revision-hash': revision, 'pod-template-generation': String(generation)},
		},
		spec: daemonSet.spec.template.spec,
	};
	return podFromTemplate(template, namespace, freshPodName(state.context.store, namespace, `${daemonSet.metadata.name}-`), ownerRef(daemonSet), {
		affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: [nodeName]}]}]}}},
	});
}

export function targetNodeOf(pod: KubeObject): string | undefined {
	return pod.spec?.nodeName ?? pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
}

/** The nodes a DaemonSet runs on, cached per DaemonSet generation and node set (5000 nodes). */
function eligibleNodes(state: Workloads, daemonSet: KubeObject): string[] {
	const cacheKey = `${daemonSet.metadata.uid}/${daemonSet.metadata.generation ?? 1}/${state.context.indexes.nodesVersion}`;
	const cached = state.eligibleCache.get(daemonSet.metadata.uid!);
	if (cached?.key === cacheKey) {
		return cached.nodes;
	}

	const podSpec = daemonSet.spec.template?.spec;
	const selector = podSpec?.nodeSelector;
	const hasSelector = selector && Object.keys(selector).length > 0;
	const nodes = state.context.indexes.nodeNames.filter(name => state.context.indexes.tolerates(podSpec, name)
		&& (!hasSelector || matchesSelector(state.context.store.get('nodes', undefined, name)?.metadata.labels, selector)));
	state.eligibleCache.set(daemonSet.metadata.uid!, {key: cacheKey, nodes});
	return nodes;
}

function syncDaemonSet(state: Workloads, uid: string): void {
	const daemonSet = state.context.indexes.byUid(uid);
	if (!daemonSet || daemonSet.kind !== 'DaemonSet' || isTerminating(daemonSet)) {
		return;
	}

	const byNode = new Map<string, KubeObject[]>();
	for (const pod of state.context.indexes.dependentPods(uid)) {
		if (!isActive(pod)) {
			continue;
		}

		const node = targetNodeOf(pod) ?? '';
		const list = byNode.get(node) ?? [];
		list.push(pod);
		byNode.set(node, list);
	}

	for (const nodeName of eligibleNodes(state, daemonSet)) {
		const pods = byNode.get(nodeName) ?? [];
		if (pods.length === 0) {
			const created = state.context.store.create('pods', daemonPod(state, daemonSet, nodeName));
			state.context.events.record(daemonSet, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, {component: 'daemonset-controller'});
		}

		for (const extra of pods.slice(1)) {
			state.context.api.deletePod(extra, undefined);
			state.context.events.record(daemonSet, 'Normal', 'SuccessfulDelete', `Deleted pod: ${extra.metadata.name}`, {component: 'daemonset-controller'});
		}
	}

	updateDaemonSetStatus(state, uid);
}

function daemonSetStatus(state: Workloads, daemonSet: KubeObject): any {
	const desired = eligibleNodes(state, daemonSet).length;
	let scheduled = 0;
	let ready = 0;
	for (const pod of state.context.indexes.dependentPods(daemonSet.metadata.uid!)) {
		if (!isActive(pod) || !pod.spec?.nodeName) {
			continue;
		}

		scheduled++;
		if (isReady(pod)) {
			ready++;
		}
	}

	const status: any = {
		currentNumberScheduled: scheduled,
		desiredNumberScheduled: desired,
		numberMisscheduled: 0,
		numberReady: ready,
		observedGeneration: daemonSet.metadata.generation ?? 1,
		updatedNumberScheduled: scheduled,
	};
	if (ready > 0) {
		status.numberAvailable = ready;
	}

	if (desired - ready > 0) {
		status.numberUnavailable = desired - ready;
	}

	return status;
}

function updateDaemonSetStatus(state: Workloads, uid: string): void {
	const daemonSet = state.context.indexes.byUid(uid);
	if (!daemonSet || daemonSet.kind !== 'DaemonSet') {
		return;
	}

	const status = daemonSetStatus(state, daemonSet);
	if (!deepEqual(status, daemonSet.status)) {
		state.context.store.update('daemonsets', daemonSet.metadata.namespace, daemonSet.metadata.name, draft => {
			draft.status = status;
		});
	}
}

/** RollingUpdate's maxSurge (rounded up) and maxUnavailable (rounded down), never both 0. */
function rollingParameters(deployment: KubeObject, desired: number): {maxSurge: number; maxUnavailable: number} {
	const resolve = (value: unknown, roundUp: boolean): number => {
		if (typeof value === 'number') {
			return value;
		}

		const percent = typeof value === 'string' ? Number.parseFloat(value) : 25;
		const exact = (desired * (Number.isNaN(percent) ? 25 : percent)) / 100;
		return roundUp ? Math.ceil(exact) : Math.floor(exact);
	};

	const rolling = deployment.spec.strategy?.rollingUpdate ?? {};
	const maxSurge = resolve(rolling.maxSurge ?? '25%', true);
	let maxUnavailable = resolve(rolling.maxUnavailable ?? '25%', false);
	if (maxSurge === 0 && maxUnavailable === 0) {
		maxUnavailable = 1;
	}

	return {maxSurge, maxUnavailable};
}
