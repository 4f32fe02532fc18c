// `knockdown kill <component>`: one experiment without the screen. The command line is the
// explicit request: the component named there, in --namespace, and nothing else.
import type {Config} from '../config/config.js';
import {PlanError} from '../experiment/plan.js';
import type {ExperimentRecord, RunningExperiment} from '../experiment/engine.js';
import {experimentJson, formatTimelineEntry, resultLine} from '../report/experiment-report.js';
import {OrderedTimeline} from '../report/ordered-timeline.js';
import {CommandError, type CommandIo} from './io.js';
import {exitCodeOf, openLab, startLabExperiment} from './lab.js';

export async function runKill(config: Config, io: CommandIo): Promise<number> {
	const arg = config.component;
	if (!arg) {
		throw new CommandError('kill needs a component: knockdown kill <component>', 2);
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

		if (!config.json) {
			io.stdout.write(`knockdown kill ${running.plan.component.key} · context ${lab.target.connection.contextName} · namespace ${config.namespace} · probing ${config.probeTarget ? `service/${config.probeTarget.service}` : 'the guestbook'} in ${config.appNamespace} every ${config.probeIntervalMs} ms\n`);
		}

		const record = await printTimelineInOrder(running, config, io);
		if (record.interrupted && record.measurement.t0 === undefined) {
			io.stderr.write('knockdown: interrupted before anything was deleted\n');
			return exitCodeOf(record);
		}

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

/**
 * The timeline as it comes, in time order (report/ordered-timeline.ts): a line waits until
 * nothing stamped earlier can still arrive — a probe timeout plus the API server's liveness
 * check (1 s) and half a second to spare — so the live output runs that far behind.
 */
async function printTimelineInOrder(running: RunningExperiment, config: Config, io: CommandIo): Promise<ExperimentRecord> {
	if (config.json) {
		return running.done;
	}

	const timeline = new OrderedTimeline(config.probeTimeoutMs + 1500);
	const print = (all: boolean) => {
		const state = running.state();
		for (const {entry, late} of timeline.take(Date.now(), all)) {
			io.stdout.write(formatTimelineEntry(state, entry) + (late ? '  (known late)' : '') + '\n');
		}
	};

	running.onEntry(entry => timeline.add(entry));
	const timer = setInterval(() => print(false), 200);
	try {
		return await running.done;
	} finally {
		clearInterval(timer);
		print(true);
	}
}
