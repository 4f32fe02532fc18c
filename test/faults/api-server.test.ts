// Fault injection against the simulator: the API server killed, hung (freeze), restarted with
// a new history, and 410 storms. For each: what the screen says within 2 s, what `kill` and
// `sweep` report, and that no outage is attributed to the app path that it did not have
// (held against the simulator's truth).
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {apiServerGraceMs} from '../../source/model/measurement.js';
import {lineWith, waitForFrame} from '../helpers/frame.js';
import {eventually, startTestSim} from '../helpers/sim.js';
import {openExperimentScreen} from '../ui/experiment-screen.js';
import {deleteArrived, killJson, startCommand, trueOutages, truthProbeFlags, truthSpeed, truthToleranceMs} from './helpers.js';

const live = (frame: string) => /14 pods · 9 components · ● live/.test(frame);

describe('the API server hangs (freeze: connections open, nothing answered)', () => {
	test('the screen says so within 2 s, the probes go UNKNOWN (not DOWN), and it is live again after thaw', async () => {
		const sim = await startTestSim({speed: 4});
		const screen = openExperimentScreen(sim, {probeInterval: '200ms', probeTimeout: '2s'});
		try {
			await waitForFrame(screen.app, frame => live(frame) && /App health · guestbook[\s\S]*\bUP\b/.test(frame), 'live and UP', 20_000);
			sim.faults.freeze();
			const frozen = await waitForFrame(screen.app, frame => frame.includes('✗ API server not answering'), 'the header saying so', 2000);
			assert.match(lineWith(frozen, 'API server not answering')!, /ns kube-system · 14 pods · 9 components · ✗ API server not answering for \d s/);
			const unknown = await waitForFrame(screen.app, frame => /\bUNKNOWN\s+API server not answering/.test(frame), 'the path UNKNOWN, because of the API server', 8000);
			assert.doesNotMatch(unknown, /\bDOWN\b/);
			assert.doesNotMatch(unknown, /FAILING/);
			sim.faults.thaw();
			await waitForFrame(screen.app, frame => live(frame) && /App health · guestbook[\s\S]*\bUP\b/.test(frame), 'live and UP again', 10_000);
		} finally {
			await screen.stop();
			await sim.stop();
		}
	});

	test('kill: hung during the experiment and thawed within the grace period, the measurement goes on; no outage the app did not have', async () => {
		const sim = await startTestSim({speed: 4});
		try {
			const run = startCommand(sim, ['kill', 'fluentd-gcp-v3.2.0'], {mode: 'pod', json: true});
			await deleteArrived(sim);
			sim.faults.freeze();
			await new Promise(resolve => setTimeout(resolve, 4000));
			sim.faults.thaw();
			const result = await run.done;
			const json = killJson(result);
			assert.equal(result.code, 0, result.io.err());
			assert.equal(json.ending, 'settled');
			assert.ok(json.timeline.some(entry => entry.text.startsWith('lost the API server: no answer to GET /version')), 'the loss is in the timeline');
			assert.ok(json.timeline.some(entry => /^API server back after \d+\.\d s: measuring again$/.test(entry.text)), 'and the return');
			assert.deepEqual(json.outages, [], JSON.stringify(json.outages));
			assert.deepEqual(trueOutages(sim, json.t0, json.t0 + (json.endedMs ?? 0)), [], 'the simulator agrees: the path never broke');
			assert.notEqual(json.verdict, 'service-impact');
		} finally {
			await sim.stop();
		}
	});

	test('sweep: hung for good, the experiment ends unknown after the grace period and the sweep stops, deleting nothing more', async () => {
		const sim = await startTestSim({speed: 4});
		try {
			const run = startCommand(sim, ['sweep'], {mode: 'pod', format: 'json'});
			await deleteArrived(sim);
			sim.faults.freeze();
			const deletedBefore = sim.cluster.store.list('pods', 'kube-system').filter(pod => pod.metadata.deletionTimestamp).length;
			const result = await run.done;
			sim.faults.thaw();
			const report = JSON.parse(result.io.out()) as {rows: Array<{name: string; verdict: string | null; note: string | null; experiment: {verdictReason: string | null; outages: unknown[]} | null}>};
			const measured = report.rows.filter(row => row.experiment);
			assert.equal(measured.length, 1, 'one experiment, then the sweep stopped');
			assert.equal(measured[0].verdict, 'unknown');
			assert.match(measured[0].experiment!.verdictReason!, /^lost the API server at \+\d+\.\d s \(no answer to GET \/version within 1 s\)$/);
			assert.deepEqual(measured[0].experiment!.outages, []);
			const untested = report.rows.filter(row => row.note?.startsWith('not tested: lost the API server'));
			assert.ok(untested.length >= 7, `${untested.length} components marked not tested`);
			assert.ok(deletedBefore <= 1);
			assert.equal(result.code, 1);
		} finally {
			await sim.stop();
		}
	});
});

describe('the API server killed (connections refused)', () => {
	test('the screen says it is reconnecting within 2 s, and is live again when it is back', async () => {
		const sim = await startTestSim({speed: 4});
		const screen = openExperimentScreen(sim, {probeInterval: '200ms', probeTimeout: '2s'});
		try {
			await waitForFrame(screen.app, live, 'live', 20_000);
			await sim.faults.takeDown();
			await waitForFrame(screen.app, frame => /14 pods · 9 components · ↻ reconnecting for \d s/.test(frame), 'reconnecting', 2000);
			const away = await waitForFrame(screen.app, frame => /App health · guestbook[\s\S]*\bUNKNOWN\b/.test(frame), 'the path UNKNOWN', 8000);
			assert.doesNotMatch(away, /\bDOWN\b/);
			await sim.faults.bringBack();
			await waitForFrame(screen.app, live, 'live again', 10_000);
		} finally {
			await screen.stop();
			await sim.stop();
		}
	});

	test('kill: killed mid-experiment and not back, over as unknown "lost the API server at +X s" once the grace period is over, exit 1', async () => {
		const sim = await startTestSim({speed: 4});
		try {
			const run = startCommand(sim, ['kill', 'fluentd-gcp-v3.2.0'], {mode: 'pod', json: true, timeout: '180s'});
			await deleteArrived(sim);
			await sim.faults.takeDown();
			const result = await run.done;
			const json = killJson(result);
			assert.equal(result.code, 1);
			assert.equal(json.verdict, 'unknown');
			assert.equal(json.ending, 'api-server-lost');
			assert.match(json.verdictReason!, /^lost the API server at \+\d+\.\d s \(/);
			const lostMs = Number(/at \+(\d+\.\d) s/.exec(json.verdictReason!)![1]) * 1000;
			assert.ok(json.endedMs! >= lostMs + apiServerGraceMs - 100 && json.endedMs! < lostMs + apiServerGraceMs + 2000, `ended at ${json.endedMs} ms, lost at ${lostMs} ms: at the end of the grace period, not the 180 s timeout`);
			assert.deepEqual(json.outages.filter(outage => outage.layer === 'end-to-end'), []);
			assert.deepEqual(trueOutages(sim, json.t0, json.t0 + json.endedMs!), []);
		} finally {
			await sim.stop();
		}
	});
});

describe('the cluster rebuilt on the same address (restart with a new history)', () => {
	for (const history of ['older', 'newer'] as const) {
		test(`the screen drops the old cluster's pods and shows only the new ones (no "DaemonSet 4/3"); the old cluster's versions ${history} than the new one's`, async () => {
		const sim = await startTestSim({speed: 4});
		const screen = openExperimentScreen(sim, {probeInterval: '200ms', probeTimeout: '2s'});
		try {
			await waitForFrame(screen.app, live, 'live', 20_000);
			if (history === 'newer') {
				// A busy old cluster: the screen's resourceVersions are far beyond anything the new
				// one has issued ("Too large resource version"), not merely expired (410).
				for (let change = 0; change < 3000; change++) {
					const namespace = sim.cluster.store.get('namespaces', undefined, 'kube-system')!;
					sim.cluster.replace('namespaces', undefined, 'kube-system', {...namespace, metadata: {...namespace.metadata, annotations: {change: String(change)}}});
				}

				const watched = sim.cluster.store.list('pods', 'kube-system')[0];
				sim.cluster.replace('pods', 'kube-system', watched.metadata.name, {...watched, metadata: {...watched.metadata, annotations: {touched: 'yes'}}});
				await new Promise(resolve => setTimeout(resolve, 500));
			}

			const oldNames = sim.cluster.store.list('pods', 'kube-system').map(pod => pod.metadata.name).filter(name => !name.startsWith('kube-proxy-'));
			await sim.faults.restart();
			const newNames = sim.cluster.store.list('pods', 'kube-system').map(pod => pod.metadata.name);
			const frame = await waitForFrame(
				screen.app,
				frame => live(frame) && newNames.every(name => frame.includes(name)) && oldNames.every(name => !frame.includes(name)),
				'only the new cluster\'s pods',
				10_000,
			);
			assert.match(frame, / fluentd-gcp-v3\.2\.0 {2}DaemonSet {2}3\/3 ready/);
			assert.match(frame, / kube-proxy {2}static pod {2}3\/3 ready/, 'mirror pods with the same names, new UIDs: counted once');
		} finally {
			await screen.stop();
			await sim.stop();
		}
		});
	}
});

describe('410 storms (watch history expired again and again)', () => {
	test('kill kube-dns during a storm: the screen stays right and the measured outage is the true one', async () => {
		const sim = await startTestSim({speed: truthSpeed});
		const screen = openExperimentScreen(sim, {probeInterval: '200ms', probeTimeout: '2s'});
		let storming = true;
		try {
			await waitForFrame(screen.app, live, 'live', 20_000);
			const storm = (async () => {
				while (storming) {
					sim.faults.expireResourceVersions();
					await new Promise(resolve => setTimeout(resolve, 300));
				}
			})();
			const run = startCommand(sim, ['kill', 'kube-dns'], {json: true, ...truthProbeFlags});
			const result = await run.done;
			storming = false;
			await storm;
			const json = killJson(result);
			assert.equal(result.code, 0, result.io.err());
			assert.equal(json.verdict, 'service-impact');
			const truth = trueOutages(sim, json.t0, json.t0 + json.endedMs!);
			assert.equal(truth.length, 1, JSON.stringify(truth));
			const trueMs = truth[0].endMs! - truth[0].startMs;
			assert.ok(Math.abs(json.serviceOutageMs! - trueMs) <= truthToleranceMs, `measured ${json.serviceOutageMs} ms, true ${trueMs} ms`);
			await waitForFrame(screen.app, frame => live(frame) && / kube-dns {2}Deployment {2}2\/2 ready/.test(frame), 'the screen right after the storm', 10_000);
			const names = sim.cluster.store.list('pods', 'kube-system').map(pod => pod.metadata.name);
			await eventually(() => names.every(name => screen.app.lastFrame()?.includes(name)), 'every current pod on screen');
		} finally {
			storming = false;
			await screen.stop();
			await sim.stop();
		}
	});
});
