// `knockdown kill kubelet --node NODE [--for 60s]` and `knockdown kill <static pod> --mode
// static [--node NODE] [--for 60s]`: a node experiment without the screen. The command line
// is the explicit request: that node, that duration, nothing else.
import type {Config} from '../config/config.js';
import {findComponent, PlanError} from '../experiment/plan.js';
import type {NodeStop} from '../experiment/helper-pod.js';
import {nodeStopOn} from '../experiment/helper-pod.js';
import type {RunningNodeExperiment} from '../experiment/node-experiment.js';
import {CommandError, type CommandIo} from './io.js';
import {confirm} from './consent.js';
import {exitCodeOf, nodeExperimentAccess, openLab, refuseWithoutAccess, type Lab} from './lab.js';
import {printsLive, printTimelineInOrder, writeExperimentReport} from './output.js';

/** What to stop, from the flags; a static pod's node defaults to the first node it runs on (said on stdout). */
export function nodeStopFor(config: Config, lab: Lab): {stop: NodeStop; chosen?: string} {
	const flags = config.nodeStop;
	if (config.component === 'kubelet') {
		return {stop: nodeStopOn({kind: 'kubelet'}, flags.node!, flags.forMs, flags)};
	}

	const group = findComponent(lab.view.components(), config.component ?? '', config.namespace);
	if (group.component.kind !== 'StaticPod') {
		throw new PlanError(`${group.component.name} is a ${group.component.kind}, not a static pod: --mode static moves a static pod's manifest (try kill kubelet --node NODE for a node)`);
	}

	const nodes = [...new Set(group.pods.map(pod => pod.spec?.nodeName).filter((node): node is string => Boolean(node)))].sort();
	const node = flags.node ?? nodes[0];
	if (!node) {
		throw new PlanError(`${group.component.name} has no pod on a node`);
	}

	return {stop: nodeStopOn({kind: 'static-pod', component: group.component.name}, node, flags.forMs, flags), chosen: flags.node ? undefined : node};
}

/** The question before a node is touched: which node, what it stops, for how long, what runs there. */
function nodeStopQuestion(stop: NodeStop, lab: Lab, config: Config): string {
	const pods = [...lab.view.pods.values()].filter(pod => pod.spec?.nodeName === stop.node && !pod.metadata?.deletionTimestamp).length;
	const what = stop.kind === 'kubelet' ? `stop the kubelet (unit ${stop.unit})` : `move the static pod ${stop.component}'s manifest out`;
	return `${what} on node ${stop.node} for ${Math.round(stop.forMs / 1000)} s (${pods} pod${pods === 1 ? '' : 's'} of ${config.namespace} run there), through a privileged helper pod in ${config.namespace} on context ${lab.target.connection.contextName}? The node undoes it by itself after that time.`;
}

/** Called by runKill after its --read-only refusal and output check. */
export async function runNodeKill(config: Config, io: CommandIo): Promise<number> {
	const lab = await openLab(config, io);
	try {
		let running: RunningNodeExperiment;
		let chosen: string | undefined;
		try {
			const what = nodeStopFor(config, lab);
			chosen = what.chosen;
			await refuseWithoutAccess(lab, config, nodeExperimentAccess);
			await confirm(config, io, 'kill', nodeStopQuestion(what.stop, lab, config));
			running = await lab.startNodeExperiment(what.stop, {signal: io.signal});
		} catch (error) {
			if (error instanceof CommandError) {
				throw error;
			}

			if (error instanceof PlanError) {
				throw new CommandError(error.message, 2);
			}

			throw new CommandError(error instanceof Error ? error.message : String(error), 1);
		}

		if (printsLive(config)) {
			io.stdout.write(`knockdown kill ${running.plan.component.key} · context ${lab.target.connection.contextName} · helper pod in ${config.namespace} (${config.nodeStop.helperImage}) · for ${Math.round(config.nodeStop.forMs / 1000)} s${chosen ? ` · node ${chosen} (the first it runs on; --node picks another)` : ''}\n`);
		}

		const record = await printTimelineInOrder(running, config, io);
		const notes = await running.cleanup;
		if (record.interrupted && record.measurement.t0 === undefined) {
			io.stderr.write('knockdown: interrupted before anything was stopped\n');
			return exitCodeOf(record);
		}

		await writeExperimentReport(record, config, io);
		const {ending} = record.measurement;
		if (ending?.reason === 'action-failed') {
			io.stderr.write(`knockdown: ${ending.message}\n`);
		}

		for (const note of notes) {
			io.stderr.write(`knockdown: ${note}\n`);
		}

		return exitCodeOf(record);
	} finally {
		await lab.close();
	}
}
