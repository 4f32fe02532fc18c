// The fault-injection suite's tools: run `kill` / `sweep` as a person would (the command,
// its flags, a kubeconfig for the simulator), wait for the simulator to have seen the
// delete before injecting a fault, and hold a measurement against the simulator's truth.
import {runCommand} from '../../source/commands/run.js';
import {buildConfig, type RawFlags} from '../../source/config/config.js';
import type {ExperimentJson} from '../../source/report/experiment-report.js';
import type {TruthInterval} from '../../source/sim/cluster.js';
import type {SimHandle} from '../../source/sim/sim-handle.js';
import {captureIo, kubeconfigFile, type CapturedIo} from '../helpers/command-io.js';
import {eventually} from '../helpers/sim.js';

/** Probing every 200 ms with the default 2 s timeout (a loaded machine must not fail healthy probes). */
export const probeFlags: RawFlags = {probeInterval: '200ms', probeTimeout: '2s', settle: '1s', yes: true};

export type CommandRun = {code: number; io: CapturedIo};

/** Start a command against the simulator; `done` resolves with its exit code. */
export function startCommand(sim: SimHandle, argv: string[], flags: RawFlags = {}): {io: CapturedIo; done: Promise<CommandRun>} {
	const io = captureIo();
	const config = buildConfig(argv, {...probeFlags, kubeconfig: kubeconfigFile(sim.kubeconfig), ...flags});
	return {io, done: runCommand(config, io).then(code => ({code, io}))};
}

/** Resolves once the simulator holds a terminating pod of kube-system (the experiment's delete arrived). */
export async function deleteArrived(sim: SimHandle): Promise<void> {
	await eventually(() => sim.cluster.store.list('pods', 'kube-system').some(pod => pod.metadata.deletionTimestamp), 'the delete at the simulator', 30_000, 10);
}

export function killJson(run: CommandRun): ExperimentJson {
	try {
		return JSON.parse(run.io.out()) as ExperimentJson;
	} catch {
		throw new Error(`kill printed no JSON (exit ${run.code}); stderr: ${run.io.err()}; stdout: ${run.io.out()}`);
	}
}

/** The simulator's true guestbook outages that overlap [fromMs, toMs] (epoch ms). */
export function trueOutages(sim: SimHandle, fromMs: number, toMs: number): TruthInterval[] {
	return sim.cluster.truth().guestbook.filter(interval => interval.startMs < toMs && (interval.endMs ?? Number.POSITIVE_INFINITY) > fromMs);
}


/**
 * measurement.md: against the simulator a measured outage is within one probe interval + 100 ms
 * of the truth. The runs held to it use speed 20, as test/experiment/against-sim.test.ts does:
 * there a lookup against dead DNS servers waits 0.5 s, less than the probe timeout; at lower
 * speeds it outlasts the timeout, and slots not sent behind a timed-out probe take its failure.
 */
export const truthSpeed = 20;
export const truthProbeFlags: RawFlags = {probeInterval: '100ms'};
export const truthToleranceMs = 100 + 100;
