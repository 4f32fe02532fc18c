// What `kill` and `sweep` share: the cluster, its watches, the deleter and the probes,
// opened once (a sweep runs many experiments on one lab), and how an experiment is started
// on it and what its exit code is, so both commands read the flags the same way.
import type {Config, KillMode} from '../config/config.js';
import {startClusterView, type ClusterView} from '../experiment/cluster-view.js';
import {startExperiment, warmupMsFor, type ExperimentRecord, type MeasuredOn, type RunningExperiment} from '../experiment/engine.js';
import {kubeDeleter, type Deleter} from '../kube/actions.js';
import {watchPodSource} from '../kube/watch-pod-source.js';
import {verdictOf} from '../model/measurement.js';
import {createGuestbookMonitor} from '../probes/guestbook-monitor.js';
import type {HealthMonitor} from '../probes/types.js';
import {knockdownVersion} from '../version.js';
import {CommandError, type CommandIo} from './io.js';
import {openCheckedTarget, type Target} from './target.js';

export type Lab = {
	target: Target;
	view: ClusterView;
	deleter: Deleter;
	monitor: HealthMonitor;
	/** Stop the probes, the watches and (with --demo) the simulator. */
	close(): Promise<void>;
};

export async function openLab(config: Config, io: CommandIo): Promise<Lab> {
	const target = await openCheckedTarget(config, io);
	const {view, stop} = startClusterView(watchPodSource(target.connection, config.namespace), config.namespace);
	const monitor = createGuestbookMonitor(target.connection, {
		namespace: config.appNamespace,
		intervalMs: config.probeIntervalMs,
		timeoutMs: config.probeTimeoutMs,
		target: config.probeTarget,
		// The function probe of metrics-server ("HPA stops working" as a measured fact).
		metricsApi: config.probeTarget === undefined,
	});
	const close = async () => {
		monitor.stop();
		await stop();
		await target.close();
	};

	try {
		await view.waitSynced(20_000, io.signal);
	} catch (error) {
		await close();
		if (io.signal.aborted) {
			throw new CommandError('interrupted before anything was deleted', 130);
		}

		throw new CommandError(`${target.connection.server}: ${error instanceof Error ? error.message : String(error)}`, 1);
	}

	monitor.start();
	return {target, view, deleter: kubeDeleter(target.connection, config.namespace), monitor, close};
}

/** Start one experiment on the lab with the flags' limits (throws PlanError as startExperiment does). */
export function startLabExperiment(lab: Lab, config: Config, io: CommandIo, component: string, mode: KillMode): RunningExperiment {
	return startExperiment({
		view: lab.view,
		deleter: lab.deleter,
		monitor: lab.monitor,
		namespace: config.namespace,
		component,
		mode,
		timeoutMs: config.timeoutMs,
		settleMs: config.settleMs,
		warmupMs: warmupMsFor(config),
		signal: io.signal,
		measuredOn: measuredOnOf(lab, config),
	});
}

/** Which cluster, namespace and knockdown the lab's reports are about. */
export function measuredOnOf(lab: Pick<Lab, 'target'>, config: Pick<Config, 'namespace'>): MeasuredOn {
	const {connection} = lab.target;
	return {context: connection.contextName, server: connection.server, namespace: config.namespace, knockdownVersion};
}

/** 130 when interrupted (as a shell reports SIGINT), 1 when the action failed or nothing recovered, else 0. */
export function exitCodeOf(record: ExperimentRecord): number {
	if (record.interrupted) {
		return 130;
	}

	// The action failed, or the API server went away: the experiment could not be done.
	if (record.measurement.ending?.reason === 'action-failed' || record.measurement.ending?.reason === 'api-server-lost') {
		return 1;
	}

	return verdictOf(record.measurement).verdict === 'not-recovered' ? 1 : 0;
}
