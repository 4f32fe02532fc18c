// The workload controllers: ReplicaSet (keeps its pod count, replaces lost pods), Deployment
// (a ReplicaSet per template revision, rolling update by maxSurge/maxUnavailable) and
// DaemonSet (one pod per eligible node). World routes store events to them.
import type {KubeObject} from '../store.js';
import {withDefaults} from './defaults.js';
import {controllerOf, isActive, isReady, isTerminating, podFromTemplate} from './pods.js';
import {deepEqual, iso, matchesSelector, podTemplateHash} from './util.js';
import type {World} from './world.js';

export function replicaSetFor(world: World, deployment: KubeObject, replicas: number, revision: number): KubeObject {
	const hash = podTemplateHash(deployment.spec.template, world.salt);
	const template = structuredClone(deployment.spec.template);
	template.metadata ??= {};
	template.metadata.labels = {...template.metadata.labels, 'pod-template-hash': hash};
	const maxSurge = Math.ceil(replicas * 0.25);
	return withDefaults(world, 'replicasets', {
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
			ownerReferences: [world.ownerRef(deployment)],
		},
		spec: {
			replicas,
			selector: {matchLabels: {...deployment.spec.selector?.matchLabels, 'pod-template-hash': hash}},
			template,
		},
	}, true);
}

export function syncReplicaSet(world: World, uid: string, manage: boolean): void {
	const replicaSet = world.byUid(uid);
	if (!replicaSet || replicaSet.kind !== 'ReplicaSet') {
		return;
	}

	const namespace = replicaSet.metadata.namespace!;
	const pods = world.dependentPods(uid);
	const active = pods.filter(pod => isActive(pod));
	if (manage && !isTerminating(replicaSet)) {
		const desired = replicaSet.spec.replicas ?? 1;
		for (let i = active.length; i < desired; i++) {
			const pod = podFromTemplate(replicaSet.spec.template, namespace, world.freshPodName(namespace, `${replicaSet.metadata.name}-`), world.ownerRef(replicaSet));
			const created = world.store.create('pods', pod);
			world.events.record(replicaSet, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, {component: 'replicaset-controller'});
		}

		if (active.length > desired) {
			// Delete the least useful first: unscheduled, then not ready, then the newest.
			const rank = (pod: KubeObject) => (pod.spec?.nodeName ? 2 : 0) + (isReady(pod) ? 1 : 0);
			const victims = [...active].sort((a, b) => rank(a) - rank(b) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))
				.slice(0, active.length - desired);
			for (const victim of victims) {
				world.deletePod(victim, undefined);
				world.events.record(replicaSet, 'Normal', 'SuccessfulDelete', `Deleted pod: ${victim.metadata.name}`, {component: 'replicaset-controller'});
			}
		}
	}

	const status = replicaSetStatus(world, replicaSet, world.dependentPods(uid));
	if (!deepEqual(status, replicaSet.status)) {
		world.store.update('replicasets', namespace, replicaSet.metadata.name, draft => {
			draft.status = status;
		});
	}
}

export function replicaSetStatus(world: World, replicaSet: KubeObject, pods: KubeObject[]): any {
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
export function syncDeployment(world: World, uid: string): void {
	const deployment = world.byUid(uid);
	if (!deployment || deployment.kind !== 'Deployment' || isTerminating(deployment)) {
		return;
	}

	const {namespace, name} = deployment.metadata;
	const desired = deployment.spec.replicas ?? 1;
	const hash = podTemplateHash(deployment.spec.template, world.salt);
	const newName = `${name}-${hash}`;
	const owned = world.dependentRefs(uid).filter(ref => ref.resource === 'replicasets')
		.map(ref => world.store.get('replicasets', ref.namespace, ref.name))
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
		world.events.record(deployment, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rsName} to ${to}`, {component: 'deployment-controller'});
	};

	const newRs = owned.find(rs => rs.metadata.name === newName);
	if (newRs) {
		const target = newTarget(newRs.spec.replicas ?? 0);
		if (target !== newRs.spec.replicas) {
			world.store.update('replicasets', namespace, newName, draft => {
				draft.spec.replicas = target;
				draft.metadata.annotations = {...draft.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': String(desired)};
			});
			scaled(newName, newRs.spec.replicas ?? 0, target);
		}
	} else {
		const existing = world.store.get('replicasets', namespace, newName);
		const target = newTarget(0);
		if (existing && !isTerminating(existing) && !controllerOf(existing)) {
			// Adopt the orphan with the same template (e.g. after `delete --cascade=orphan`).
			world.store.update('replicasets', namespace, newName, draft => {
				draft.metadata.ownerReferences = [world.ownerRef(deployment)];
				draft.spec.replicas = target;
			});
		} else if (!existing) {
			world.store.create('replicasets', replicaSetFor(world, deployment, target, owned.length + 1));
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
			world.store.update('replicasets', old.metadata.namespace, old.metadata.name, draft => {
				draft.spec.replicas = current - down;
			});
			scaled(old.metadata.name, current, current - down);
		}
	}

	updateDeploymentStatus(world, uid);
}

function updateDeploymentStatus(world: World, uid: string): void {
	const deployment = world.byUid(uid);
	if (!deployment || deployment.kind !== 'Deployment') {
		return;
	}

	const replicaSets = world.dependentRefs(uid).filter(ref => ref.resource === 'replicasets')
		.map(ref => world.store.get('replicasets', ref.namespace, ref.name)).filter((rs): rs is KubeObject => Boolean(rs));
	const newName = `${deployment.metadata.name}-${podTemplateHash(deployment.spec.template, world.salt)}`;
	const status = deploymentStatus(world, deployment, replicaSets, newName, world.clock.now());
	if (!deepEqual(status, deployment.status)) {
		world.store.update('deployments', deployment.metadata.namespace, deployment.metadata.name, draft => {
			draft.status = status;
		});
	}
}

export function deploymentStatus(world: World, deployment: KubeObject, replicaSets: KubeObject[], newName: string, nowMs: number): any {
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

export function daemonPod(world: World, daemonSet: KubeObject, nodeName: string): KubeObject {
	const namespace = daemonSet.metadata.namespace!;
	const generation = daemonSet.metadata.generation ?? 1;
	// One revision hash per DaemonSet generation: hashing the template per pod is what made 5000 nodes slow.
	const cacheKey = `${daemonSet.metadata.uid}/${generation}`;
	let revision = world.revisionHashes.get(cacheKey);
	if (!revision) {
		revision = podTemplateHash(daemonSet.spec.template, world.salt);
		world.revisionHashes.set(cacheKey, revision);
	}

	const template = {
		metadata: {
			...daemonSet.spec.template.metadata,
			labels: {...daemonSet.spec.template.metadata?.labels, 'controller-revision-hash': revision, 'pod-template-generation': String(generation)},
		},
		spec: daemonSet.spec.template.spec,
	};
	return podFromTemplate(template, namespace, world.freshPodName(namespace, `${daemonSet.metadata.name}-`), world.ownerRef(daemonSet), {
		affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: [nodeName]}]}]}}},
	});
}

export function targetNodeOf(world: World, pod: KubeObject): string | undefined {
	return pod.spec?.nodeName ?? pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
}

/** The nodes a DaemonSet runs on, cached per DaemonSet generation and node set (5000 nodes). */
export function eligibleNodes(world: World, daemonSet: KubeObject): string[] {
	const cacheKey = `${daemonSet.metadata.uid}/${daemonSet.metadata.generation ?? 1}/${world.nodesVersion}`;
	const cached = world.eligibleCache.get(daemonSet.metadata.uid!);
	if (cached?.key === cacheKey) {
		return cached.nodes;
	}

	const podSpec = daemonSet.spec.template?.spec;
	const selector = podSpec?.nodeSelector;
	const hasSelector = selector && Object.keys(selector).length > 0;
	const nodes = world.nodeNames.filter(name => world.tolerates(podSpec, name)
		&& (!hasSelector || matchesSelector(world.store.get('nodes', undefined, name)?.metadata.labels, selector)));
	world.eligibleCache.set(daemonSet.metadata.uid!, {key: cacheKey, nodes});
	return nodes;
}

export function syncDaemonSet(world: World, uid: string): void {
	const daemonSet = world.byUid(uid);
	if (!daemonSet || daemonSet.kind !== 'DaemonSet' || isTerminating(daemonSet)) {
		return;
	}

	const byNode = new Map<string, KubeObject[]>();
	for (const pod of world.dependentPods(uid)) {
		if (!isActive(pod)) {
			continue;
		}

		const node = targetNodeOf(world, pod) ?? '';
		const list = byNode.get(node) ?? [];
		list.push(pod);
		byNode.set(node, list);
	}

	for (const nodeName of eligibleNodes(world, daemonSet)) {
		const pods = byNode.get(nodeName) ?? [];
		if (pods.length === 0) {
			const created = world.store.create('pods', daemonPod(world, daemonSet, nodeName));
			world.events.record(daemonSet, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, {component: 'daemonset-controller'});
		}

		for (const extra of pods.slice(1)) {
			world.deletePod(extra, undefined);
			world.events.record(daemonSet, 'Normal', 'SuccessfulDelete', `Deleted pod: ${extra.metadata.name}`, {component: 'daemonset-controller'});
		}
	}

	updateDaemonSetStatus(world, uid);
}

export function daemonSetStatus(world: World, daemonSet: KubeObject): any {
	const desired = eligibleNodes(world, daemonSet).length;
	let scheduled = 0;
	let ready = 0;
	for (const entry of world.dependents.get(daemonSet.metadata.uid!) ?? []) {
		const pod = world.previous.get(entry);
		if (!pod || pod.kind !== 'Pod' || !isActive(pod) || !pod.spec?.nodeName) {
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

export function updateDaemonSetStatus(world: World, uid: string): void {
	const daemonSet = world.byUid(uid);
	if (!daemonSet || daemonSet.kind !== 'DaemonSet') {
		return;
	}

	const status = daemonSetStatus(world, daemonSet);
	if (!deepEqual(status, daemonSet.status)) {
		world.store.update('daemonsets', daemonSet.metadata.namespace, daemonSet.metadata.name, draft => {
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
