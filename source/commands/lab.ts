// What `kill` and `sweep` share: the cluster, its watches, the deleter and the probes,
// opened once (a sweep runs many experiments on one lab), and how an experiment is started
// on it and what its exit code is, so both commands read the flags the same way.
import type {Config, KillMode} from '../config/config.js';
import {startClusterView, type ClusterView} from '../experiment/cluster-view.js';
import {startExperiment, warmupMsFor, type ExperimentRecord, type MeasuredOn, type RunningExperiment} from '../experiment/engine.js';
import type {ExperimentPlan} from '../experiment/plan.js';
import {deniedAccess, describeAccess, type AccessCheck} from '../kube/access.js';
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
	/** Whether the probes run: they start with the first experiment, after the checks and the question. */
	probing: boolean;
	/** Stop the probes, the watches and (with --demo) the simulator. */
	close(): Promise<void>;
};

export async function openLab(config: Config, io: CommandIo): Promise<Lab> {
	const target = await openCheckedTarget(config, io);
	const {view, stop} = startClusterView(watchPodSource(target.connection, config.namespace), config.namespace, io.clock);
	const monitor = createGuestbookMonitor(target.connection, {
		namespace: config.appNamespace,
		intervalMs: config.probeIntervalMs,
		timeoutMs: config.probeTimeoutMs,
		target: config.probeTarget,
		// The function probe of metrics-server ("HPA stops working" as a measured fact).
		metricsApi: config.probeTarget === undefined,
		clock: io.clock,
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

	// The probes start with the first experiment (startLabExperiment), after the checks and the
	// question: its warm-up then sees their first answers.
	return {target, view, deleter: kubeDeleter(target.connection, config.namespace), monitor, probing: false, close};
}

/** What an experiment in this mode needs besides deleting: seeing the pods go and come. */
export function accessFor(mode: KillMode): AccessCheck[] {
	const watching: AccessCheck[] = [{verb: 'list', resource: 'pods'}, {verb: 'watch', resource: 'pods'}];
	return mode === 'workload'
		? [...watching, {verb: 'delete', resource: 'deployments', group: 'apps'}, {verb: 'delete', resource: 'daemonsets', group: 'apps'}]
		: [...watching, {verb: 'delete', resource: 'pods'}];
}

/**
 * Before the first delete: may we watch and delete? A "no" is one sentence and exit 2 with
 * nothing deleted, instead of victims reported "still there" that were replaced long ago.
 */
export async function refuseWithoutAccess(lab: Lab, config: Config, checks: AccessCheck[]): Promise<void> {
	const denied = await deniedAccess(lab.target.connection, config.namespace, checks);
	if (denied.length > 0) {
		const cannot = denied.map(check => describeAccess(check)).join(', ');
		const why = denied.some(check => check.verb === 'create')
			? 'the helper pod that reaches the node could not be created'
			: denied.some(check => check.verb !== 'delete')
				? 'without them the pods\' going and coming back cannot be seen'
				: 'the delete would be refused';
		throw new CommandError(`not allowed to ${cannot} in namespace ${config.namespace} (context ${lab.target.connection.contextName}): ${why}, so nothing was deleted`, 2);
	}
}

/** Start one experiment on the lab with the flags' limits (throws PlanError as startExperiment does). */
export function startLabExperiment(lab: Lab, config: Config, io: CommandIo, component: string, mode: KillMode, plan?: ExperimentPlan): RunningExperiment {
	const running = startExperiment({
		plan,
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
		clock: io.clock,
		measuredOn: measuredOnOf(lab, config),
	});
	startProbing(lab);
	return running;
}

/** The probes start with the first experiment, once the checks and the question are behind us. */
export function startProbing(lab: Lab): void {
	if (!lab.probing) {
		lab.monitor.start();
		lab.probing = true;
	}
}

/** A node experiment creates a helper pod in the namespace, watches it and deletes it at the end. */
export const nodeExperimentAccess: AccessCheck[] = [
	{verb: 'create', resource: 'pods'},
	{verb: 'watch', resource: 'pods'},
	{verb: 'delete', resource: 'pods'},
];

/** Which cluster, namespace and knockdown the lab's reports are about. */
export function measuredOnOf(lab: Pick<Lab, 'target'>, config: Pick<Config, 'namespace'>): MeasuredOn {
	const {connection} = lab.target;
	return {context: connection.contextName, server: connection.server, namespace: config.namespace, knockdownVersion};
}

/** 130 when interrupted (cli.tsx makes it 143 after SIGTERM), 1 when the action failed or nothing recovered, else 0. */
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
