// The engine against a served simulator at speed 20, on the wall clock: smoke tests of the
// whole HTTP path (client-node's watches, deletes, exec and the service proxy) that assert
// what does not depend on how loaded the machine is. The measurement held exactly to the
// simulator's truth runs on the manual clock: engine-on-world.test.ts.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {KillMode} from '../../source/config/config.js';
import {startClusterView} from '../../source/experiment/cluster-view.js';
import {runExperiment, type ExperimentRecord} from '../../source/experiment/engine.js';
import {kubeDeleter} from '../../source/kube/actions.js';
import {connectionFromString} from '../../source/kube/connect.js';
import {createKubeProbeTransport} from '../../source/kube/probe-transport.js';
import {watchPodSource} from '../../source/kube/watch-pod-source.js';
import {outageWindows, verdictOf} from '../../source/model/measurement.js';
import {createMonitor} from '../../source/probes/monitor.js';
import type {TruthInterval} from '../../source/sim/cluster.js';
import type {SimHandle} from '../../source/sim/sim-handle.js';
import {startTestSim} from '../helpers/sim.js';

const probeIntervalMs = 100;

// client-node 1.x refuses plain http unless the cluster says insecure-skip-tls-verify.
function reachable(kubeconfig: string): string {
	return kubeconfig.includes('insecure-skip-tls-verify') ? kubeconfig : kubeconfig.replace(/^(\s+)server: (.*)$/m, '$1server: $2\n$1insecure-skip-tls-verify: true');
}

async function experiment(sim: SimHandle, component: string, mode: KillMode, timeoutMs = 15_000): Promise<ExperimentRecord> {
	const connection = connectionFromString(reachable(sim.kubeconfig));
	const {view, stop} = startClusterView(watchPodSource(connection, 'kube-system'), 'kube-system');
	// A 2 s probe timeout (the default), not 500 ms: the simulator and the probes share this
	// process, and on a loaded machine a healthy probe can take a few hundred ms; one past the
	// timeout would be a spurious failure (a second window, or impact where there is none). The
	// simulator's own slowest answer (a resolver waiting out dead servers: 500 ms at speed 20) is
	// a failure either way, so the measured windows do not depend on the timeout.
	const monitor = createMonitor(createKubeProbeTransport(connection.kubeConfig), {namespace: 'default', intervalMs: probeIntervalMs, timeoutMs: 2000});
	try {
		await view.waitSynced(10_000);
		monitor.start();
		return await runExperiment({
			view,
			monitor,
			deleter: kubeDeleter(connection, 'kube-system'),
			namespace: 'kube-system',
			component,
			mode,
			timeoutMs,
			settleMs: 300,
			tickMs: 20,
			warmupMs: 2000,
		});
	} finally {
		monitor.stop();
		await stop();
	}
}

function overlapping(intervals: TruthInterval[], from: number, to: number): TruthInterval[] {
	return intervals.filter(interval => interval.startMs < to && (interval.endMs ?? Number.POSITIVE_INFINITY) > from);
}

test('every kube-dns pod deleted: one outage, measured over the HTTP path', async () => {
	const sim = await startTestSim();
	try {
		const record = await experiment(sim, 'kube-dns', 'pods');
		const state = record.measurement;
		assert.equal(verdictOf(state).verdict, 'service-impact', JSON.stringify(verdictOf(state)));
		// How many windows it is measured as depends on the load (a probe of the recovered path
		// that took longer than its timeout is one more); the exact measurement is engine-on-world's.
		assert.ok(outageWindows(state, 'end-to-end').length >= 1, 'an outage window');
		const truth = overlapping(sim.cluster.truth().guestbook, state.t0!, state.ending!.at);
		assert.equal(truth.length, 1, `one true outage: ${JSON.stringify(truth)}`);
		assert.equal(state.victims.length, 2);
		assert.ok(state.replacements.filter(replacement => replacement.readyAt !== undefined).length >= 2);
		assert.ok(state.recoveredAt !== undefined && state.recoveredAt >= Math.min(...state.replacements.map(r => r.readyAt ?? Number.POSITIVE_INFINITY)));
	} finally {
		await sim.stop();
	}
});

test('a kube-proxy mirror pod deleted: no service impact, and a replacement with the same name', async () => {
	const sim = await startTestSim();
	try {
		const record = await experiment(sim, 'kube-proxy', 'pod');
		const state = record.measurement;
		assert.equal(record.component.kind, 'StaticPod');
		assert.deepEqual(verdictOf(state), {verdict: 'no-service-impact'});
		assert.equal(state.replacements.length, 1);
		assert.equal(state.replacements[0].name, state.victims[0].name);
		assert.equal(state.replacements[0].sameNameAsVictim, true);
		assert.notEqual(state.replacements[0].uid, state.victims[0].uid);
	} finally {
		await sim.stop();
	}
});

test('the kube-dns Deployment deleted: the outage ends only after the addon manager restores it', async () => {
	const sim = await startTestSim();
	try {
		const record = await experiment(sim, 'deployment/kube-dns', 'workload', 30_000);
		const state = record.measurement;
		assert.equal(verdictOf(state).verdict, 'service-impact', JSON.stringify(verdictOf(state)));
		assert.ok(state.workloadGoneAt !== undefined, 'the Deployment was seen gone');
		assert.ok(state.workloadBackAt !== undefined, 'the addon manager recreated it');
		const windows = outageWindows(state, 'end-to-end');
		assert.ok(windows.length >= 1);
		const last = windows.at(-1)!;
		assert.ok(last.firstOkAfterAt! > state.workloadBackAt!, 'the path came back after the Deployment did');
		assert.ok(state.recoveredAt! > state.workloadBackAt!);
	} finally {
		await sim.stop();
	}
});
