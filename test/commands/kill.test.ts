import {test} from 'node:test';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import assert from 'node:assert/strict';
import {runCommand} from '../../source/commands/run.js';
import {buildConfig, type RawFlags} from '../../source/config/config.js';
import {serveCluster} from '../../source/sim/server/index.js';
import {createFakeCluster} from '../helpers/fake-cluster.js';
import {captureIo, kubeconfigFile} from '../helpers/command-io.js';

// --yes: the tests' stdin is not a terminal (commands/safety.test.ts has the question).
const fast: RawFlags = {probeInterval: '100ms', probeTimeout: '500ms', settle: '200ms', yes: true};

async function withServedFake<T>(run: (kubeconfig: string, cluster: ReturnType<typeof createFakeCluster>) => Promise<T>): Promise<T> {
	const cluster = createFakeCluster({deleteDelayMs: 50});
	const handle = await serveCluster(cluster);
	try {
		return await run(kubeconfigFile(handle.kubeconfig), cluster);
	} finally {
		await handle.stop();
	}
}

test('kill of an unknown component: exit 2, one line listing the known components, nothing deleted', async () => {
	await withServedFake(async (kubeconfig, cluster) => {
		const io = captureIo();
		const code = await runCommand(buildConfig(['kill', 'kube-dnz'], {...fast, kubeconfig}), io);
		assert.equal(code, 2);
		const lines = io.err().trim().split('\n');
		assert.equal(lines.length, 1);
		assert.equal(lines[0], 'knockdown: unknown component "kube-dnz" in kube-system (known: kube-dns-788979dc8f-aaaaa, kube-dns-788979dc8f-bbbbb, kube-proxy-node-a)');
		assert.ok(cluster.store.list('pods', 'kube-system').every(pod => !pod.metadata.deletionTimestamp));
	});
});

test('kill of a pod nothing recreates: not recovered within --timeout, exit 1, the JSON says what was missing', async () => {
	await withServedFake(async kubeconfig => {
		const io = captureIo();
		const code = await runCommand(buildConfig(['kill', 'kube-proxy-node-a'], {...fast, kubeconfig, timeout: '1500ms', json: true}), io);
		assert.equal(code, 1, io.err());
		const json = JSON.parse(io.out()) as Record<string, unknown>;
		for (const key of ['component', 'action', 't0', 'verdict', 'outages', 'victims', 'replacements', 'recoveredMs']) {
			assert.ok(key in json, `JSON has ${key}`);
		}

		assert.equal(json.component, 'kube-proxy-node-a');
		assert.equal(json.action, 'delete-pods');
		assert.equal(json.verdict, 'not-recovered');
		assert.equal(json.recoveredMs, null);
		assert.deepEqual(json.missing, ['0 of 1 pods Ready']);
		assert.equal((json.victims as Array<{name: string; goneMs: number | null}>)[0].name, 'kube-proxy-node-a');
		assert.ok(typeof (json.victims as Array<{goneMs: number | null}>)[0].goneMs === 'number', 'the victim was seen going');
		assert.ok(Math.abs((json.t0 as number) - Date.now()) < 60_000, 't0 is epoch ms');
	});
});

test('a forbidden delete: refused before anything is sent, one sentence, exit 2', async () => {
	const cluster = createFakeCluster();
	const handle = await serveCluster(cluster, {forbid: ['delete:pods']});
	try {
		const io = captureIo();
		const code = await runCommand(buildConfig(['kill', 'kube-proxy-node-a'], {...fast, kubeconfig: kubeconfigFile(handle.kubeconfig)}), io);
		assert.equal(code, 2);
		assert.equal(io.err(), 'knockdown: not allowed to delete pods in namespace kube-system (context knockdown-sim): the delete would be refused, so nothing was deleted\n');
		assert.equal(handle.deletes.length, 0);
	} finally {
		await handle.stop();
	}
});

// --probe-timeout 2s, the default, not 500 ms: the simulator and the probes share this process,
// and on a loaded 2-core machine a healthy exec or proxy probe took up to ~350 ms; one past
// 500 ms is a failure at its send time, i.e. a spurious outage window. The slowest answer the
// simulator itself gives (a resolver waiting out dead servers: 10 s simulated, 500 ms here) is
// a failure either way, so nothing the tests assert depends on the timeout firing.
const demo: RawFlags = {demo: true, yes: true, speed: 20, probeInterval: '100ms', probeTimeout: '2s', settle: '300ms', timeout: '20s'};

test('kill --demo kube-dns: the timeline as it happens, the result line, exit 0', async () => {
	const io = captureIo();
	const code = await runCommand(buildConfig(['kill', 'kube-dns'], demo), io);
	assert.equal(code, 0, io.err());
	const out = io.out();
	assert.match(out, /^knockdown kill deployment\/kube-dns · context knockdown-sim · namespace kube-system/);
	assert.match(out, /^ {3}\+0\.0 s {2}delete 2 pods of kube-dns: /m);
	assert.match(out, /^ +\+\d+\.\d s {2}end-to-end failing/m);
	assert.match(out, /^ +\+\d+\.\d s {2}recovered: 2\/2 Ready, no victim left$/m);
	assert.match(out, /\nkube-dns · 2 pods deleted · service outage \d+\.\d s ± \d+\.\d s \(DNS\) · first replacement ready \+\d+\.\d s · recovered \+\d+\.\d s\n$/);
});

test('kill --demo --json --mode pod fluentd-gcp: one JSON document, no service impact, exit 0', async () => {
	const io = captureIo();
	const code = await runCommand(buildConfig(['kill', 'fluentd-gcp'], {...demo, json: true, mode: 'pod'}), io);
	assert.equal(code, 0, io.err());
	const json = JSON.parse(io.out()) as {component: string; action: string; verdict: string; outages: unknown[]; replacements: Array<{readyMs: number | null}>; recoveredMs: number | null; t0: number};
	assert.equal(json.component, 'fluentd-gcp-v3.2.0');
	assert.equal(json.action, 'delete-pod');
	assert.equal(json.verdict, 'no-service-impact');
	assert.equal(json.replacements.length, 1);
	assert.ok(json.replacements[0].readyMs !== null && json.recoveredMs !== null && json.recoveredMs >= json.replacements[0].readyMs);
});

test('kill --demo --format html --out: the timeline on stdout as it happens, the page with its picture in the file', async () => {
	const io = captureIo();
	const code = await runCommand(buildConfig(['kill', 'fluentd-gcp'], {...demo, mode: 'pod', format: 'html', out: 'fluentd.html'}), io);
	assert.equal(code, 0, io.err());
	const file = path.join(io.cwd, 'fluentd.html');
	assert.match(io.out(), /^ {3}\+0\.0 s {2}delete pod fluentd-gcp-v3\.2\.0-/m);
	assert.ok(io.out().endsWith(`report written to ${file}\n`), io.out());
	const page = await readFile(file, 'utf8');
	assert.match(page, /^<!doctype html>/);
	assert.match(page, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" id="knockdown-experiment-1"/);
	assert.match(page, /fluentd-gcp-v3\.2\.0 · 1 pod deleted · no service impact/);
});
