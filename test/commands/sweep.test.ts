import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {runCommand} from '../../source/commands/run.js';
import {buildConfig} from '../../source/config/config.js';
import type {SweepJson} from '../../source/report/sweep-report.js';
import {captureIo} from '../helpers/command-io.js';

test('sweep --demo: every component knocked down in turn, the talk\'s table written to --out', async () => {
	const io = captureIo();
	// --probe-timeout 2s, the default, not 500 ms: the simulator and the probes share this
	// process, and on a loaded 2-core machine a healthy exec or proxy probe took up to ~350 ms;
	// one past 500 ms counted as a failure, so a harmless component (event-exporter) got
	// "service outage … in 2 windows" and kube-dns a second window. What kube-dns breaks is
	// answered as a failure (getent exits 2, the app answers 500) well within 2 s.
	const code = await runCommand(buildConfig(['sweep'], {
		demo: true, yes: true, speed: 20, probeInterval: '50ms', probeTimeout: '2s', settle: '200ms', timeout: '20s', format: 'json', out: 'sweep.json',
	}), io);
	assert.equal(code, 0, io.err() + io.out());
	const file = path.join(io.cwd, 'sweep.json');
	assert.match(io.out(), new RegExp(`report written to ${file.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
	// Progress, one result line per component, went to stdout because the table went to the file.
	assert.match(io.out(), /\[5\/9\] deployment\/kube-dns \(2 pods, mode pods\)…\n {4}kube-dns · 2 pods deleted · service outage /);

	const report = JSON.parse(readFileSync(file, 'utf8')) as SweepJson;
	assert.equal(report.schema, 'knockdown.sweep/v1');
	const byName = new Map(report.rows.map(row => [row.name, row]));
	assert.deepEqual([...byName.keys()].slice(0, 4), ['kubelet', 'kube-proxy', 'kube-proxy (stopped)', 'kube-dns'], 'the talk\'s order');
	assert.equal(report.rows.length, 11, 'nine components, the kubelet and kube-proxy stopped');

	// The talk's last rows, measured by node experiments on the first node.
	const kubelet = byName.get('kubelet')!;
	assert.equal(kubelet.count, 3, 'one kubelet per node');
	assert.equal(kubelet.experiment?.action, 'stop-kubelet');
	// The node is the first by name that runs a pod of a harmless Deployment (the scheduler
	// places those pods differently from run to run): that pod is the one deleted below.
	assert.match(kubelet.experiment?.node?.name ?? '', /^gke-demo-default-pool-0dacde9e-/);
	assert.ok(typeof kubelet.experiment?.node?.notReadyMs === 'number', 'the node went NotReady');
	// The service keeps running, unless the scheduler put every replica of a hop on that node:
	// both kube-dns pods, or all three frontends. Then the node controller takes the hop's
	// endpoints away when the node goes NotReady, as on a real cluster, and the outage is real.
	// Placement differs from run to run, so the verdict is held to where the pods were.
	const markedNotReady = (kubelet.experiment?.timeline ?? [])
		.filter(entry => entry.text.endsWith(' marked not ready by the node controller'))
		.map(entry => entry.text.split(' ')[0]!);
	const allOnTheNode = (pattern: RegExp, replicas: number) => markedNotReady.filter(pod => pattern.test(pod)).length >= replicas;
	const wholeHopOnTheNode = allOnTheNode(/^kube-system\/kube-dns-(?!autoscaler)/, 2) || allOnTheNode(/^default\/frontend-/, 3);
	assert.equal(kubelet.verdict, wholeHopOnTheNode ? 'service-impact' : 'no-service-impact', `${kubelet.serviceImpact}; marked not ready: ${markedNotReady.join(', ')}`);
	assert.equal(kubelet.verified, wholeHopOnTheNode ? 'refuted' : 'confirmed');
	assert.equal(kubelet.claim, '"service keeps running"');
	// "pods can no longer be deleted": a harmless Deployment's pod on the node, deleted while the kubelet is away, hangs.
	assert.equal(kubelet.experiment?.node?.hangingDeletes?.length, 1, io.out());
	assert.match(kubelet.experiment?.node?.hangingDeletes?.[0].name ?? '', /^kube-system\/(heapster|event-exporter|kube-dns-autoscaler|fluentd-gcp-scaler|metrics-server)-/);
	assert.ok(kubelet.experiment?.node?.hangingDeletes?.[0].goneMs !== null, 'and goes once the kubelet is back');
	assert.match(kubelet.note ?? '', /^pods can no longer be deleted: seen, 1 deletion hung until the kubelet was back; started: /);
	const stopped = byName.get('kube-proxy (stopped)')!;
	assert.equal(stopped.experiment?.action, 'stop-static-pod');
	assert.equal(stopped.verified, 'refuted', 'its rules keep working while nothing changes');

	const dns = byName.get('kube-dns')!;
	assert.equal(dns.verdict, 'service-impact');
	assert.equal(dns.verified, 'confirmed');
	assert.match(dns.serviceImpact, /^service outage \d+\.\d s ± \d+\.\d s \(DNS\)$/);
	assert.match(dns.functionImpact ?? '', /^DNS down /);

	const proxy = byName.get('kube-proxy')!;
	assert.equal(proxy.verdict, 'no-service-impact');
	assert.equal(proxy.verified, 'unmeasured', 'a mirror pod deleted is not kube-proxy stopped');
	assert.ok(proxy.experiment?.replacements.every(replacement => replacement.sameNameAsVictim));

	for (const name of ['fluentd-gcp-v3.2.0', 'heapster-v1.6.0-beta.1', 'event-exporter-v0.2.3', 'kube-dns-autoscaler', 'fluentd-gcp-scaler', 'metrics-server-v0.2.1']) {
		const row = byName.get(name);
		assert.equal(row?.verdict, 'no-service-impact', `${name}: ${row?.serviceImpact}`);
		assert.equal(row?.verified, 'confirmed');
		assert.ok(row?.recoveredMs !== null && row?.firstReplacementReadyMs !== null);
	}

	assert.match(byName.get('metrics-server-v0.2.1')!.functionImpact ?? '', /^metrics API /, 'metrics-server has a function probe');
});
