// `knockdown sweep`: every component of the namespace in turn, each one recovered and
// settled before the next, then the talk's table filled in with measurements.
import type {Config, KillMode} from '../config/config.js';
import type {ClusterView} from '../experiment/cluster-view.js';
import type {ExperimentRecord} from '../experiment/engine.js';
import {hasWorkloadObject, PlanError} from '../experiment/plan.js';
import type {ComponentRef} from '../model/component.js';
import {resultLine} from '../report/experiment-report.js';
import {failureText} from '../report/measurement-text.js';
import {renderSweep} from '../report/render.js';
import {sweepJson, type SweepEntry} from '../report/sweep-report.js';
import {confirm, refuseReadOnly} from './consent.js';
import {CommandError, type CommandIo} from './io.js';
import {accessFor, exitCodeOf, openLab, refuseWithoutAccess} from './lab.js';
import {checkOutput, writeOutput} from './output.js';
import {sweepNodeRows} from './sweep-node.js';

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

async function pause(ms: number, {signal, clock}: CommandIo): Promise<void> {
	if (ms <= 0 || signal.aborted) {
		return;
	}

	await new Promise<void>(resolve => {
		const timer = clock.after(ms, done);
		function done() {
			timer.cancel();
			signal.removeEventListener('abort', done);
			resolve();
		}

		signal.addEventListener('abort', done, {once: true});
	});
}

/** A 403 on one component's delete will be a 403 on the next: the sweep stops there. */
function isForbidden(record: ExperimentRecord): boolean {
	const {ending} = record.measurement;
	return ending?.reason === 'action-failed' && ending.message.startsWith('forbidden');
}

export async function runSweep(config: Config, io: CommandIo): Promise<number> {
	refuseReadOnly(config, 'sweep');
	await checkOutput(config.out, io);

	const lab = await openLab(config, io);
	// The table goes to stdout (or --out); progress goes to stderr so a redirected table stays clean.
	const progress = config.out ? io.stdout : io.stderr;
	const startedAt = io.clock.now();
	const entries: SweepEntry[] = [];
	let exitCode = 0;
	let stoppedBecause: string | undefined;
	try {
		const groups = lab.view.components();
		if (groups.length === 0) {
			throw new CommandError(`namespace ${config.namespace} has no pods: nothing to sweep`, 2);
		}

		const nodes = nodeCount(lab.view);
		// Mode workload deletes a static pod's pods instead: it needs delete pods as well.
		await refuseWithoutAccess(lab, config, config.mode === 'workload' ? [...accessFor('workload'), ...accessFor('pods').filter(check => check.verb === 'delete')] : accessFor(config.mode));
		const podTotal = groups.reduce((sum, group) => sum + group.pods.length, 0);
		await confirm(config, io, 'sweep', `delete every component of namespace ${config.namespace} in turn (${groups.length} components, ${podTotal} pods, mode ${config.mode}) on context ${lab.target.connection.contextName}, each recovered before the next, then stop the kubelet of one node for ${Math.round(config.nodeStop.forMs / 1000)} s and kube-proxy for up to 20 s through a privileged helper pod?`);
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
				running = lab.startExperiment({component: component.key, mode}, io.signal);
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
				const reason = failureText(record.measurement.ending, record.measurement);
				for (const rest of groups.slice(index + 1)) {
					entries.push({component: rest.component, podCount: rest.pods.length, note: `not tested: ${reason} during ${component.name}`});
				}

				progress.write(`    stopped: ${reason}\n`);
				stoppedBecause = `sweep stopped: ${reason} during ${component.name}`;
				break;
			}

			if (isForbidden(record) && index < groups.length - 1) {
				const stop = 'the sweep stopped here: the API server forbids the delete, so the components after it were not tried';
				entries.at(-1)!.note = [note, stop].filter(Boolean).join('; ');
				stoppedBecause = `sweep stopped after ${component.name}, whose delete was forbidden: ${groups.length - 1 - index} components not tried`;
				break;
			}

			// The next component starts from a quiet cluster: one more settle time between experiments.
			if (index < groups.length - 1) {
				await pause(config.settleMs, io);
			}
		}

		// The talk's last rows: the kubelet stopped on a node, kube-proxy stopped for real (sweep-node.ts).
		if (!io.signal.aborted && exitCode !== 130 && !stoppedBecause) {
			await pause(config.settleMs, io);
			const nodeRows = await sweepNodeRows(lab, config, io, progress);
			entries.push(...nodeRows.entries);
			if (nodeRows.interrupted) {
				exitCode = Math.max(exitCode, 130);
			}

			for (const entry of nodeRows.entries) {
				exitCode = Math.max(exitCode, entry.record ? exitCodeOf(entry.record) : 0);
			}
		}

		const report = sweepJson({namespace: config.namespace, mode: config.mode, startedAt, finishedAt: io.clock.now(), entries, nodeCount: nodes, measuredOn: lab.measuredOn});
		const file = await writeOutput(config.out, io, renderSweep(report, config.format));
		if (file) {
			progress.write(`report written to ${file}\n`);
		}

		if (stoppedBecause) {
			io.stderr.write(`knockdown: ${stoppedBecause}\n`);
		}

		return exitCode;
	} finally {
		await lab.close();
	}
}
