// `knockdown kill <component>`: one experiment without the screen. The command line is the
// explicit request: the component named there, in --namespace, and nothing else.
import type {Config} from '../config/config.js';
import {planFor} from '../experiment/engine.js';
import {PlanError, planQuestion} from '../experiment/plan.js';
import {confirm, refuseReadOnly} from './consent.js';
import {CommandError, type CommandIo} from './io.js';
import {runNodeKill} from './kill-node.js';
import {accessFor, exitCodeOf, openLab, refuseWithoutAccess} from './lab.js';
import {checkOutput, printsLive, printTimelineInOrder, writeExperimentReport} from './output.js';

export async function runKill(config: Config, io: CommandIo): Promise<number> {
	const arg = config.component;
	if (!arg) {
		throw new CommandError('kill needs a component: knockdown kill <component>', 2);
	}

	refuseReadOnly(config, 'kill');
	await checkOutput(config.out, io);
	// The kubelet, or a static pod stopped for real: a helper pod on the node (kill-node.ts).
	if (arg === 'kubelet' || config.mode === 'static') {
		return runNodeKill(config, io);
	}

	const lab = await openLab(config, io);
	try {
		let plan;
		try {
			// Planning throws before anything is sent, so a typo or an impossible mode costs nothing.
			plan = planFor(lab.view, {namespace: config.namespace, component: arg, mode: config.mode});
		} catch (error) {
			if (error instanceof PlanError) {
				throw new CommandError(error.message, 2);
			}

			throw error;
		}

		await refuseWithoutAccess(lab, config, accessFor(config.mode));
		await confirm(config, io, 'kill', planQuestion(plan, config.namespace, lab.target.connection.contextName));
		// Exactly the plan that was asked about: a pod that came since is not deleted unasked.
		const running = lab.startExperiment({component: arg, mode: config.mode, plan}, io.signal);
		if (printsLive(config)) {
			io.stdout.write(`knockdown kill ${running.plan.component.key} · context ${lab.target.connection.contextName} · namespace ${config.namespace} · probing ${config.probeTarget ? `service/${config.probeTarget.service}` : 'the guestbook'} in ${config.appNamespace} every ${config.probeIntervalMs} ms\n`);
		}

		const record = await printTimelineInOrder(running, config, io);
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

