// `knockdown kill <component>`: one experiment without the screen. The command line is the
// explicit request: the component named there, in --namespace, and nothing else.
import type {Config} from '../config/config.js';
import {startClusterView, type ClusterView} from '../experiment/cluster-view.js';
import {startExperiment, type ExperimentRecord} from '../experiment/engine.js';
import {findComponent, PlanError} from '../experiment/plan.js';
import {kubeDeleter, type Deleter} from '../kube/actions.js';
import {createKubeProbeTransport} from '../kube/probe-transport.js';
import {watchPodSource} from '../kube/watch-pod-source.js';
import {verdictOf} from '../model/measurement.js';
import {createMonitor} from '../probes/monitor.js';
import type {HealthMonitor} from '../probes/types.js';
import {experimentJson, formatTimelineEntry, resultLine} from '../report/experiment-report.js';
import {CommandError, type CommandIo} from './io.js';
import {openTarget, type Target} from './target.js';

/** Everything an experiment needs, opened once (a sweep runs many experiments on it). */
export type Lab = {
	target: Target;
	view: ClusterView;
	deleter: Deleter;
	monitor: HealthMonitor;
	/** Stop the probes, the watches and (with --demo) the simulator. */
	close(): Promise<void>;
};

export async function openLab(config: Config, io: CommandIo): Promise<Lab> {
	const target = await openTarget(config, io);
	const {view, stop} = startClusterView(watchPodSource(target.connection, config.namespace), config.namespace);
	const monitor = createMonitor(createKubeProbeTransport(target.connection.kubeConfig), {
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
		throw new CommandError(`${target.connection.server}: ${error instanceof Error ? error.message : String(error)}`, 1);
	}

	monitor.start();
	return {target, view, deleter: kubeDeleter(target.connection, config.namespace), monitor, close};
}

export function exitCodeOf(record: ExperimentRecord): number {
	if (record.interrupted) {
		return 130;
	}

	if (record.measurement.ending?.reason === 'action-failed') {
		return 1;
	}

	return verdictOf(record.measurement).verdict === 'not-recovered' ? 1 : 0;
}

export async function runKill(config: Config, io: CommandIo): Promise<number> {
	const arg = config.component;
	if (!arg) {
		throw new CommandError('kill needs a component: knockdown kill <component>', 2);
	}

	const lab = await openLab(config, io);
	try {
		// Resolve the name before anything else, so a typo costs nothing.
		try {
			findComponent(lab.view.components(), arg, config.namespace);
		} catch (error) {
			if (error instanceof PlanError) {
				throw new CommandError(error.message, 2);
			}

			throw error;
		}

		let running;
		try {
			running = startExperiment({
				view: lab.view,
				deleter: lab.deleter,
				monitor: lab.monitor,
				namespace: config.namespace,
				component: arg,
				mode: config.mode,
				timeoutMs: config.timeoutMs,
				settleMs: config.settleMs,
				warmupMs: Math.max(3000, config.probeTimeoutMs + config.probeIntervalMs * 2),
				signal: io.signal,
			});
		} catch (error) {
			if (error instanceof PlanError) {
				throw new CommandError(error.message, 2);
			}

			throw error;
		}

		if (!config.json) {
			io.stdout.write(`knockdown kill ${running.plan.component.key} · context ${lab.target.connection.contextName} · namespace ${config.namespace} · probing ${config.probeTarget ? `service/${config.probeTarget.service}` : 'the guestbook'} in ${config.appNamespace} every ${config.probeIntervalMs} ms\n`);
			running.onEntry((entry, state) => {
				io.stdout.write(formatTimelineEntry(state, entry) + '\n');
			});
		}

		const record = await running.done;
		if (config.json) {
			io.stdout.write(JSON.stringify(experimentJson(record), null, 2) + '\n');
		} else {
			io.stdout.write(`\n${resultLine(record)}\n`);
		}

		const {ending} = record.measurement;
		if (ending?.reason === 'action-failed') {
			io.stderr.write(`knockdown: ${ending.message}\n`);
		}

		return exitCodeOf(record);
	} finally {
		await lab.close();
	}
}
