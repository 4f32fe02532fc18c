// Runs one experiment: takes t0's state from the watches that are already running, sends
// the action, and folds every watch event, probe result and tick into the measurement
// model until it says the experiment is over. Views subscribe to its snapshots; the
// headless commands print its timeline entries as they come.
import type {KillMode} from '../config/config.js';
import type {Deleter} from '../kube/actions.js';
import type {ConnectionState, FeedUpdate} from '../kube/pod-source.js';
import type {ComponentGroup, ComponentRef} from '../model/component.js';
import {
	observePod,
	type Measurement,
	type MeasurementEvent,
	type TimelineEntry,
} from '../model/measurement.js';
import {podUid, type PodLike} from '../model/pod-status.js';
import type {HealthMonitor, ProbeResult} from '../probes/types.js';
import {systemClock, type Clock, type Timer} from '../time/clock.js';
import type {ClusterView} from './cluster-view.js';
import {measurementFeed, tickUntilEnding} from './measurement-feed.js';
import {findComponent, planContainerKill, planExperiment, type ExperimentPlan} from './plan.js';

export type ExperimentOptions = {
	view: ClusterView;
	deleter: Deleter;
	/** Probes of the service path, already started; without one the verdict is "unknown". */
	monitor?: HealthMonitor;
	namespace: string;
	/** What the user named: `kube-dns`, `deployment/kube-dns`, `kube-proxy`. */
	component: string;
	mode: KillMode;
	/** mode pod: which pod (else a Ready one). */
	podName?: string;
	/** Hammer (the screen's `H`): for this long after t0, delete the component's pods again each time a replacement becomes Ready. */
	hammerForMs?: number;
	/** Instead of deleting: `kill 1` in this pod's container (the screen's `x`); mode is then ignored. */
	containerKill?: {pod: string; container?: string};
	timeoutMs: number;
	settleMs: number;
	/** What the engine reads the time from and waits on (default the wall clock). */
	clock?: Clock;
	/** How often the engine looks at the clock (ms). */
	tickMs?: number;
	/** Wait this long at most for a first end-to-end probe result before t0, so the first window has its lastOkBefore. */
	warmupMs?: number;
	signal?: AbortSignal;
	/** What planFor(view, options) returned when the user was asked: exactly that is deleted. */
	plan?: ExperimentPlan;
	/** Which cluster and knockdown measured it, for the reports. */
	measuredOn?: MeasuredOn;
};

/** What a report names so that its numbers can be traced: where, and with which knockdown. */
export type MeasuredOn = {context: string; server: string; namespace: string; knockdownVersion: string};

/**
 * The longest wait before t0 for a first end-to-end probe result: long enough for one probe
 * to answer (or time out), so the first outage window has its last good answer before the action.
 */
export function warmupMsFor(probes: {probeTimeoutMs: number; probeIntervalMs: number}): number {
	return Math.max(3000, probes.probeTimeoutMs + probes.probeIntervalMs * 2);
}

export type ExperimentRecord = {
	namespace: string;
	component: ComponentRef;
	mode: KillMode;
	/** Pods of the component at t0. */
	podCount: number;
	measurement: Measurement;
	/** Stopped by the user (Ctrl-C) before it was over. */
	interrupted: boolean;
	measuredOn?: MeasuredOn;
};

export type RunningExperiment = {
	readonly plan: ExperimentPlan;
	state(): Measurement;
	/** Every state change (for a view); returns unsubscribe. */
	subscribe(listener: (state: Measurement) => void): () => void;
	/** Every timeline entry as it becomes known; returns unsubscribe. */
	onEntry(listener: (entry: TimelineEntry, state: Measurement) => void): () => void;
	readonly done: Promise<ExperimentRecord>;
};

/**
 * Plan (throws PlanError for an unknown component or an impossible mode) and start an
 * experiment. The view must be synced: t0's pods are read from it.
 */
export function startExperiment(options: ExperimentOptions): RunningExperiment {
	const {view, namespace} = options;
	if (view.namespace !== namespace || options.deleter.namespace !== namespace) {
		throw new Error(`the experiment's namespace ${namespace} differs from its watches' or deleter's`);
	}

	const plan = options.plan ?? planFor(view, options);
	const clock = options.clock ?? systemClock();
	const feed = measurementFeed();
	const {dispatch} = feed;

	const done = run();

	async function run(): Promise<ExperimentRecord> {
		const cleanups: Array<() => void> = [];
		const tracked = new Set<string>(plan.pods.map(podUid));
		const workload = plan.action.kind === 'delete-workload' ? {kind: plan.action.workloadKind, name: plan.action.workloadName} : undefined;
		const workloadUid = workload ? view.owner(workload.kind, workload.name)?.metadata?.uid : undefined;
		let finish!: (interrupted: boolean) => void;
		const finished = new Promise<boolean>(resolve => {
			finish = resolve;
		});
		let firstEndToEnd!: () => void;
		const warmedUp = new Promise<void>(resolve => {
			firstEndToEnd = resolve;
		});

		try {
			// Probe results from before t0 give the first window its lastOkBefore.
			if (options.monitor) {
				cleanups.push(options.monitor.subscribe((result: ProbeResult) => {
					if (result.layer === 'end-to-end') {
						firstEndToEnd();
					}

					dispatch({type: 'probe-result', at: clock.now(), result});
				}));
			}

			cleanups.push(view.subscribe((update: FeedUpdate) => {
				const at = clock.now();
				switch (update.type) {
					case 'pod-upserted': {
						if (belongs(update.pod)) {
							tracked.add(podUid(update.pod));
							dispatch({type: 'pod-seen', at, pod: observePod(update.pod)});
						}

						break;
					}

					case 'pod-deleted': {
						if (belongs(update.pod)) {
							dispatch({type: 'pod-deleted', at, uid: podUid(update.pod), name: update.pod.metadata?.name ?? ''});
						}

						break;
					}

					case 'owner-deleted': {
						if (workload && update.owner.kind === workload.kind && update.owner.metadata?.name === workload.name) {
							dispatch({type: 'workload-gone', at});
						}

						break;
					}

					case 'connection': {
						dispatchConnection(update.state, at);
						break;
					}

					case 'owner-upserted': {
						if (workload && update.owner.kind === workload.kind && update.owner.metadata?.name === workload.name
							&& update.owner.metadata?.uid !== workloadUid) {
							dispatch({type: 'workload-gone', at});
							dispatch({type: 'workload-back', at});
						}

						break;
					}

					default: {
						break;
					}
				}
			}));

			let dispatchConnection = connectionDispatcher(dispatch);

			function belongs(pod: PodLike): boolean {
				return tracked.has(podUid(pod)) || view.componentOf(pod).key === plan.component.key;
			}

			const onAbort = () => finish(true);
			options.signal?.addEventListener('abort', onAbort, {once: true});
			cleanups.push(() => options.signal?.removeEventListener('abort', onAbort));
			if (options.signal?.aborted) {
				finish(true);
			}

			const warmupMs = options.warmupMs ?? (options.monitor ? 5000 : 0);
			if (warmupMs > 0) {
				await raceWithDelay(clock, warmupMs, [warmedUp, finished]);
			}

			// Interrupted before t0: nothing has been deleted, and nothing may be now.
			if (options.signal?.aborted) {
				return {namespace, component: plan.component, mode: options.mode, podCount: 0, measurement: feed.state(), interrupted: true, measuredOn: options.measuredOn};
			}

			const t0 = clock.now();
			dispatch({
				type: 'experiment-started',
				at: t0,
				component: plan.component.name,
				action: plan.action,
				// Read now, not at planning time: t0's state is what the watches show just before the request.
				pods: view.podsOf(plan.component).map(pod => observePod(pod)),
				victims: plan.victims.map(podUid),
				limits: {timeoutMs: options.timeoutMs, settleMs: options.settleMs},
			});
			const podCount = feed.state().podsAtT0.length;
			// What happened to the connection before t0 was not dispatched into the experiment.
			dispatchConnection = connectionDispatcher(dispatch);
			dispatchConnection(view.connection, clock.now());
			void send(options.deleter, namespace, plan).then(
				() => dispatch({type: 'action-answered', at: clock.now()}),
				(error: unknown) => dispatch({type: 'action-failed', at: clock.now(), message: error instanceof Error ? error.message : String(error)}),
			);

			if (options.hammerForMs && options.hammerForMs > 0 && plan.action.kind !== 'kill-container') {
				const hammered = new Set<string>();
				const hammer = (next: Measurement) => {
					if (next.ending || next.t0 === undefined || clock.now() > next.t0 + options.hammerForMs!) {
						return;
					}

					const readyNow = next.replacements.filter(replacement => replacement.readyAt !== undefined && !hammered.has(replacement.uid));
					if (readyNow.length === 0) {
						return;
					}

					for (const replacement of readyNow) {
						hammered.add(replacement.uid);
					}

					const again = view.podsOf(plan.component).filter(pod => !pod.metadata?.deletionTimestamp);
					if (again.length === 0) {
						return;
					}

					dispatch({type: 'action-repeated', at: clock.now(), pods: again.map(pod => observePod(pod))});
					void options.deleter.deletePods(namespace, again.map(pod => pod.metadata?.name ?? '')).catch((error: unknown) => {
						dispatch({type: 'action-failed', at: clock.now(), message: error instanceof Error ? error.message : String(error)});
					});
				};

				const unsubscribeHammer = feed.subscribe(hammer);
				cleanups.push(() => {
					unsubscribeHammer();
				});
			}

			cleanups.push(tickUntilEnding(feed, clock, options.tickMs ?? 100, () => finish(false)));
			const interrupted = await finished;
			return {namespace, component: plan.component, mode: options.mode, podCount, measurement: feed.state(), interrupted, measuredOn: options.measuredOn};
		} finally {
			for (const cleanup of cleanups.reverse()) {
				cleanup();
			}
		}
	}

	return {
		plan,
		state: feed.state,
		subscribe: feed.subscribe,
		onEntry: feed.onEntry,
		done,
	};
}

export async function runExperiment(options: ExperimentOptions, onEntry?: (entry: TimelineEntry, state: Measurement) => void): Promise<ExperimentRecord> {
	const running = startExperiment(options);
	if (onEntry) {
		running.onEntry(onEntry);
	}

	return running.done;
}

/**
 * The watches' connection state as measurement events: the API server away (refusing, or
 * hanging) and back. The reducer waits a grace period for it before the experiment is unknown.
 */
export function connectionDispatcher(dispatch: (event: MeasurementEvent) => void): (connection: ConnectionState, at: number) => void {
	let lost = false;
	return (connection, at) => {
		const away = connection.phase === 'reconnecting' || connection.phase === 'not-answering';
		if (away && !lost) {
			lost = true;
			dispatch({type: 'api-server-lost', at, since: Math.min(at, connection.since), reason: connection.reason});
		} else if (!away && lost && connection.phase !== 'connecting') {
			lost = false;
			dispatch({type: 'api-server-back', at});
		}
	};
}

async function send(deleter: Deleter, namespace: string, plan: ExperimentPlan): Promise<void> {
	switch (plan.action.kind) {
		case 'delete-pod': {
			return deleter.deletePod(namespace, plan.action.pod);
		}

		case 'delete-pods': {
			return deleter.deletePods(namespace, plan.victims.map(pod => pod.metadata?.name ?? ''));
		}

		case 'delete-workload': {
			return deleter.deleteWorkload(namespace, plan.action.workloadKind, plan.action.workloadName);
		}

		case 'kill-container': {
			return deleter.killMainProcess(namespace, plan.action.pod, plan.action.container);
		}

		// Node experiments act through a helper pod (experiment/node-experiment.ts), never here.
		case 'stop-kubelet':
		case 'stop-static-pod': {
			throw new Error(`${plan.action.kind} is a node experiment: startNodeExperiment runs it`);
		}
	}
}

/** What the options delete, from the view's pods now (throws PlanError for an unknown component or an impossible mode). */
export function planFor(view: ClusterView, options: Pick<ExperimentOptions, 'namespace' | 'component' | 'mode' | 'podName' | 'containerKill'>): ExperimentPlan {
	const group = findComponent(view.components(), options.component, options.namespace);
	return options.containerKill
		? planContainerKill(group, options.containerKill.pod, options.containerKill.container)
		: planForArg(group, options);
}

/**
 * When the user named one pod (`kill kube-proxy-<node>`, `kill kube-dns-7df4cb66cb-9ft98`), only
 * that pod is deleted, in mode pod or pods alike: the narrower reading of what was asked.
 */
function planForArg(group: ComponentGroup<PodLike>, options: Pick<ExperimentOptions, 'component' | 'mode' | 'podName'>): ExperimentPlan {
	const namedPod = group.component.name !== options.component && group.pods.some(pod => pod.metadata?.name === options.component);
	if (namedPod && options.mode !== 'workload') {
		return planExperiment(group, 'pod', options.podName ?? options.component);
	}

	return planExperiment(group, options.mode, options.podName);
}

/** Wait for the first of `waits`, or `ms` on the clock; the timer is cancelled either way, so a warm-up cut short does not hold the process. */
export async function raceWithDelay(clock: Clock, ms: number, waits: Array<Promise<unknown>>): Promise<void> {
	let timer: Timer | undefined;
	try {
		await Promise.race([...waits, new Promise<void>(resolve => {
			timer = clock.after(ms, resolve);
		})]);
	} finally {
		timer?.cancel();
	}
}
