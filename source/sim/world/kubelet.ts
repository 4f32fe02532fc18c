// The kubelets: starting a bound pod's containers (image pulls, readiness), graceful pod
// deletion and termination, mirror pods of static pods (recreated while the node runs the
// static pod), and a killed container's restart with CrashLoopBackOff back-off.
import type {KubeObject} from '../store.js';
import {readinessDelayMs} from './gke-profile.js';
import {
	byName, goDuration, imageIdOf, isFinished, isMirrorPod, isTerminating, newContainerId, qosClassOf, refreshReadiness, runningStatus,
	setCondition, waitingStatus, type ContainerStatus,
} from './pods.js';
import {runPodCommand, runsCommand} from './host.js';
import {kubeletRunning} from './node-agent.js';
import {backoffResetMs, maxBackoffMs, timing} from './timing.js';
import {between, iso} from './util.js';
import type {World} from './world.js';

/** Mirror pods are the kubelet's: their container outlives the API object. */
function identityOf(world: World, pod: KubeObject): string {
	return isMirrorPod(pod) ? `static:${pod.metadata.namespace}/${pod.metadata.name}` : pod.metadata.uid!;
}

/** Edit a pod as its kubelet sees it (for a static pod without a mirror: the kubelet's own copy). */
function updatePod(world: World, identity: string, edit: (draft: KubeObject) => void): KubeObject | undefined {
	if (identity.startsWith('static:')) {
		const key = identity.slice('static:'.length);
		const slash = key.indexOf('/');
		const namespace = key.slice(0, slash);
		const name = key.slice(slash + 1);
		if (world.store.get('pods', namespace, name)) {
			return world.store.update('pods', namespace, name, edit);
		}

		const known = world.staticPods.get(name);
		if (!known) {
			return undefined;
		}

		const draft = structuredClone(known);
		edit(draft);
		world.staticPods.set(name, draft);
		world.network.kubeProxyMaybeChanged(draft.spec.nodeName);
		world.network.evaluateTruth();
		return draft;
	}

	const pod = world.podByUid(identity);
	return pod ? world.store.update('pods', pod.metadata.namespace, pod.metadata.name, edit) : undefined;
}

function kubeletSource(world: World, pod: KubeObject) {
	return {component: 'kubelet', host: pod.spec?.nodeName};
}

export function kubeletStart(world: World, uid: string): void {
	const pod = world.podByUid(uid);
	if (!pod || isTerminating(pod) || !pod.spec?.nodeName || pod.status?.containerStatuses) {
		return;
	}

	// A pod bound to a node whose kubelet is stopped stays Pending until the kubelet is back.
	if (!kubeletRunning(world, pod.spec.nodeName)) {
		return;
	}

	const now = world.clock.now();
	const nodeName = pod.spec.nodeName;
	const started = world.store.update('pods', pod.metadata.namespace, pod.metadata.name, draft => {
		draft.status.phase = 'Pending';
		draft.status.hostIP = world.nodeIp(nodeName);
		draft.status.startTime = iso(now);
		setCondition(draft.status, 'Initialized', true, now);
		draft.status.containerStatuses = byName(draft.spec.containers.map((container: any) => waitingStatus(container, 'ContainerCreating')));
		refreshReadiness(draft, now);
		draft.status.qosClass ??= qosClassOf(draft.spec);
	});
	const images = world.imagesOnNode.get(nodeName) ?? new Set();
	world.imagesOnNode.set(nodeName, images);
	const toPull: string[] = [];
	for (const [index, container] of (started.spec.containers as any[]).entries()) {
		const fieldPath = `spec.containers{${container.name}}`;
		if (imageIsOnNode(world, nodeName, container.image)) {
			world.events.record(started, 'Normal', 'Pulled', `Container image "${container.image}" already present on machine`, kubeletSource(world, started), fieldPath);
		} else {
			toPull.push(container.image);
			world.events.record(started, 'Normal', 'Pulling', `pulling image "${container.image}"`, kubeletSource(world, started), fieldPath);
		}

		void index;
	}

	world.podTimer(uid, between(world.random, ...timing.containerCreatingMs), () => {
		const current = world.podByUid(uid);
		if (!current || isTerminating(current)) {
			return;
		}

		const at = world.clock.now();
		const running = world.store.update('pods', current.metadata.namespace, current.metadata.name, draft => {
			draft.status.phase = 'Running';
			draft.status.podIP = world.allocatePodIp(nodeName, draft);
			draft.status.containerStatuses = byName(draft.spec.containers.map((container: any) => runningStatus(container, at, false)));
			refreshReadiness(draft, at);
		});
		for (const container of running.spec.containers as any[]) {
			const fieldPath = `spec.containers{${container.name}}`;
			if (toPull.includes(container.image)) {
				world.events.record(running, 'Normal', 'Pulled', `Successfully pulled image "${container.image}"`, kubeletSource(world, running), fieldPath);
			}

			images.add(container.image);
			world.events.record(running, 'Normal', 'Created', `Created container ${container.name}`, kubeletSource(world, running), fieldPath);
			world.events.record(running, 'Normal', 'Started', `Started container ${container.name}`, kubeletSource(world, running), fieldPath);
		}

		if (runsCommand(running)) {
			// A pod that runs to completion (a helper): its command runs, then the container exits.
			runPodCommand(world, uid);
			return;
		}

		world.podTimer(uid, readinessDelayMs(running), () => {
			markReady(world, uid, running.spec.containers.map((container: any) => container.name));
		});
	});
}

function imageIsOnNode(world: World, nodeName: string, image: string): boolean {
	if (world.imagesOnNode.get(nodeName)?.has(image)) {
		return true;
	}

	// Images of pods that ran there since the world was built.
	for (const key of world.podsOnNode.get(nodeName) ?? []) {
		const pod = world.podByKey(key);
		if (pod?.status?.containerStatuses?.some((status: ContainerStatus) => status.image === image && status.imageID)) {
			world.imagesOnNode.get(nodeName)?.add(image);
			return true;
		}
	}

	return false;
}

function markReady(world: World, identity: string, containers: string[]): void {
	const at = world.clock.now();
	updatePod(world, identity, draft => {
		if (isTerminating(draft) && !isMirrorPod(draft)) {
			return;
		}

		for (const status of draft.status.containerStatuses as ContainerStatus[]) {
			if (containers.includes(status.name) && status.state.running) {
				status.ready = true;
			}
		}

		refreshReadiness(draft, at);
	});
}

/** Graceful pod deletion as the API server and the kubelet do it. */
export function deletePodGracefully(world: World, pod: KubeObject, gracePeriodSeconds: number | undefined): KubeObject {
	const {namespace, name} = pod.metadata;
	const uid = pod.metadata.uid!;
	const now = world.clock.now();
	if (isMirrorPod(pod)) {
		// The kubelet sees its mirror pod deleted, removes it for good and makes a new one;
		// the static pod's containers are not touched.
		if (gracePeriodSeconds === 0) {
			return world.store.remove('pods', namespace, name);
		}

		if (isTerminating(pod)) {
			return pod;
		}

		const grace = gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
		const marked = world.store.update('pods', namespace, name, draft => {
			draft.metadata.deletionTimestamp = iso(now + (grace * 1000));
			draft.metadata.deletionGracePeriodSeconds = grace;
		});
		if (kubeletRunning(world, pod.spec?.nodeName)) {
			world.podTimer(uid, timing.mirrorRemoveMs, () => {
				if (world.store.get('pods', namespace, name)?.metadata.uid === uid) {
					world.store.remove('pods', namespace, name);
				}
			});
		}

		return marked;
	}

	let grace = gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
	if (!pod.spec?.nodeName || isFinished(pod)) {
		grace = 0;
	}

	if (isTerminating(pod)) {
		const remaining = pod.metadata.deletionGracePeriodSeconds ?? 0;
		if (gracePeriodSeconds === undefined || gracePeriodSeconds >= remaining) {
			return pod;
		}
	}

	if (grace <= 0) {
		world.cancelPodTimers(uid);
		return world.store.remove('pods', namespace, name);
	}

	world.cancelPodTimers(uid);
	const mark = (draft: KubeObject) => {
		draft.metadata.deletionTimestamp = iso(now + (grace * 1000));
		draft.metadata.deletionGracePeriodSeconds = grace;
	};

	// With its kubelet stopped, nobody stops the containers: the pod stays Terminating until it is back.
	if (!kubeletRunning(world, pod.spec?.nodeName)) {
		return world.store.update('pods', namespace, name, mark);
	}

	return kubeletTerminate(world, uid, grace, mark)!;
}

/** The kubelet's part of a deletion: SIGTERM, the containers stop, the pod object goes. */
export function kubeletTerminate(world: World, uid: string, grace: number, alsoEdit?: (draft: KubeObject) => void): KubeObject | undefined {
	const pod = world.podByUid(uid);
	if (!pod) {
		return undefined;
	}

	const {namespace, name} = pod.metadata;
	const now = world.clock.now();
	if (grace <= 0) {
		world.cancelPodTimers(uid);
		world.store.remove('pods', namespace, name);
		return undefined;
	}

	const marked = world.store.update('pods', namespace, name, draft => {
		alsoEdit?.(draft);
		for (const status of (draft.status?.containerStatuses ?? []) as ContainerStatus[]) {
			status.ready = false;
		}

		if (draft.status?.containerStatuses) {
			refreshReadiness(draft, now);
		}
	});
	for (const status of (marked.status?.containerStatuses ?? []) as ContainerStatus[]) {
		if (status.state.running) {
			world.events.record(marked, 'Normal', 'Killing', `Stopping container ${status.name}`, kubeletSource(world, marked), `spec.containers{${status.name}}`);
		}
	}

	const stopMs = between(world.random, ...timing.stopMs);
	const graceMs = grace * 1000;
	const stopContainers = (forced: boolean) => {
		const current = world.podByUid(uid);
		if (!current) {
			return;
		}

		const at = world.clock.now();
		world.store.update('pods', namespace, name, draft => {
			for (const status of (draft.status?.containerStatuses ?? []) as ContainerStatus[]) {
				if (!status.state.running) {
					continue;
				}

				// Sidecars that ignore SIGTERM are killed: 143 (or 137 when the grace period ran out).
				const clean = !forced && !/prometheus-to-sd|nanny|sidecar/.test(status.name);
				status.state = {terminated: {
					exitCode: forced ? 137 : (clean ? 0 : 143),
					reason: clean ? 'Completed' : 'Error',
					startedAt: status.state.running.startedAt,
					finishedAt: iso(at),
					containerID: status.containerID,
				}};
				status.ready = false;
				status.started = false;
			}
		});
	};

	if (stopMs < graceMs) {
		world.podTimer(uid, stopMs, () => {
			stopContainers(false);
			world.podTimer(uid, timing.removeAfterStopMs, () => {
				if (world.podByUid(uid)) {
					world.store.remove('pods', namespace, name);
				}
			});
		});
	} else {
		world.podTimer(uid, graceMs, () => {
			stopContainers(true);
			if (world.podByUid(uid)) {
				world.store.remove('pods', namespace, name);
			}
		});
	}

	return marked;
}

export function mirrorDeleted(world: World, pod: KubeObject): void {
	const nodeName = pod.spec?.nodeName;
	const name = pod.metadata.name;
	if (!nodeName || !world.nodeIndex.has(nodeName)) {
		return;
	}

	world.podTimer(`static:${pod.metadata.namespace}/${name}`, between(world.random, ...timing.mirrorRecreateMs), () => {
		// A stopped kubelet makes no mirror pod (it does when it is back); nor does one whose manifest is gone.
		if (!world.nodeIndex.has(nodeName) || world.store.get('pods', pod.metadata.namespace, name) || !kubeletRunning(world, nodeName) || world.manifestRemoved(name)) {
			return;
		}

		world.recreateMirror(world.staticPods.get(name) ?? pod);
	});
}

/** `kill 1` in a container: its main process ends; the kubelet restarts it after its back-off. */
export function killPodContainer(world: World, pod: KubeObject, containerName: string): void {
	const identity = identityOf(world, pod);
	const now = world.clock.now();
	let terminated: any;
	const killed = updatePod(world, identity, draft => {
		const status = (draft.status.containerStatuses as ContainerStatus[]).find(entry => entry.name === containerName);
		if (!status?.state.running) {
			return;
		}

		terminated = {exitCode: 137, reason: 'Error', startedAt: status.state.running.startedAt, finishedAt: iso(now), containerID: status.containerID};
		status.state = {terminated};
		status.ready = false;
		status.started = false;
		refreshReadiness(draft, now);
	});
	if (!killed || !terminated) {
		return;
	}

	const container = killed.spec.containers.find((entry: any) => entry.name === containerName);
	if (container?.readinessProbe?.httpGet) {
		const probe = container.readinessProbe.httpGet;
		world.events.record(killed, 'Warning', 'Unhealthy', `Readiness probe failed: Get http://${killed.status.podIP}:${probe.port}${probe.path}: dial tcp ${killed.status.podIP}:${probe.port}: connect: connection refused`, kubeletSource(world, killed), `spec.containers{${containerName}}`);
	}

	const backoffKey = `${identity}/${containerName}`;
	const backoff = world.backoffs.get(backoffKey) ?? {nextMs: 0, lastStartMs: 0};
	const startedAtMs = Date.parse(terminated.startedAt);
	if (now - startedAtMs > backoffResetMs) {
		backoff.nextMs = 0;
	}

	const delay = backoff.nextMs;
	backoff.nextMs = delay === 0 ? 10_000 : Math.min(delay * 2, maxBackoffMs);
	world.backoffs.set(backoffKey, backoff);
	const podName = killed.metadata.name;
	const namespace = killed.metadata.namespace;
	const restart = () => {
		const at = world.clock.now();
		const restarted = updatePod(world, identity, draft => {
			const status = (draft.status.containerStatuses as ContainerStatus[]).find(entry => entry.name === containerName);
			if (!status || status.state.running || (isTerminating(draft) && !isMirrorPod(draft))) {
				return;
			}

			status.state = {running: {startedAt: iso(at)}};
			status.containerID = newContainerId();
			status.imageID = imageIdOf(status.image);
			status.started = true;
			status.ready = false;
			refreshReadiness(draft, at);
		});
		if (!restarted) {
			return;
		}

		const fieldPath = `spec.containers{${containerName}}`;
		if (restarted.metadata.uid) {
			world.events.record(restarted, 'Normal', 'Pulled', `Container image "${container?.image}" already present on machine`, kubeletSource(world, restarted), fieldPath);
			world.events.record(restarted, 'Normal', 'Created', `Created container ${containerName}`, kubeletSource(world, restarted), fieldPath);
			world.events.record(restarted, 'Normal', 'Started', `Started container ${containerName}`, kubeletSource(world, restarted), fieldPath);
		}

		world.podTimer(identity, readinessDelayMs(restarted), () => {
			markReady(world, identity, [containerName]);
		});
	};

	world.podTimer(identity, timing.restartNoticeMs, () => {
		const noticed = updatePod(world, identity, draft => {
			const status = (draft.status.containerStatuses as ContainerStatus[]).find(entry => entry.name === containerName);
			if (!status) {
				return;
			}

			status.lastState = {terminated};
			status.restartCount += 1;
			if (delay > 0) {
				status.state = {waiting: {reason: 'CrashLoopBackOff', message: `back-off ${goDuration(delay)} restarting failed container=${containerName} pod=${podName}_${namespace}(${draft.metadata.uid})`}};
			}
		});
		if (delay > 0 && noticed?.metadata.uid) {
			world.events.record(noticed, 'Warning', 'BackOff', 'Back-off restarting failed container', kubeletSource(world, noticed), `spec.containers{${containerName}}`);
		}

		if (delay === 0) {
			restart();
		}
	});
	if (delay > 0) {
		world.podTimer(identity, timing.restartNoticeMs + delay, restart);
	}
}
