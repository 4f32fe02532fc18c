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
import type {ControllerContext} from './controller.js';
import type {Network} from './network.js';
import {applyExit, isFinished, isMirrorPod, isTerminating, refreshReadiness, setCondition, type ContainerStatus} from './pods.js';
import {nodeLifecycle, timing} from './timing.js';
import {between, iso} from './util.js';

export const unreachableTaintKey = 'node.kubernetes.io/unreachable';

/** Conditions the node lifecycle controller sets to Unknown when the kubelet stops posting status. */
const kubeletConditions = new Set(['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'OutOfDisk']);

type StoppedKubelet = {sinceMs: number; conditions: any[]};

export type ContainerExit = {exitCode: number; at: number; message: string};

/** What the node agent asks of the kubelet's pod work (kubelet.ts) when the service comes back. */
export interface KubeletPods {
	/** Finish a deletion: stop the containers within the grace left, then remove the pod. */
	terminate(uid: string, graceSeconds: number): void;
	/** Start the containers of a pod bound while the kubelet was away. */
	pickUp(uid: string): void;
	/** A mirror pod for a static pod the kubelet runs: its last known status, or (fresh) a container still to start. */
	recreateMirror(known: KubeObject, fresh?: boolean): void;
}

export class NodeAgent {
	/** Stopped kubelets by node, with the conditions they last posted. */
	private readonly kubeletsDown = new Map<string, StoppedKubelet>();
	/** Static pods (by mirror pod name) whose manifest was moved out of the kubelet's directory. */
	private readonly removedManifests = new Set<string>();
	/** Exits of commands that ended while their kubelet was away, by pod uid: reported when it is back. */
	private readonly finishedWhileAway = new Map<string, ContainerExit>();

	constructor(private readonly context: ControllerContext, private readonly network: Network, private readonly kubelet: KubeletPods) {}

	kubeletRunning(nodeName: string | undefined): boolean {
		return !nodeName || !this.kubeletsDown.has(nodeName);
	}

	/** `systemctl stop kubelet`: false when the node is unknown or its kubelet already stopped. */
	stopKubelet(nodeName: string): boolean {
		const {store, clock, schedule} = this.context;
		const node = store.get('nodes', undefined, nodeName);
		if (!node || this.kubeletsDown.has(nodeName)) {
			return false;
		}

		this.kubeletsDown.set(nodeName, {sinceMs: clock.now(), conditions: structuredClone(node.status?.conditions ?? [])});
		// A stopped kubelet finishes nothing it had begun: a pod it was terminating stays
		// Terminating, and the kubelet takes the deletion up again when it is back.
		for (const pod of this.context.indexes.podsOn(nodeName)) {
			if (isTerminating(pod) && !isMirrorPod(pod)) {
				schedule.cancel(pod.metadata.uid!);
			}
		}

		schedule.after(`node:${nodeName}`, nodeLifecycle.gracePeriodMs, () => {
			this.markUnreachable(nodeName);
		});
		return true;
	}

	/** `systemctl start kubelet`: false when it was running. */
	startKubelet(nodeName: string): boolean {
		const {schedule} = this.context;
		const stopped = this.kubeletsDown.get(nodeName);
		if (!stopped) {
			return false;
		}

		this.kubeletsDown.delete(nodeName);
		schedule.cancel(`node:${nodeName}`);
		schedule.after(`node:${nodeName}`, nodeLifecycle.kubeletStatusMs, () => {
			this.kubeletBack(nodeName, stopped);
		});
		return true;
	}

	/** A pod's command ended: its kubelet reports the exit, or will when it is back. */
	containerExited(uid: string, exit: ContainerExit): void {
		const pod = this.context.indexes.podByUid(uid);
		if (!pod) {
			return;
		}

		if (!this.kubeletRunning(pod.spec?.nodeName)) {
			// Nobody reports it now: the kubelet will, when it is back.
			this.finishedWhileAway.set(uid, exit);
			return;
		}

		this.context.store.update('pods', pod.metadata.namespace, pod.metadata.name, draft => {
			applyExit(draft, exit);
		});
	}

	private markUnreachable(nodeName: string): void {
		const {store, clock, events, indexes, schedule} = this.context;
		const now = clock.now();
		if (!store.get('nodes', undefined, nodeName)) {
			return;
		}

		const node = store.update('nodes', undefined, nodeName, draft => {
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
		events.record(node, 'Normal', 'NodeNotReady', `Node ${nodeName} status is now: NodeNotReady`, {component: 'node-controller'});
		this.network.nodeReadinessChanged(nodeName, false);
		for (const pod of indexes.podsOn(nodeName)) {
			if (isFinished(pod)) {
				continue;
			}

			const notReady = store.update('pods', pod.metadata.namespace, pod.metadata.name, draft => {
				draft.status ??= {};
				setCondition(draft.status, 'Ready', false, now);
			});
			events.record(notReady, 'Warning', 'NodeNotReady', 'Node is not ready', {component: 'node-controller'});
			const tolerated = unreachableToleranceSeconds(pod);
			if (tolerated !== undefined && !isTerminating(pod)) {
				const uid = pod.metadata.uid!;
				schedule.after(`evict:${nodeName}`, tolerated * 1000, () => {
					this.evict(uid);
				});
			}
		}
	}

	private evict(uid: string): void {
		const pod = this.context.indexes.podByUid(uid);
		if (!pod || isTerminating(pod)) {
			return;
		}

		this.context.events.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`, {component: 'taint-controller'});
		this.context.api.deletePod(pod, undefined);
	}

	private kubeletBack(nodeName: string, stopped: StoppedKubelet): void {
		const {store, clock, events, indexes, schedule} = this.context;
		const now = clock.now();
		const before = store.get('nodes', undefined, nodeName);
		if (!before) {
			return;
		}

		schedule.cancel(`evict:${nodeName}`);
		const wasUnknown = before.status?.conditions?.some((condition: any) => condition.type === 'Ready' && condition.status !== 'True');
		const node = store.update('nodes', undefined, nodeName, draft => {
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
		events.record(node, 'Normal', 'Starting', 'Starting kubelet.', {component: 'kubelet', host: nodeName});
		if (wasUnknown) {
			events.record(node, 'Normal', 'NodeReady', `Node ${nodeName} status is now: NodeReady`, {component: 'kubelet', host: nodeName});
			this.network.nodeReadinessChanged(nodeName, true);
		}

		for (const pod of indexes.podsOn(nodeName)) {
			const uid = pod.metadata.uid!;
			if (isMirrorPod(pod)) {
				// A mirror pod deleted while the kubelet was away: it finishes the deletion (and makes a new one).
				if (isTerminating(pod)) {
					store.remove('pods', pod.metadata.namespace, pod.metadata.name);
				} else if (this.manifestRemoved(pod.metadata.name)) {
					this.stopStaticPod(pod.metadata.name);
				} else {
					this.reportStatus(pod, now);
				}
			} else if (isTerminating(pod)) {
				this.kubelet.terminate(uid, remainingGraceSeconds(pod, now));
			} else if (!pod.status?.containerStatuses) {
				this.kubelet.pickUp(uid);
			} else if (!isFinished(pod)) {
				this.reportStatus(pod, now);
			}
		}

		// Static pods whose mirror pod was deleted while the kubelet was away.
		for (const known of indexes.staticPods.values()) {
			if (known.spec?.nodeName === nodeName && !store.get('pods', known.metadata.namespace, known.metadata.name) && !this.manifestRemoved(known.metadata.name)) {
				this.kubelet.recreateMirror(known);
			}
		}
	}

	/** What the kubelet posts when it comes back: Ready from its containers' readiness; a finished command's exit. */
	private reportStatus(pod: KubeObject, now: number): void {
		this.context.store.update('pods', pod.metadata.namespace, pod.metadata.name, draft => {
			const exit = this.finishedWhileAway.get(draft.metadata.uid!);
			if (exit) {
				this.finishedWhileAway.delete(draft.metadata.uid!);
				applyExit(draft, exit);
			}

			if (draft.status?.containerStatuses && !isFinished(draft)) {
				refreshReadiness(draft, now);
			}
		});
	}

	// -------------------------------------------------------------------------------------
	// Static pods: the manifest directory

	manifestRemoved(staticPodName: string): boolean {
		return this.removedManifests.has(staticPodName);
	}

	/** The static pods the profile gives a node (their mirror pods' names). */
	staticPodNamesOn(nodeName: string): string[] {
		const index = this.context.indexes.nodeIndex.get(nodeName);
		return index === undefined ? [] : this.context.profile.staticPods(nodeName, index).map(pod => pod.metadata.name);
	}

	/** The manifest is moved out: the kubelet (if it runs) stops the container, then deletes the mirror pod. */
	removeManifest(name: string): void {
		this.removedManifests.add(name);
		this.stopStaticPod(name);
	}

	/** The manifest is back: the kubelet starts the static pod under a new mirror pod. */
	restoreManifest(name: string): void {
		this.removedManifests.delete(name);
		const known = this.context.indexes.staticPods.get(name);
		if (!known || !this.kubeletRunning(known.spec?.nodeName) || this.context.store.get('pods', known.metadata.namespace, name)) {
			return;
		}

		this.kubelet.recreateMirror(known, true);
	}

	private stopStaticPod(name: string): void {
		const {store, clock, events, random, schedule, indexes} = this.context;
		// The index keeps every mirror pod ever seen by name, with its namespace.
		const known = indexes.staticPods.get(name);
		const mirror = known && store.get('pods', known.metadata.namespace, name);
		if (!mirror || !this.kubeletRunning(mirror.spec?.nodeName)) {
			return;
		}

		const {namespace} = mirror.metadata;
		schedule.after(`static:${namespace}/${name}`, between(random, ...timing.stopMs), () => {
			const current = store.get('pods', namespace, name);
			if (!current || !this.manifestRemoved(name)) {
				return;
			}

			const at = clock.now();
			store.update('pods', namespace, name, draft => {
				for (const status of (draft.status?.containerStatuses ?? []) as ContainerStatus[]) {
					if (status.state.running) {
						status.state = {terminated: {exitCode: 0, reason: 'Completed', startedAt: status.state.running.startedAt, finishedAt: iso(at), containerID: status.containerID}};
						status.ready = false;
						status.started = false;
					}
				}

				refreshReadiness(draft, at);
			});
			events.record(current, 'Normal', 'Killing', `Stopping container ${current.spec.containers[0]?.name}`, {component: 'kubelet', host: current.spec.nodeName}, `spec.containers{${current.spec.containers[0]?.name}}`);
			store.remove('pods', namespace, name);
		});
	}
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

function remainingGraceSeconds(pod: KubeObject, now: number): number {
	const deadline = Date.parse(pod.metadata.deletionTimestamp ?? '');
	return Number.isFinite(deadline) ? Math.max(0, Math.ceil((deadline - now) / 1000)) : 0;
}
