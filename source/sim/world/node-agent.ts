// The kubelet as a service on its node, the node lifecycle controller that watches its status,
// and the static-pod manifests the kubelet reads from its manifest directory. What each step
// does, and where real clusters say so, is in docs/simulator.md:
// - kubelet stopped: containers keep running; status stops; after the grace period the node
//   goes Ready=Unknown, is tainted unreachable, its pods go Ready=False (so they leave the
//   Service endpoints); pods that do not tolerate the taint are evicted after their
//   tolerationSeconds and stay Terminating; deletions hang; new pods bound there do not start.
// - kubelet started: the node is Ready again, the taints go, pods report Ready, pending
//   deletions complete, pods bound meanwhile start, mirror pods come back.
// - manifest moved out: the kubelet stops the static pod and removes its mirror pod; moved
//   back: it starts the container again under a new mirror pod.
import type {KubeObject} from '../store.js';
import {isFinished, isMirrorPod, isTerminating, refreshReadiness, setCondition, type ContainerStatus} from './pods.js';
import {nodeLifecycle, timing} from './timing.js';
import {between, iso} from './util.js';
import type {World} from './world.js';

export const unreachableTaintKey = 'node.kubernetes.io/unreachable';

/** Conditions the node lifecycle controller sets to Unknown when the kubelet stops posting status. */
const kubeletConditions = new Set(['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'OutOfDisk']);

export type StoppedKubelet = {sinceMs: number; conditions: any[]};

export function kubeletRunning(world: World, nodeName: string | undefined): boolean {
	return !nodeName || !world.kubeletsDown.has(nodeName);
}

/** `systemctl stop kubelet`: false when the node is unknown or its kubelet already stopped. */
export function stopKubelet(world: World, nodeName: string): boolean {
	const node = world.store.get('nodes', undefined, nodeName);
	if (!node || world.kubeletsDown.has(nodeName)) {
		return false;
	}

	world.kubeletsDown.set(nodeName, {sinceMs: world.clock.now(), conditions: structuredClone(node.status?.conditions ?? [])});
	world.podTimer(`node:${nodeName}`, nodeLifecycle.gracePeriodMs, () => {
		markUnreachable(world, nodeName);
	});
	return true;
}

/** `systemctl start kubelet`: false when it was running. */
export function startKubelet(world: World, nodeName: string): boolean {
	const stopped = world.kubeletsDown.get(nodeName);
	if (!stopped) {
		return false;
	}

	world.kubeletsDown.delete(nodeName);
	world.cancelPodTimers(`node:${nodeName}`);
	world.podTimer(`node:${nodeName}`, nodeLifecycle.kubeletStatusMs, () => {
		kubeletBack(world, nodeName, stopped);
	});
	return true;
}

/** How long a pod tolerates the unreachable NoExecute taint: undefined means for ever. */
export function unreachableToleranceSeconds(pod: KubeObject): number | undefined {
	const tolerations: any[] = pod.spec?.tolerations ?? [];
	const matching = tolerations.find(toleration => (!toleration.effect || toleration.effect === 'NoExecute')
		&& ((toleration.operator === 'Exists' && !toleration.key) || toleration.key === unreachableTaintKey));
	if (!matching) {
		// The DefaultTolerationSeconds admission plugin gives every pod without one a 300 s toleration.
		return nodeLifecycle.defaultTolerationSeconds;
	}

	return matching.tolerationSeconds;
}

function podsOn(world: World, nodeName: string): KubeObject[] {
	return [...world.podsOnNode.get(nodeName) ?? []].map(key => world.podByKey(key)).filter((pod): pod is KubeObject => Boolean(pod));
}

function markUnreachable(world: World, nodeName: string): void {
	const now = world.clock.now();
	if (!world.store.get('nodes', undefined, nodeName)) {
		return;
	}

	const node = world.store.update('nodes', undefined, nodeName, draft => {
		for (const condition of draft.status?.conditions ?? []) {
			if (kubeletConditions.has(condition.type)) {
				condition.status = 'Unknown';
				condition.reason = 'NodeStatusUnknown';
				condition.message = 'Kubelet stopped posting node status.';
				condition.lastTransitionTime = iso(now);
			}
		}

		draft.spec ??= {};
		draft.spec.taints = [
			...(draft.spec.taints ?? []).filter((taint: any) => taint.key !== unreachableTaintKey),
			{key: unreachableTaintKey, effect: 'NoSchedule', timeAdded: iso(now)},
			{key: unreachableTaintKey, effect: 'NoExecute', timeAdded: iso(now)},
		];
	});
	world.events.record(node, 'Normal', 'NodeNotReady', `Node ${nodeName} status is now: NodeNotReady`, {component: 'node-controller'});
	world.network.nodeReadinessChanged(nodeName, false);
	for (const pod of podsOn(world, nodeName)) {
		if (isFinished(pod)) {
			continue;
		}

		const notReady = world.store.update('pods', pod.metadata.namespace, pod.metadata.name, draft => {
			draft.status ??= {};
			setCondition(draft.status, 'Ready', false, now);
		});
		world.events.record(notReady, 'Warning', 'NodeNotReady', 'Node is not ready', {component: 'node-controller'});
		const tolerated = unreachableToleranceSeconds(pod);
		if (tolerated !== undefined && !isTerminating(pod)) {
			const uid = pod.metadata.uid!;
			world.podTimer(`evict:${nodeName}`, tolerated * 1000, () => {
				evict(world, uid);
			});
		}
	}
}

function evict(world: World, uid: string): void {
	const pod = world.podByUid(uid);
	if (!pod || isTerminating(pod)) {
		return;
	}

	world.events.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`, {component: 'taint-controller'});
	world.deletePod(pod, undefined);
}

function kubeletBack(world: World, nodeName: string, stopped: StoppedKubelet): void {
	const now = world.clock.now();
	if (!world.store.get('nodes', undefined, nodeName)) {
		return;
	}

	world.cancelPodTimers(`evict:${nodeName}`);
	const wasUnknown = world.store.get('nodes', undefined, nodeName)?.status?.conditions?.some((condition: any) => condition.type === 'Ready' && condition.status !== 'True');
	const node = world.store.update('nodes', undefined, nodeName, draft => {
		draft.status.conditions = stopped.conditions.map((condition: any) => {
			const current = draft.status.conditions.find((entry: any) => entry.type === condition.type);
			const changed = current?.status !== condition.status;
			return {...condition, lastHeartbeatTime: iso(now), lastTransitionTime: changed ? iso(now) : condition.lastTransitionTime};
		});
		if (draft.spec?.taints) {
			draft.spec.taints = draft.spec.taints.filter((taint: any) => taint.key !== unreachableTaintKey);
			if (draft.spec.taints.length === 0) {
				delete draft.spec.taints;
			}
		}
	});
	world.events.record(node, 'Normal', 'Starting', 'Starting kubelet.', {component: 'kubelet', host: nodeName});
	if (wasUnknown) {
		world.events.record(node, 'Normal', 'NodeReady', `Node ${nodeName} status is now: NodeReady`, {component: 'kubelet', host: nodeName});
		world.network.nodeReadinessChanged(nodeName, true);
	}

	for (const pod of podsOn(world, nodeName)) {
		const uid = pod.metadata.uid!;
		if (isMirrorPod(pod)) {
			// A mirror pod deleted while the kubelet was away: it finishes the deletion (and makes a new one).
			if (isTerminating(pod)) {
				world.store.remove('pods', pod.metadata.namespace, pod.metadata.name);
			} else if (world.manifestRemoved(pod.metadata.name)) {
				stopStaticPod(world, pod.metadata.name);
			} else {
				reportStatus(world, pod, now);
			}
		} else if (isTerminating(pod)) {
			world.kubeletTerminate(uid, remainingGraceSeconds(pod, now));
		} else if (!pod.status?.containerStatuses) {
			world.kubeletPickUp(uid);
		} else if (!isFinished(pod)) {
			reportStatus(world, pod, now);
		}
	}

	// Static pods whose mirror pod was deleted while the kubelet was away.
	for (const known of world.staticPods.values()) {
		if (known.spec?.nodeName === nodeName && !world.store.get('pods', known.metadata.namespace, known.metadata.name) && !world.manifestRemoved(known.metadata.name)) {
			world.recreateMirror(known);
		}
	}
}

/** What the kubelet posts when it comes back: Ready from its containers' readiness; a finished command's exit. */
function reportStatus(world: World, pod: KubeObject, now: number): void {
	world.store.update('pods', pod.metadata.namespace, pod.metadata.name, draft => {
		world.applyFinishedWhileAway(draft);
		if (draft.status?.containerStatuses && !isFinished(draft)) {
			refreshReadiness(draft, now);
		}
	});
}

function remainingGraceSeconds(pod: KubeObject, now: number): number {
	const deadline = Date.parse(pod.metadata.deletionTimestamp ?? '');
	return Number.isFinite(deadline) ? Math.max(0, Math.ceil((deadline - now) / 1000)) : 0;
}

// ---------------------------------------------------------------------------------------
// Static pods: the manifest directory

/** The manifest is gone: the kubelet (if it runs) stops the container, then deletes the mirror pod. */
export function stopStaticPod(world: World, name: string): void {
	const mirror = world.store.get('pods', 'kube-system', name) ?? [...world.store.list('pods')].find(pod => pod.metadata.name === name && isMirrorPod(pod));
	if (!mirror || !kubeletRunning(world, mirror.spec?.nodeName)) {
		return;
	}

	const {namespace} = mirror.metadata;
	world.podTimer(`static:${namespace}/${name}`, between(world.random, ...timing.stopMs), () => {
		const current = world.store.get('pods', namespace, name);
		if (!current || !world.manifestRemoved(name)) {
			return;
		}

		const at = world.clock.now();
		world.store.update('pods', namespace, name, draft => {
			for (const status of (draft.status?.containerStatuses ?? []) as ContainerStatus[]) {
				if (status.state.running) {
					status.state = {terminated: {exitCode: 0, reason: 'Completed', startedAt: status.state.running.startedAt, finishedAt: iso(at), containerID: status.containerID}};
					status.ready = false;
					status.started = false;
				}
			}

			refreshReadiness(draft, at);
		});
		world.events.record(current, 'Normal', 'Killing', `Stopping container ${current.spec.containers[0]?.name}`, {component: 'kubelet', host: current.spec.nodeName}, `spec.containers{${current.spec.containers[0]?.name}}`);
		world.store.remove('pods', namespace, name);
	});
}

/** The manifest is back: the kubelet starts the static pod under a new mirror pod. */
export function startStaticPod(world: World, name: string): void {
	const known = world.staticPods.get(name);
	if (!known || !kubeletRunning(world, known.spec?.nodeName) || world.store.get('pods', known.metadata.namespace, name)) {
		return;
	}

	world.recreateMirror(known, true);
}
