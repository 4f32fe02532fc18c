// Fault injection: what RBAC refuses (list, watch, delete, exec). The screen says so within
// 2 s, kill reports it, and a refused probe is unknown — never an outage of the app.
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {waitForFrame} from '../helpers/frame.js';
import {startTestSim} from '../helpers/sim.js';
import {openExperimentScreen} from '../ui/experiment-screen.js';
import {killJson, startCommand, trueOutages, truthProbeFlags, truthSpeed, truthToleranceMs} from './helpers.js';

describe('exec forbidden (create:pods/exec): the DNS probe cannot run', () => {
	test('the screen shows DNS unknown, not failing, within 2 s of its first probe', async () => {
		const sim = await startTestSim({speed: 4, forbid: ['create:pods/exec']});
		const screen = openExperimentScreen(sim, {probeInterval: '200ms', probeTimeout: '2s'});
		try {
			await waitForFrame(screen.app, frame => /end-to-end\s+ok/.test(frame), 'the path probed', 20_000);
			const frame = await waitForFrame(screen.app, frame => /DNS\s+unknown/.test(frame) && frame.includes('exec not permitted'), 'DNS unknown: exec not permitted', 2000);
			assert.doesNotMatch(frame, /DNS\s+FAILING/);
		} finally {
			await screen.stop();
			await sim.stop();
		}
	});

	test('kill kube-dns: the outage measured end to end matches the truth, DNS has no window (unknown), and the simulator survives the refused execs', async () => {
		const sim = await startTestSim({speed: truthSpeed, forbid: ['create:pods/exec']});
		try {
			const result = await startCommand(sim, ['kill', 'kube-dns'], {json: true, ...truthProbeFlags}).done;
			const json = killJson(result);
			assert.equal(result.code, 0, result.io.err());
			assert.equal(json.verdict, 'service-impact');
			assert.deepEqual(json.outages.filter(outage => outage.layer === 'dns'), [], 'no DNS outage from probes that never ran');
			const truth = trueOutages(sim, json.t0, json.t0 + json.endedMs!);
			assert.equal(truth.length, 1);
			assert.ok(Math.abs(json.serviceOutageMs! - (truth[0].endMs! - truth[0].startMs)) <= truthToleranceMs, `measured ${json.serviceOutageMs} ms, true ${truth[0].endMs! - truth[0].startMs} ms`);
			const version = await fetch(`${sim.url}/version`);
			assert.equal(version.status, 200, 'the simulator still answers');
		} finally {
			await sim.stop();
		}
	});
});

describe('delete forbidden (delete:pods)', () => {
	test('kill: refused before anything is sent (the access check asks first), exit 2, nothing deleted, no outage', async () => {
		const sim = await startTestSim({speed: 4, forbid: ['delete:pods']});
		try {
			const result = await startCommand(sim, ['kill', 'kube-dns']).done;
			assert.equal(result.code, 2);
			assert.match(result.io.err(), /delete pods/);
			assert.equal(sim.deletes.length, 0, 'no DELETE sent');
			assert.ok(sim.cluster.store.list('pods', 'kube-system').every(pod => !pod.metadata.deletionTimestamp), 'nothing deleted');
			assert.doesNotMatch(result.io.out(), /service outage/);
		} finally {
			await sim.stop();
		}
	});
});

describe('list and watch of pods forbidden', () => {
	test('list forbidden: the screen says so within 2 s; kill refuses in one sentence, exit 2, nothing deleted', async () => {
		const sim = await startTestSim({speed: 4, forbid: ['list:pods']});
		const screen = openExperimentScreen(sim, {probeInterval: '200ms', probeTimeout: '2s'});
		try {
			await waitForFrame(screen.app, frame => /✗ failed: pods: pods is forbidden/.test(frame), 'failed: forbidden', 2000);
			const result = await startCommand(sim, ['kill', 'kube-dns']).done;
			assert.equal(result.code, 2);
			assert.equal(result.io.err().trim().split('\n').length, 1, result.io.err());
			assert.match(result.io.err(), /forbidden/);
			assert.ok(sim.cluster.store.list('pods', 'kube-system').every(pod => !pod.metadata.deletionTimestamp), 'nothing deleted');
		} finally {
			await screen.stop();
			await sim.stop();
		}
	});

	test('watch forbidden: the screen shows the list and says the watch is refused within 2 s', async () => {
		const sim = await startTestSim({speed: 4, forbid: ['watch:pods']});
		const screen = openExperimentScreen(sim, {probeInterval: '200ms', probeTimeout: '2s'});
		try {
			await waitForFrame(screen.app, frame => /14 pods · 9 components · ✗ failed: pods: .*forbidden/.test(frame), 'the pods listed, the watch refused', 2000);
		} finally {
			await screen.stop();
			await sim.stop();
		}
	});
});
