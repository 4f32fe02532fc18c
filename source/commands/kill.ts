// `knockdown kill <component>`: one experiment without the screen. The command line is the
// explicit request: the component named there, in --namespace, and nothing else.
import type {Config} from '../config/config.js';
import {PlanError} from '../experiment/plan.js';
import {formatTimelineEntry} from '../report/experiment-report.js';
import {CommandError, type CommandIo} from './io.js';
import {printsLive, writeExperimentReport} from './output.js';
import {runNodeKill} from './kill-node.js';
import {exitCodeOf, openLab, startLabExperiment} from './lab.js';

export async function runKill(config: Config, io: CommandIo): Promise<number> {
	const arg = config.component;
	if (!arg) {
		throw new CommandError('kill needs a component: knockdown kill <component>', 2);
	}

	// The kubelet, or a static pod stopped for real: a helper pod on the node (kill-node.ts).
	if (arg === 'kubelet' || config.mode === 'static') {
		return runNodeKill(config, io);
	}

	const lab = await openLab(config, io);
	try {
		let running;
		try {
			// Planning throws before anything is sent, so a typo or an impossible mode costs nothing.
			running = startLabExperiment(lab, config, io, arg, config.mode);
		} catch (error) {
			if (error instanceof PlanError) {
				throw new CommandError(error.message, 2);
			}

			throw error;
		}

		if (printsLive(config)) {
			io.stdout.write(`knockdown kill ${running.plan.component.key} · context ${lab.target.connection.contextName} · namespace ${config.namespace} · probing ${config.probeTarget ? `service/${config.probeTarget.service}` : 'the guestbook'} in ${config.appNamespace} every ${config.probeIntervalMs} ms\n`);
			running.onEntry((entry, state) => {
				io.stdout.write(formatTimelineEntry(state, entry) + '\n');
			});
		}

		const record = await running.done;
		if (record.interrupted && record.measurement.t0 === undefined) {
			io.stderr.write('knockdown: interrupted before anything was deleted\n');
			return exitCodeOf(record);
		}

		await writeExperimentReport(record, config, io);

		const {ending} = record.measurement;
		if (ending?.reason === 'action-failed') {
			io.stderr.write(`knockdown: ${ending.message}\n`);
		}

		return exitCodeOf(record);
	} finally {
		await lab.close();
	}
}
