// The kubelets: starting a bound pod's containers (image pulls, readiness), graceful pod
// deletion and termination, mirror pods of static pods (recreated while the node runs the
// static pod), and a killed container's restart with CrashLoopBackOff back-off.
import type {KubeObject} from '../store.js';
import type {Change, Controller, ControllerContext} from './controller.js';
import {readinessDelayMs} from './gke-profile.js';
import {runsCommand, type Host} from './host.js';
import type {Network} from './network.js';
import type {KubeletPods, NodeAgent} from './node-agent.js';
import {
	byName, defaultPodSpec, goDuration, imageIdOf, isFinished, isMirrorPod, isTerminating, newContainerId, qosClassOf, refreshReadiness, runningStatus,
	setCondition, settledStatus, waitingStatus, type ContainerStatus,
} from './pods.js';
import {backoffResetMs, maxBackoffMs, timing} from './timing.js';
import {between, iso} from './util.js';

/** The kubelets' own state and what they work with. */
type Kubelets = {
	readonly context: ControllerContext;
	readonly network: Network;
	readonly nodeAgent: NodeAgent;
	readonly host: Host;
	/** CrashLoopBackOff per container (`identity/container`): the next delay and when it last started. */
	readonly backoffs: Map<string, {nextMs: number; lastStartMs: number}>;
	/** Images pulled on each node since the world was built. */
	readonly imagesOnNode: Map<string, Set<string>>;
};

export class Kubelet implements Controller, KubeletPods {
	private readonly state: Kubelets;

	constructor(context: ControllerContext, network: Network, nodeAgent: NodeAgent, host: Host) {
		this.state = {context, network, nodeAgent, host, backoffs: new Map(), imagesOnNode: new Map()};
	}

	onChange({resource, type, object, previous}: Change): void {
		const {schedule} = this.state.context;
		if (resource === 'nodes' && type === 'ADDED') {
			this.nodeAdded(object.metadata.name);
			return;
		}

		if (resource !== 'pods') {
			return;
		}

		const uid = object.metadata.uid!;
		if (type !== 'DELETED' && object.spec?.nodeName && !previous?.spec?.nodeName && !object.status?.containerStatuses && !isTerminating(object)) {
			schedule.soon(`kubelet:${uid}`, timing.kubeletPickupMs, () => {
				kubeletStart(this.state, uid);
			});
		}

		if (type === 'DELETED') {
			schedule.cancel(uid);
			if (isMirrorPod(object)) {
				mirrorDeleted(this.state, object);
			}
		}
	}

	/** A node registers: its kubelet makes the mirror pods of the static pods it runs. */
	private nodeAdded(nodeName: string): void {
		const {schedule, indexes, profile, store, clock} = this.state.context;
		schedule.soon(`static:${nodeName}`, 1000, () => {
			const index = indexes.nodeIndex.get(nodeName);
			if (index === undefined) {
				return;
			}

			for (const pod of profile.staticPods(nodeName, index)) {
				if (!store.get('pods', pod.metadata.namespace, pod.metadata.name)) {
					this.createMirrorPod(pod, nodeName, clock.now());
				}
			}
		});
	}

	/** The kubelet's mirror of a static pod, its container running since `bornMs`. */
	createMirrorPod(pod: KubeObject, nodeName: string, bornMs: number): void {
		const {store, profile, addresses} = this.state.context;
		pod.metadata.annotations = {...pod.metadata.annotations, 'kubernetes.io/config.seen': iso(bornMs - 5000)};
		if (profile.mirrorPodsOwnedByNode) {
			const node = store.get('nodes', undefined, nodeName);
			if (node) {
				pod.metadata.ownerReferences = [{apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid!, controller: true}];
			}
		}

		pod.spec = defaultPodSpec({...pod.spec, nodeName});
		const hostIp = addresses.nodeIp(nodeName);
		pod.status = settledStatus(pod, hostIp, pod.spec.hostNetwork ? hostIp : addresses.allocatePodIp(nodeName, pod), bornMs - 4000, bornMs);
		store.create('pods', pod);
	}

	/** Graceful pod deletion as the API server and the kubelet do it. */
	deletePod(pod: KubeObject, gracePeriodSeconds: number | undefined): KubeObject {
		return deletePodGracefully(this.state, pod, gracePeriodSeconds);
	}

	/** `kill 1` in a container: its main process ends; the kubelet restarts it after its back-off. */
	killContainer(pod: KubeObject, containerName: string): void {
		killPodContainer(this.state, pod, containerName);
	}

	terminate(uid: string, graceSeconds: number): void {
		kubeletTerminate(this.state, uid, graceSeconds);
	}

	pickUp(uid: string): void {
		kubeletStart(this.state, uid);
	}

	recreateMirror(known: KubeObject, fresh = false): void {
		recreateMirror(this.state, known, fresh);
	}
}

/** A mirror pod for a static pod the kubelet runs: its last known status, or (fresh) a container still to start. */
function recreateMirror(kubelets: Kubelets, known: KubeObject, fresh: boolean): void {
	const now = kubelets.context.clock.now();
	const mirror: KubeObject = {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			name: known.metadata.name,
			namespace: known.metadata.namespace,
			labels: known.metadata.labels,
			annotations: fresh ? {...known.metadata.annotations, 'kubernetes.io/config.seen': iso(now)} : known.metadata.annotations,
			...(known.metadata.ownerReferences ? {ownerReferences: known.metadata.ownerReferences} : {}),
		},
		spec: known.spec,
		status: fresh ? {phase: 'Pending'} : known.status,
	};
	kubelets.context.store.create('pods', mirror);
}

/** Mirror pods are the kubelet's: their container outlives the API object. */
function identityOf(pod: KubeObject): string {
	return isMirrorPod(pod) ? `static:${pod.metadata.namespace}/${pod.metadata.name}` : pod.metadata.uid!;
}

/** Edit a pod as its kubelet sees it (for a static pod without a mirror: the kubelet's own copy). */
function updatePod(kubelets: Kubelets, identity: string, edit: (draft: KubeObject) => void): KubeObject | undefined {
	if (identity.startsWith('static:')) {
		const key = identity.slice('static:'.length);
		const slash = key.indexOf('/');
		const namespace = key.slice(0, slash);
		const name = key.slice(slash + 1);
		if (kubelets.context.store.get('pods', namespace, name)) {
			return kubelets.context.store.update('pods', namespace, name, edit);
		}

		const known = kubelets.context.indexes.staticPods.get(name);
		if (!known) {
			return undefined;
		}

		const draft = structuredClone(known);
		edit(draft);
		kubelets.context.indexes.staticPods.set(name, draft);
		kubelets.network.kubeProxyMaybeChanged(draft.spec.nodeName);
		kubelets.network.evaluateTruth();
		return draft;
	}

	const pod = kubelets.context.indexes.podByUid(identity);
	return pod ? kubelets.context.store.update('pods', pod.metadata.namespace, pod.metadata.name, edit) : undefined;
}

function kubeletSource(pod: KubeObject) {
	return {component: 'kubelet', host: pod.spec?.nodeName};
}

function kubeletStart(kubelets: Kubelets, uid: string): void {
	const pod = kubelets.context.indexes.podByUid(uid);
	if (!pod || isTerminating(pod) || !pod.spec?.nodeName || pod.status?.containerStatuses) {
		return;
	}

	// A pod bound to a node whose kubelet is stopped stays Pending until the kubelet is back.
	if (!kubelets.nodeAgent.kubeletRunning(pod.spec.nodeName)) {
		return;
	}

	const now = kubelets.context.clock.now();
	const nodeName = pod.spec.nodeName;
	const started = kubelets.context.store.update('pods', pod.metadata.namespace, pod.metadata.name, draft => {
		draft.status.phase = 'Pending';
		draft.status.hostIP = kubelets.context.addresses.nodeIp(nodeName);
		draft.status.startTime = iso(now);
		setCondition(draft.status, 'Initialized', true, now);
		draft.status.containerStatuses = byName(draft.spec.containers.map((container: any) => waitingStatus(container, 'ContainerCreating')));
		refreshReadiness(draft, now);
		draft.status.qosClass ??= qosClassOf(draft.spec);
	});
	const images = kubelets.imagesOnNode.get(nodeName) ?? new Set();
	kubelets.imagesOnNode.set(nodeName, images);
	const toPull: string[] = [];
	for (const container of started.spec.containers as any[]) {
		const fieldPath = `spec.containers{${container.name}}`;
		if (imageIsOnNode(kubelets, nodeName, container.image)) {
			kubelets.context.events.record(started, 'Normal', 'Pulled', `Container image "${container.image}" already present on machine`, kubeletSource(started), fieldPath);
		} else {
			toPull.push(container.image);
			kubelets.context.events.record(started, 'Normal', 'Pulling', `pulling image "${container.image}"`, kubeletSource(started), fieldPath);
		}
	}

	kubelets.context.schedule.after(uid, between(kubelets.context.random, ...timing.containerCreatingMs), () => {
		const current = kubelets.context.indexes.podByUid(uid);
		if (!current || isTerminating(current)) {
			return;
		}

		const at = kubelets.context.clock.now();
		const running = kubelets.context.store.update('pods', current.metadata.namespace, current.metadata.name, draft => {
			draft.status.phase = 'Running';
			draft.status.podIP = kubelets.context.addresses.allocatePodIp(nodeName, draft);
			draft.status.containerStatuses = byName(draft.spec.containers.map((container: any) => runningStatus(container, at, false)));
			refreshReadiness(draft, at);
		});
		for (const container of running.spec.containers as any[]) {
			const fieldPath = `spec.containers{${container.name}}`;
			if (toPull.includes(container.image)) {
				kubelets.context.events.record(running, 'Normal', 'Pulled', `Successfully pulled image "${container.image}"`, kubeletSource(running), fieldPath);
			}

			images.add(container.image);
			kubelets.context.events.record(running, 'Normal', 'Created', `Created container ${container.name}`, kubeletSource(running), fieldPath);
			kubelets.context.events.record(running, 'Normal', 'Started', `Started container ${container.name}`, kubeletSource(running), fieldPath);
		}

		if (runsCommand(running)) {
			// A pod that runs to completion (a helper): its command runs, then the container exits.
			kubelets.host.runPodCommand(uid);
			return;
		}

		kubelets.context.schedule.after(uid, readinessDelayMs(running), () => {
			markReady(kubelets, uid, running.spec.containers.map((container: any) => container.name));
		});
	});
}

function imageIsOnNode(kubelets: Kubelets, nodeName: string, image: string): boolean {
	if (kubelets.imagesOnNode.get(nodeName)?.has(image)) {
		return true;
	}

	// Images of pods that ran there since the kubelets was built.
	for (const key of kubelets.context.indexes.podsOnNode.get(nodeName) ?? []) {
		const pod = kubelets.context.indexes.podByKey(key);
		if (pod?.status?.containerStatuses?.some((status: ContainerStatus) => status.image === image && status.imageID)) {
			kubelets.imagesOnNode.get(nodeName)?.add(image);
			return true;
		}
	}

	return false;
}

function markReady(kubelets: Kubelets, identity: string, containers: string[]): void {
	const at = kubelets.context.clock.now();
	updatePod(kubelets, identity, draft => {
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
function deletePodGracefully(kubelets: Kubelets, pod: KubeObject, gracePeriodSeconds: number | undefined): KubeObject {
	const {namespace, name} = pod.metadata;
	const uid = pod.metadata.uid!;
	const now = kubelets.context.clock.now();
	if (isMirrorPod(pod)) {
		// The kubelet sees its mirror pod deleted, removes it for good and makes a new one;
		// the static pod's containers are not touched.
		if (gracePeriodSeconds === 0) {
			return kubelets.context.store.remove('pods', namespace, name);
		}

		if (isTerminating(pod)) {
			return pod;
		}

		const grace = gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
		const marked = kubelets.context.store.update('pods', namespace, name, draft => {
			draft.metadata.deletionTimestamp = iso(now + (grace * 1000));
			draft.metadata.deletionGracePeriodSeconds = grace;
		});
		if (kubelets.nodeAgent.kubeletRunning(pod.spec?.nodeName)) {
			kubelets.context.schedule.after(uid, timing.mirrorRemoveMs, () => {
				if (kubelets.context.store.get('pods', namespace, name)?.metadata.uid === uid) {
					kubelets.context.store.remove('pods', namespace, name);
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
		kubelets.context.schedule.cancel(uid);
		return kubelets.context.store.remove('pods', namespace, name);
	}

	kubelets.context.schedule.cancel(uid);
	const mark = (draft: KubeObject) => {
		draft.metadata.deletionTimestamp = iso(now + (grace * 1000));
		draft.metadata.deletionGracePeriodSeconds = grace;
	};

	// With its kubelet stopped, nobody stops the containers: the pod stays Terminating until it is back.
	if (!kubelets.nodeAgent.kubeletRunning(pod.spec?.nodeName)) {
		return kubelets.context.store.update('pods', namespace, name, mark);
	}

	return kubeletTerminate(kubelets, uid, grace, mark)!;
}

/** The kubelet's part of a deletion: SIGTERM, the containers stop, the pod object goes. */
function kubeletTerminate(kubelets: Kubelets, uid: string, grace: number, alsoEdit?: (draft: KubeObject) => void): KubeObject | undefined {
	const pod = kubelets.context.indexes.podByUid(uid);
	if (!pod) {
		return undefined;
	}

	const {namespace, name} = pod.metadata;
	const now = kubelets.context.clock.now();
	if (grace <= 0) {
		kubelets.context.schedule.cancel(uid);
		kubelets.context.store.remove('pods', namespace, name);
		return undefined;
	}

	const marked = kubelets.context.store.update('pods', namespace, name, draft => {
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
			kubelets.context.events.record(marked, 'Normal', 'Killing', `Stopping container ${status.name}`, kubeletSource(marked), `spec.containers{${status.name}}`);
		}
	}

	const stopMs = between(kubelets.context.random, ...timing.stopMs);
	const graceMs = grace * 1000;
	const stopContainers = (forced: boolean) => {
		const current = kubelets.context.indexes.podByUid(uid);
		if (!current) {
			return;
		}

		const at = kubelets.context.clock.now();
		kubelets.context.store.update('pods', namespace, name, draft => {
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
		kubelets.context.schedule.after(uid, stopMs, () => {
			stopContainers(false);
			kubelets.context.schedule.after(uid, timing.removeAfterStopMs, () => {
				if (kubelets.context.indexes.podByUid(uid)) {
					kubelets.context.store.remove('pods', namespace, name);
				}
			});
		});
	} else {
		kubelets.context.schedule.after(uid, graceMs, () => {
			stopContainers(true);
			if (kubelets.context.indexes.podByUid(uid)) {
				kubelets.context.store.remove('pods', namespace, name);
			}
		});
	}

	return marked;
}

function mirrorDeleted(kubelets: Kubelets, pod: KubeObject): void {
	const nodeName = pod.spec?.nodeName;
	const name = pod.metadata.name;
	if (!nodeName || !kubelets.context.indexes.nodeIndex.has(nodeName)) {
		return;
	}

	kubelets.context.schedule.after(`static:${pod.metadata.namespace}/${name}`, between(kubelets.context.random, ...timing.mirrorRecreateMs), () => {
		// A stopped kubelet makes no mirror pod (it does when it is back); nor does one whose manifest is gone.
		if (!kubelets.context.indexes.nodeIndex.has(nodeName) || kubelets.context.store.get('pods', pod.metadata.namespace, name) || !kubelets.nodeAgent.kubeletRunning(nodeName) || kubelets.nodeAgent.manifestRemoved(name)) {
			return;
		}

		recreateMirror(kubelets, kubelets.context.indexes.staticPods.get(name) ?? pod, false);
	});
}

/** `kill 1` in a container: its main process ends; the kubelet restarts it after its back-off. */
function killPodContainer(kubelets: Kubelets, pod: KubeObject, containerName: string): void {
	const identity = identityOf(pod);
	const now = kubelets.context.clock.now();
	let terminated: any;
	const killed = updatePod(kubelets, identity, draft => {
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
		kubelets.context.events.record(killed, 'Warning', 'Unhealthy', `Readiness probe failed: Get http://${killed.status.podIP}:${probe.port}${probe.path}: dial tcp ${killed.status.podIP}:${probe.port}: connect: connection refused`, kubeletSource(killed), `spec.containers{${containerName}}`);
	}

	const backoffKey = `${identity}/${containerName}`;
	const backoff = kubelets.backoffs.get(backoffKey) ?? {nextMs: 0, lastStartMs: 0};
	const startedAtMs = Date.parse(terminated.startedAt);
	if (now - startedAtMs > backoffResetMs) {
		backoff.nextMs = 0;
	}

	const delay = backoff.nextMs;
	backoff.nextMs = delay === 0 ? 10_000 : Math.min(delay * 2, maxBackoffMs);
	kubelets.backoffs.set(backoffKey, backoff);
	const podName = killed.metadata.name;
	const namespace = killed.metadata.namespace;
	const restart = () => {
		const at = kubelets.context.clock.now();
		const restarted = updatePod(kubelets, identity, draft => {
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
			kubelets.context.events.record(restarted, 'Normal', 'Pulled', `Container image "${container?.image}" already present on machine`, kubeletSource(restarted), fieldPath);
			kubelets.context.events.record(restarted, 'Normal', 'Created', `Created container ${containerName}`, kubeletSource(restarted), fieldPath);
			kubelets.context.events.record(restarted, 'Normal', 'Started', `Started container ${containerName}`, kubeletSource(restarted), fieldPath);
		}

		kubelets.context.schedule.after(identity, readinessDelayMs(restarted), () => {
			markReady(kubelets, identity, [containerName]);
		});
	};

	kubelets.context.schedule.after(identity, timing.restartNoticeMs, () => {
		const noticed = updatePod(kubelets, identity, draft => {
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
			kubelets.context.events.record(noticed, 'Warning', 'BackOff', 'Back-off restarting failed container', kubeletSource(noticed), `spec.containers{${containerName}}`);
		}

		if (delay === 0) {
			restart();
		}
	});
	if (delay > 0) {
		kubelets.context.schedule.after(identity, timing.restartNoticeMs + delay, restart);
	}
}
