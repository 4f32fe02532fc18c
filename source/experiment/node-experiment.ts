// A node experiment: a helper pod stops a node's kubelet (or moves a static pod's manifest
// out) for a while, and the measurement folds what the node controller and the node's pods
// did, with the same probes and outage windows as a pod experiment. Safety: one node at a
// time (no other knockdown helper may exist), nothing is created before every check passed,
// the undo is scheduled on the host by the helper itself, and the helper pod is deleted at
// the end (or a sentence says how to clean up by hand).
import type {ComponentRef} from '../model/component.js';
import {componentRef} from '../model/component.js';
import {
	observePod,
	type Measurement,
	type PodObservation,
} from '../model/measurement.js';
import {podUid, type PodLike} from '../model/pod-status.js';
import type {Deleter} from '../kube/actions.js';
import type {NodeActor, NodeFeedUpdate} from '../kube/node-actions.js';
import type {HealthMonitor, ProbeResult} from '../probes/types.js';
import {systemClock, type Clock} from '../time/clock.js';
import type {ClusterView} from './cluster-view.js';
import {measurementFeed, tickUntilEnding} from './measurement-feed.js';
import {connectionDispatcher, raceWithDelay, type ExperimentRecord, type MeasuredOn, type RunningExperiment} from './engine.js';
import {helperPod, helperPodName, helperStamp, manualUndo, undoUnitName, type NodeStop} from './helper-pod.js';
import {PlanError, type ExperimentPlan} from './plan.js';

export type NodeExperimentOptions = {
	actor: NodeActor;
	/** Which cluster and knockdown measured it, for the reports. */
	measuredOn?: MeasuredOn;
	/** Static-pod mode: the namespace's pods (the component's mirror pods). */
	view: ClusterView;
	monitor?: HealthMonitor;
	namespace: string;
	stop: NodeStop;
	image: string;
	/** Beyond the stop itself (--for): the time limit runs from when the undo is due. */
	timeoutMs: number;
	settleMs: number;
	warmupMs?: number;
	signal?: AbortSignal;
	clock?: Clock;
	tickMs?: number;
	/**
	 * The kubelet's row of the talk says pods "can no longer be deleted": once the kubelet is
	 * stopped, delete this pod of the namespace on the node (through the namespace's deleter)
	 * and see whether its deletion hangs and whether its replacement can start there.
	 */
	alsoDelete?: {deleter: Deleter; pod: string};
};

export type RunningNodeExperiment = RunningExperiment & {
	/** Sentences for the person after the end: how to clean up by hand when knockdown could not. */
	readonly cleanup: Promise<string[]>;
};

/** `ns/name`: a node's pods come from every namespace. */
function qualified(pod: PodLike): string {
	return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

function observeOnNode(pod: PodLike): PodObservation {
	return {...observePod(pod), name: qualified(pod)};
}

function terminatedOf(pod: PodLike): {exitCode?: number; message?: string} {
	const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
	return {exitCode: terminated?.exitCode ?? undefined, message: (terminated as {message?: string | null} | undefined)?.message?.trim()};
}

/**
 * Check everything, then start. Throws PlanError (nothing sent) for an unknown or not-Ready
 * node, another stop under way, or a static pod that is not on the node.
 */
export async function startNodeExperiment(options: NodeExperimentOptions): Promise<RunningNodeExperiment> {
	const {actor, namespace, stop} = options;
	if (actor.namespace !== namespace) {
		throw new Error(`the experiment's namespace ${namespace} differs from its actor's`);
	}

	const readiness = await actor.readNode(stop.node);
	if (readiness === undefined) {
		const known = await actor.listNodeNames().catch(() => []);
		throw new PlanError(`unknown node "${stop.node}"${known.length > 0 ? ` (nodes: ${known.join(', ')})` : ''}`);
	}

	if (readiness !== 'True') {
		throw new PlanError(`node ${stop.node} is not Ready (Ready=${readiness}): knockdown stops only a healthy node's kubelet, one node at a time`);
	}

	const running = await actor.helperPods(namespace);
	if (running.length > 0) {
		throw new PlanError(`another knockdown stop is under way (helper pod ${running.map(pod => `${namespace}/${pod.name}${pod.node ? ` on ${pod.node}` : ''}`).join(', ')}): one node at a time; wait for it to end or delete it`);
	}

	let component: ComponentRef;
	let victims: PodLike[] = [];
	let componentPods: PodLike[] = [];
	if (stop.kind === 'static-pod') {
		const group = options.view.components().find(candidate => candidate.component.kind === 'StaticPod' && candidate.component.name === stop.component);
		const mirror = group?.pods.find(pod => pod.spec?.nodeName === stop.node && !pod.metadata?.deletionTimestamp);
		if (!group || !mirror) {
			throw new PlanError(`no static pod ${stop.component} runs on ${stop.node} in ${namespace}`);
		}

		component = group.component;
		componentPods = group.pods;
		victims = [mirror];
	} else {
		component = {...componentRef('Kubelet', stop.node), name: 'kubelet'};
	}

	const action = stop.kind === 'kubelet'
		? {kind: 'stop-kubelet' as const, node: stop.node, forMs: stop.forMs}
		: {kind: 'stop-static-pod' as const, node: stop.node, pod: victims[0].metadata?.name ?? '', forMs: stop.forMs};
	const plan: ExperimentPlan = {component, action, victims, pods: componentPods};
	return run(options, plan);
}

function run(options: NodeExperimentOptions, plan: ExperimentPlan): RunningNodeExperiment {
	const {actor, namespace, stop} = options;
	const clock = options.clock ?? systemClock();
	const stamp = helperStamp(clock.now());
	const helperName = helperPodName(stamp);
	const feed = measurementFeed();
	const {dispatch} = feed;

	let resolveCleanup!: (notes: string[]) => void;
	const cleanup = new Promise<string[]>(resolve => {
		resolveCleanup = resolve;
	});

	const done = (async (): Promise<ExperimentRecord> => {
		const cleanups: Array<() => void | Promise<void>> = [];
		const onNode = new Map<string, PodLike>();
		let finish!: (interrupted: boolean) => void;
		const finished = new Promise<boolean>(resolve => {
			finish = resolve;
		});
		let synced!: () => void;
		const nodeSynced = new Promise<void>(resolve => {
			synced = resolve;
		});
		let created = false;
		let interrupted = false;
		let deleteSent = false;
		// Said after the end, so a "not tried" in the report is not left unexplained.
		let deleteFailed: string | undefined;
		try {
			let firstEndToEnd!: () => void;
			const warmedUp = new Promise<void>(resolve => {
				firstEndToEnd = resolve;
			});
			if (options.monitor) {
				cleanups.push(options.monitor.subscribe((result: ProbeResult) => {
					if (result.layer === 'end-to-end') {
						firstEndToEnd();
					}

					dispatch({type: 'probe-result', at: clock.now(), result});
				}));
			}

			const tracksPod = (pod: PodLike) => stop.kind === 'kubelet' || plan.component.key === options.view.componentOf(pod).key;
			const watch = actor.watchNode(stop.node, (update: NodeFeedUpdate) => {
				const at = clock.now();
				switch (update.type) {
					case 'node': {
						dispatch({type: 'node-seen', at, ready: update.ready});
						break;
					}

					case 'pod-upserted': {
						if (update.pod.metadata?.name === helperName && update.pod.metadata?.namespace === namespace) {
							dispatch({type: 'helper-seen', at, phase: update.pod.status?.phase ?? undefined, ...terminatedOf(update.pod)});
							if (options.alsoDelete && !deleteSent && kubeletStopped(feed.state())) {
								deleteSent = true;
								const {pod} = options.alsoDelete;
								void options.alsoDelete.deleter.deletePod(namespace, pod).catch((error: unknown) => {
									deleteFailed = `could not delete ${namespace}/${pod} while the kubelet was away: ${error instanceof Error ? error.message : String(error)}`;
								});
							}
						} else if (stop.kind === 'kubelet') {
							onNode.set(podUid(update.pod), update.pod);
							dispatch({type: 'pod-seen', at, pod: observeOnNode(update.pod)});
						}

						break;
					}

					case 'pod-deleted': {
						if (update.pod.metadata?.name !== helperName && stop.kind === 'kubelet') {
							onNode.delete(podUid(update.pod));
							dispatch({type: 'pod-deleted', at, uid: podUid(update.pod), name: qualified(update.pod)});
						}

						break;
					}

					case 'synced': {
						synced();
						break;
					}

					case 'state': {
						break;
					}
				}
			});
			cleanups.push(async () => watch.stop());
			// The namespace's watch: its connection (the API server away ends the experiment as
			// unknown after the grace period, as a pod experiment does) and, for a static pod, the
			// component's pods (the mirror pod's deletion and its return).
			let dispatchConnection = connectionDispatcher(dispatch);
			cleanups.push(options.view.subscribe(update => {
				const at = clock.now();
				if (update.type === 'connection') {
					dispatchConnection(update.state, at);
				} else if (stop.kind === 'static-pod' && update.type === 'pod-upserted' && tracksPod(update.pod)) {
					dispatch({type: 'pod-seen', at, pod: observePod(update.pod)});
				} else if (stop.kind === 'static-pod' && update.type === 'pod-deleted' && tracksPod(update.pod)) {
					dispatch({type: 'pod-deleted', at, uid: podUid(update.pod), name: update.pod.metadata?.name ?? ''});
				}
			}));

			const onAbort = () => finish(true);
			options.signal?.addEventListener('abort', onAbort, {once: true});
			cleanups.push(() => options.signal?.removeEventListener('abort', onAbort));
			if (options.signal?.aborted) {
				finish(true);
			}

			await Promise.race([nodeSynced, finished]);
			// As a pod experiment: a first end-to-end answer before t0 gives the first window its lastOkBefore.
			if ((options.warmupMs ?? 0) > 0) {
				await raceWithDelay(clock, options.warmupMs!, [warmedUp, finished]);
			}

			if (options.signal?.aborted) {
				interrupted = true;
				return {namespace, component: plan.component, mode: 'pods', podCount: 0, measurement: feed.state(), interrupted: true, measuredOn: options.measuredOn};
			}

			const pods = stop.kind === 'kubelet'
				? [...onNode.values()].map(pod => observeOnNode(pod))
				: options.view.podsOf(plan.component).map(pod => observePod(pod));
			const t0 = clock.now();
			dispatch({
				type: 'experiment-started',
				at: t0,
				component: plan.component.name,
				action: plan.action,
				pods,
				victims: plan.victims.map(podUid),
				// The stop lasts --for by design: the time limit counts from when it is undone.
				limits: {timeoutMs: options.timeoutMs + stop.forMs, settleMs: options.settleMs},
			});
			// What happened to the connection before t0 was not dispatched into the experiment.
			dispatchConnection = connectionDispatcher(dispatch);
			dispatchConnection(options.view.connection, clock.now());
			created = true;
			void actor.createHelperPod(namespace, helperPod(stop, {namespace, image: options.image, stamp})).then(
				() => dispatch({type: 'action-answered', at: clock.now()}),
				(error: unknown) => {
					created = false;
					dispatch({type: 'action-failed', at: clock.now(), message: error instanceof Error ? error.message : String(error)});
				},
			);
			cleanups.push(tickUntilEnding(feed, clock, options.tickMs ?? 100, () => finish(false)));
			interrupted = await finished;
			return {namespace, component: plan.component, mode: 'pods', podCount: feed.state().podsAtT0.length, measurement: feed.state(), interrupted, measuredOn: options.measuredOn};
		} finally {
			for (const step of cleanups.reverse()) {
				await step();
			}

			const helperNotes = created ? await removeHelper(interrupted) : [];
			// Read after that wait: a delete that failed meanwhile is still said.
			resolveCleanup([...(deleteFailed ? [deleteFailed] : []), ...helperNotes]);
		}
	})();

	/** Delete the helper pod; when that fails, or the stop may still be on, say what to do by hand. */
	async function removeHelper(interrupted: boolean): Promise<string[]> {
		const notes: string[] = [];
		const kubeletAway = stop.kind === 'kubelet' && kubeletStopped(feed.state());
		try {
			await actor.deleteHelperPod(namespace, helperName);
			if (kubeletAway) {
				notes.push(`the helper pod ${namespace}/${helperName} stays Terminating until the kubelet of ${stop.node} is back; it then goes by itself`);
			}
		} catch (error) {
			notes.push(`could not delete the helper pod ${namespace}/${helperName} (${error instanceof Error ? error.message : String(error)}): delete it by hand with \`kubectl -n ${namespace} delete pod ${helperName}\``);
		}

		const {t0} = feed.state();
		if (interrupted && t0 !== undefined) {
			const due = new Date(t0 + stop.forMs).toISOString().slice(11, 19);
			notes.push(`interrupted: the node undoes the stop by itself at about ${due} UTC (systemd timer ${undoUnitName(stamp)} on ${stop.node}); to undo it sooner, run \`${manualUndo(stop)}\` on ${stop.node}`);
		}

		return notes;
	}

	return {
		plan,
		state: feed.state,
		subscribe: feed.subscribe,
		onEntry: feed.onEntry,
		done,
		cleanup,
	};
}

/** The helper has stopped the kubelet and it has not reported back yet. */
function kubeletStopped(state: Measurement): boolean {
	return state.node?.stopRunningAt !== undefined && state.node.kubeletBackAt === undefined;
}
