// `knockdown sweep`: every component of the namespace in turn, each one recovered and
// settled before the next, then the talk's table filled in with measurements.
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {Config, KillMode} from '../config/config.js';
import type {ClusterView} from '../experiment/cluster-view.js';
import {hasWorkloadObject, PlanError} from '../experiment/plan.js';
import type {ComponentRef} from '../model/component.js';
import {resultLine} from '../report/experiment-report.js';
import {sweepJson, sweepMarkdown, type SweepEntry} from '../report/sweep-report.js';
import {CommandError, type CommandIo} from './io.js';
import {exitCodeOf, measuredOnOf, openLab, startLabExperiment} from './lab.js';

/** A static pod or bare pod has no object to delete in mode workload: its pods are deleted instead. */
function modeFor(component: ComponentRef, mode: KillMode): {mode: KillMode; note?: string} {
	if (mode === 'workload' && !hasWorkloadObject(component)) {
		return {mode: 'pods', note: `${component.kind === 'StaticPod' ? 'static pod' : 'no workload object'}: its pods were deleted instead`};
	}

	return {mode};
}

function nodeCount(view: ClusterView): number {
	const nodes = new Set<string>();
	for (const pod of view.pods.values()) {
		if (pod.spec?.nodeName) {
			nodes.add(pod.spec.nodeName);
		}
	}

	return nodes.size;
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
	if (ms <= 0 || signal.aborted) {
		return;
	}

	await new Promise<void>(resolve => {
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}

		signal.addEventListener('abort', done, {once: true});
	});
}

export async function runSweep(config: Config, io: CommandIo): Promise<number> {
	const lab = await openLab(config, io);
	// The table goes to stdout (or --out); progress goes to stderr so a redirected table stays clean.
	const progress = config.out ? io.stdout : io.stderr;
	const startedAt = Date.now();
	const entries: SweepEntry[] = [];
	let exitCode = 0;
	try {
		const groups = lab.view.components();
		if (groups.length === 0) {
			throw new CommandError(`namespace ${config.namespace} has no pods: nothing to sweep`, 2);
		}

		const nodes = nodeCount(lab.view);
		progress.write(`knockdown sweep · context ${lab.target.connection.contextName} · namespace ${config.namespace} · ${groups.length} components · mode ${config.mode}\n`);
		for (const [index, group] of groups.entries()) {
			if (io.signal.aborted) {
				break;
			}

			const {component} = group;
			const {mode, note} = modeFor(component, config.mode);
			progress.write(`[${index + 1}/${groups.length}] ${component.key} (${group.pods.length} pod${group.pods.length === 1 ? '' : 's'}, mode ${mode})…\n`);
			let running;
			try {
				running = startLabExperiment(lab, config, io, component.key, mode);
			} catch (error) {
				if (error instanceof PlanError) {
					entries.push({component, podCount: group.pods.length, note: error.message});
					progress.write(`    skipped: ${error.message}\n`);
					continue;
				}

				throw error;
			}

			const record = await running.done;
			if (record.interrupted && record.measurement.t0 === undefined) {
				// Stopped before this component's delete was sent: it was not tested, so it has no row.
				exitCode = Math.max(exitCode, exitCodeOf(record));
				break;
			}

			entries.push({component, podCount: record.podCount, record, note});
			progress.write(`    ${resultLine(record)}\n`);
			// The worst outcome wins: 130 (interrupted) over 1 (failed or not recovered) over 0.
			exitCode = Math.max(exitCode, exitCodeOf(record));
			if (record.interrupted) {
				break;
			}

			if (record.measurement.ending?.reason === 'api-server-lost') {
				// Nothing more can be measured, and nothing more will be deleted, without it.
				const reason = record.measurement.ending.message;
				for (const rest of groups.slice(index + 1)) {
					entries.push({component: rest.component, podCount: rest.pods.length, note: `not tested: ${reason} during ${component.name}`});
				}

				progress.write(`    stopped: ${reason}\n`);
				break;
			}

			// The next component starts from a quiet cluster: one more settle time between experiments.
			if (index < groups.length - 1) {
				await pause(config.settleMs, io.signal);
			}
		}

		const report = sweepJson({namespace: config.namespace, mode: config.mode, startedAt, finishedAt: Date.now(), entries, nodeCount: nodes, measuredOn: measuredOnOf(lab, config)});
		const text = config.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : sweepMarkdown(report);
		if (config.out) {
			const file = path.resolve(io.cwd, config.out);
			try {
				await writeFile(file, text);
			} catch (error) {
				throw new CommandError(`cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`, 1);
			}

			progress.write(`report written to ${file}\n`);
		} else {
			io.stdout.write(text);
		}

		return exitCode;
	} finally {
		await lab.close();
	}
}
