// The engine, the probes and the simulated world together on one manual clock (the ports
// straight onto the world, test/helpers/sim-ports.ts): every delay is the middle of its
// range, so a run is the same on any machine under any load, and a measurement is held to
// the simulator's truth exactly as measurement.md states it — the true outage starts between
// the last good answer and the first failure, and ends after the last failure and by the
// first good answer after it. The HTTP path is against-sim.test.ts's.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {KillMode} from '../../source/config/config.js';
import {startClusterView} from '../../source/experiment/cluster-view.js';
import {startExperiment, type ExperimentRecord} from '../../source/experiment/engine.js';
import {outageWindows, verdictOf, type OutageWindow} from '../../source/model/measurement.js';
import {createMonitor} from '../../source/probes/monitor.js';
import type {SimCluster, TruthInterval} from '../../source/sim/cluster.js';
import {createCluster} from '../../source/sim/world/index.js';
import {manualClock} from '../../source/time/clock.js';
import {advanceUntil} from '../helpers/clock.js';
import {simDeleter, simPodSource, simProbeTransport} from '../helpers/sim-ports.js';

type Run = {record: ExperimentRecord; cluster: SimCluster; probeIntervalMs: number};

async function experiment(component: string, mode: KillMode, options: {timeoutMs?: number; hammerForMs?: number; probeIntervalMs?: number} = {}): Promise<Run> {
	const probeIntervalMs = options.probeIntervalMs ?? 100;
	const clock = manualClock();
	const cluster = createCluster({clock, random: () => 0.5});
	cluster.start();
	const {view, stop} = startClusterView(simPodSource(cluster, 'kube-system'), 'kube-system', clock);
	const monitor = createMonitor(simProbeTransport(cluster), {namespace: 'default', intervalMs: probeIntervalMs, timeoutMs: 2000, clock});
	try {
		await advanceUntil(clock, view.waitSynced(10_000), 10_000);
		monitor.start();
		const running = startExperiment({
			view,
			monitor,
			deleter: simDeleter(cluster, 'kube-system'),
			namespace: 'kube-system',
			component,
			mode,
			timeoutMs: options.timeoutMs ?? 15_000,
			settleMs: 300,
			tickMs: 100,
			warmupMs: 2000,
			hammerForMs: options.hammerForMs,
			clock,
		});
		// The experiment ends by its own time limit at the latest: no wall-clock deadline is needed.
		return {record: await advanceUntil(clock, running.done, 300_000), cluster, probeIntervalMs};
	} finally {
		monitor.stop();
		await stop();
		cluster.stop();
	}
}

function trueOutages({record, cluster}: Run): TruthInterval[] {
	const {t0, ending} = record.measurement;
	return cluster.truth().guestbook.filter(interval => interval.startMs < ending!.at && (interval.endMs ?? Number.POSITIVE_INFINITY) > t0!);
}

/** measurement.md: the true outage lies between a window's bounds. */
function assertBrackets(window: OutageWindow, truth: TruthInterval, probeIntervalMs: number): void {
	const bounds = `measured ${JSON.stringify(window)}, true ${JSON.stringify(truth)}`;
	assert.ok(window.lastOkBeforeAt! <= truth.startMs && truth.startMs <= window.firstFailAt, `starts between the last ok and the first failure: ${bounds}`);
	assert.ok(window.lastFailAt < truth.endMs! && truth.endMs! <= window.firstOkAfterAt!, `ends after the last failure, by the first ok: ${bounds}`);
	assert.ok(window.maxMs! - window.minMs <= 2 * probeIntervalMs, `bounds a probe interval either side: ${bounds}`);
}

test('every kube-dns pod deleted: one outage window, and the true outage lies within its bounds', async () => {
	const run = await experiment('kube-dns', 'pods');
	const state = run.record.measurement;
	assert.equal(verdictOf(state).verdict, 'service-impact', JSON.stringify(verdictOf(state)));
	const windows = outageWindows(state, 'end-to-end');
	assert.equal(windows.length, 1, 'one outage window');
	const truth = trueOutages(run);
	assert.equal(truth.length, 1, `one true outage: ${JSON.stringify(truth)}`);
	assertBrackets(windows[0]!, truth[0]!, run.probeIntervalMs);
	assert.equal(state.victims.length, 2);
	assert.equal(state.replacements.filter(replacement => replacement.readyAt !== undefined).length, 2);
	assert.equal(state.recoveredAt, Math.max(...state.replacements.map(r => r.readyAt!)), 'recovered when the last replacement was Ready');
	assert.equal(state.ending?.reason, 'settled');
});

test('one fluentd pod deleted: no service impact, a replacement under a new name', async () => {
	const {record} = await experiment('fluentd-gcp', 'pod');
	const state = record.measurement;
	assert.deepEqual(verdictOf(state), {verdict: 'no-service-impact'});
	assert.equal(state.victims.length, 1);
	assert.equal(state.replacements.length, 1);
	assert.ok(state.replacements[0]!.readyAt !== undefined);
	assert.notEqual(state.replacements[0]!.name, state.victims[0]!.name, 'a DaemonSet pod comes back under a new name');
});

test('a kube-proxy mirror pod deleted: no service impact, and a replacement with the same name', async () => {
	const {record} = await experiment('kube-proxy', 'pod');
	const state = record.measurement;
	assert.equal(record.component.kind, 'StaticPod');
	assert.deepEqual(verdictOf(state), {verdict: 'no-service-impact'});
	assert.equal(state.replacements.length, 1);
	assert.equal(state.replacements[0]!.name, state.victims[0]!.name);
	assert.equal(state.replacements[0]!.sameNameAsVictim, true);
	assert.notEqual(state.replacements[0]!.uid, state.victims[0]!.uid);
});

test('the kube-dns Deployment deleted: the outage ends only after the addon manager restores it', async () => {
	// The addon manager looks every 60 s (timing.ts): the limit is the simulated cluster's time, as on a
	// real one, and over that minute a probe a second (the default) is enough.
	const run = await experiment('deployment/kube-dns', 'workload', {timeoutMs: 120_000, probeIntervalMs: 1000});
	const state = run.record.measurement;
	assert.equal(verdictOf(state).verdict, 'service-impact', JSON.stringify(verdictOf(state)));
	assert.ok(state.workloadGoneAt !== undefined, 'the Deployment was seen gone');
	assert.ok(state.workloadBackAt !== undefined, 'the addon manager recreated it');
	const windows = outageWindows(state, 'end-to-end');
	assert.equal(windows.length, 1);
	assertBrackets(windows[0]!, trueOutages(run)[0]!, run.probeIntervalMs);
	assert.ok(windows[0]!.firstOkAfterAt! > state.workloadBackAt!, 'the path came back after the Deployment did');
	assert.ok(state.recoveredAt! > state.workloadBackAt!);
});

test('hammer: kube-dns pods deleted again each time a replacement is Ready, so the outage lasts until the hammer stops', async () => {
	// Replacements are Ready about 6 s after a delete: 15 s of hammering deletes them again at least once.
	const hammerForMs = 15_000;
	const run = await experiment('kube-dns', 'pods', {hammerForMs, timeoutMs: 60_000, probeIntervalMs: 250});
	const state = run.record.measurement;
	assert.ok((state.repeats ?? 0) >= 1, `deleted again ${state.repeats} times`);
	assert.ok(state.victims.length > 2, 'replacements became victims');
	assert.ok(state.recoveredAt! > state.t0! + hammerForMs, 'recovered only after the hammering');
	const windows = outageWindows(state, 'end-to-end');
	const truth = trueOutages(run);
	assert.equal(windows.length, truth.length, `${windows.length} windows for ${truth.length} true outages`);
	for (const [index, window] of windows.entries()) {
		assertBrackets(window, truth[index]!, run.probeIntervalMs);
	}
});
