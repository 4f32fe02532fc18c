// One lab: what every experiment of a session runs on — the namespace as the watches show it,
// the deleter, the node actor, the probes — and how an experiment is started on it with the
// flags' limits. Built once: by `kill` and `sweep` (commands/lab.ts) and by the live screen
// (commands/ui.tsx), so a pod experiment started by a key and one started by `kill` get the
// same parts and the same limits.
import type {Config} from '../config/config.js';
import {startClusterView, type ClusterView} from '../experiment/cluster-view.js';
import {startExperiment, warmupMsFor, type ExperimentOptions, type MeasuredOn, type RunningExperiment} from '../experiment/engine.js';
import type {NodeStop} from '../experiment/helper-pod.js';
import {startNodeExperiment, type NodeExperimentOptions, type RunningNodeExperiment} from '../experiment/node-experiment.js';
import {kubeDeleter, type Deleter} from '../kube/actions.js';
import type {Connection} from '../kube/connect.js';
import {kubeNodeActor, type NodeActor} from '../kube/node-actions.js';
import type {FeedUpdate} from '../kube/pod-source.js';
import {watchPodSource, type WatchPodSourceOptions} from '../kube/watch-pod-source.js';
import {createGuestbookMonitor, type GuestbookMonitor} from '../probes/guestbook-monitor.js';
import type {HealthMonitor} from '../probes/types.js';
import type {Clock} from '../time/clock.js';
import {knockdownVersion} from '../version.js';

/** The flags an experiment on the lab is limited by. */
export type LabSettings = Pick<Config, 'namespace' | 'timeoutMs' | 'settleMs' | 'probeIntervalMs' | 'probeTimeoutMs'> & {
	/** The helper pod's image for node experiments. */
	nodeStop?: Pick<Config['nodeStop'], 'helperImage'>;
};

/** What a pod experiment is, besides the lab's parts and limits. */
export type PodExperimentTarget = Pick<ExperimentOptions, 'component' | 'mode' | 'podName' | 'containerKill' | 'hammerForMs' | 'plan'>;

export type LabParts = {
	/** The namespace as the watches show it: the engine reads t0's pods from it. */
	view: ClusterView;
	deleter: Deleter;
	/** Node experiments (the kubelet, a static pod stopped for real); without it they are off. */
	nodeActor?: NodeActor;
	/** The probes of the service path; without them a verdict is "unknown". */
	monitor?: HealthMonitor;
	/** Which cluster, namespace and knockdown the reports are about. */
	measuredOn?: MeasuredOn;
	clock?: Clock;
};

export type Lab = Readonly<LabParts> & {
	/** Start the probes (once): `kill` after its checks and question, so the warm-up sees their first answers; the screen at once, for its panel. */
	startProbing(): void;
	/** A pod experiment with the flags' limits; starts the probes. Throws PlanError as startExperiment does. */
	startExperiment(target: PodExperimentTarget, signal?: AbortSignal): RunningExperiment;
	/** A node experiment through a helper pod; starts the probes. */
	startNodeExperiment(stop: NodeStop, options?: {signal?: AbortSignal; alsoDelete?: NodeExperimentOptions['alsoDelete']}): Promise<RunningNodeExperiment>;
	/** Stop the probes and the watches. */
	close(): Promise<void>;
};

/** The lab over parts already built (tests pass fakes); `close` stops what the caller built. */
export function createLab<Parts extends LabParts>(parts: Parts, settings: LabSettings, close: () => Promise<void> = async () => undefined): Lab & Readonly<Parts> {
	const {view, deleter, nodeActor, monitor, measuredOn, clock} = parts;
	let probing = false;
	// As `kill` does: a first end-to-end answer before t0 gives the first window its lastOkBefore.
	const warmupMs = monitor ? warmupMsFor(settings) : 0;
	const startProbing = () => {
		if (monitor && !probing) {
			monitor.start();
			probing = true;
		}
	};

	return {
		...parts,
		startProbing,
		startExperiment(target, signal) {
			const running = startExperiment({
				...target,
				view,
				deleter,
				monitor,
				namespace: settings.namespace,
				// A hammer keeps the component down on purpose: the time limit counts from when it stops.
				timeoutMs: settings.timeoutMs + (target.hammerForMs ?? 0),
				settleMs: settings.settleMs,
				warmupMs,
				signal,
				measuredOn,
				clock,
			});
			startProbing();
			return running;
		},
		async startNodeExperiment(stop, options = {}) {
			if (!nodeActor || !settings.nodeStop) {
				throw new Error('node experiments are not available here');
			}

			startProbing();
			return startNodeExperiment({
				actor: nodeActor,
				measuredOn,
				view,
				monitor,
				namespace: settings.namespace,
				stop,
				image: settings.nodeStop.helperImage,
				timeoutMs: settings.timeoutMs,
				settleMs: settings.settleMs,
				warmupMs,
				signal: options.signal,
				alsoDelete: options.alsoDelete,
				clock,
			});
		},
		async close() {
			monitor?.stop();
			await close();
		},
	};
}

export type ConnectOptions = {
	clock?: Clock;
	/** Every watch update, after the lab's view has it (the screen's store). */
	onUpdate?(update: FeedUpdate): void;
	watch?: WatchPodSourceOptions;
};

/** A lab on a cluster has every part, and the probes the screen's panel draws. */
export type ConnectedLab = Lab & Readonly<Required<Pick<LabParts, 'nodeActor' | 'measuredOn'>> & {monitor: GuestbookMonitor}>;

/**
 * The lab on a cluster: one set of watches on --namespace (started now; wait for
 * `view.waitSynced` before planning), the deleter and node actor bound to that namespace,
 * the guestbook probes of --app-namespace (not started: see startProbing).
 */
export function connectLab(connection: Connection, config: Config, options: ConnectOptions = {}): ConnectedLab {
	const {view, stop} = startClusterView(watchPodSource(connection, config.namespace, options.watch), config.namespace, options.clock, options.onUpdate);
	const monitor = createGuestbookMonitor(connection, {
		namespace: config.appNamespace,
		intervalMs: config.probeIntervalMs,
		timeoutMs: config.probeTimeoutMs,
		target: config.probeTarget,
		// The function probe of metrics-server ("HPA stops working" as a measured fact).
		metricsApi: config.probeTarget === undefined,
		clock: options.clock,
	});
	return createLab({
		view,
		deleter: kubeDeleter(connection, config.namespace),
		nodeActor: kubeNodeActor(connection, config.namespace),
		monitor,
		measuredOn: {context: connection.contextName, server: connection.server, namespace: config.namespace, knockdownVersion},
		clock: options.clock,
	}, config, stop);
}
