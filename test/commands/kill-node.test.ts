// `knockdown kill kubelet` and `kill kube-proxy --mode static` against the simulator at speed
// 20 (a 60 s stop lasts 3 s): what is measured, what is refused, what is cleaned up.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {runCommand} from '../../source/commands/run.js';
import {buildConfig, UsageError, type RawFlags} from '../../source/config/config.js';
import {captureIo, kubeconfigFile} from '../helpers/command-io.js';
import {eventually, startTestSim} from '../helpers/sim.js';

const node = 'gke-demo-default-pool-0dacde9e-dvbd';
// --yes: these tests are about the node experiment, not the question (test/commands/safety.test.ts).
const flags: RawFlags = {probeInterval: '100ms', probeTimeout: '2s', settle: '300ms', timeout: '20s', yes: true};

type NodeJson = {name: string; notReadyMs: number | null; readyAgainMs: number | null; kubeletBackMs: number | null; podsNotReady: Array<{name: string}>};

test('kill kubelet --node: NotReady after the grace period, Ready again after --for, its pods marked not ready, DNS never a failure, the helper pod deleted', async () => {
	const sim = await startTestSim();
	try {
		const io = captureIo();
		const code = await runCommand(buildConfig(['kill', 'kubelet'], {...flags, kubeconfig: kubeconfigFile(sim.kubeconfig), node, for: '60s', json: true}), io);
		assert.equal(code, 0, io.err());
		const json = JSON.parse(io.out()) as {action: string; component: string; node: NodeJson; outages: Array<{layer: string}>; recoveredMs: number | null; probeCount: number; verdict: string};
		assert.equal(json.action, 'stop-kubelet');
		// The probes ran: a node kill starts them as a pod kill does, so the verdict is measured.
		assert.ok(json.probeCount >= 10, `${json.probeCount} end-to-end probes`);
		assert.equal(json.verdict, 'no-service-impact');
		assert.equal(json.component, 'kubelet');
		assert.equal(json.node.name, node);
		assert.ok(json.node.notReadyMs !== null && json.node.readyAgainMs !== null && json.node.notReadyMs < json.node.readyAgainMs, JSON.stringify(json.node));
		// At speed 20: 40 s of grace is 2 s, 60 s of stop is 3 s (after the helper started).
		assert.ok(json.node.notReadyMs >= 1500 && json.node.notReadyMs < 6000, `NotReady at ${json.node.notReadyMs} ms`);
		assert.ok(json.node.podsNotReady.length > 0);
		assert.ok(json.recoveredMs !== null && json.recoveredMs >= json.node.readyAgainMs);
		assert.deepEqual(json.outages.filter(outage => outage.layer === 'dns'), [], 'exec refused on the stopped node is not a DNS failure');
		assert.equal(sim.cluster.store.list('pods', 'kube-system').filter(pod => pod.metadata.name.startsWith('knockdown-helper-')).length, 0, 'helper deleted');
	} finally {
		await sim.stop();
	}
});

test('kill kube-proxy --mode static: the mirror pod goes while the manifest is out and comes back with a new UID', async () => {
	const sim = await startTestSim();
	try {
		const io = captureIo();
		const code = await runCommand(buildConfig(['kill', 'kube-proxy'], {...flags, kubeconfig: kubeconfigFile(sim.kubeconfig), mode: 'static', node, for: '20s', json: true}), io);
		assert.equal(code, 0, io.err());
		const json = JSON.parse(io.out()) as {action: string; victims: Array<{name: string; goneMs: number | null}>; replacements: Array<{name: string; readyMs: number | null; sameNameAsVictim: boolean}>; node: {name: string}};
		assert.equal(json.action, 'stop-static-pod');
		assert.equal(json.victims[0].name, `kube-proxy-${node}`);
		assert.ok(json.victims[0].goneMs !== null);
		assert.equal(json.replacements[0].sameNameAsVictim, true);
		assert.ok(json.replacements[0].readyMs !== null && json.replacements[0].readyMs > json.victims[0].goneMs!);
		assert.equal(json.node.name, node);
	} finally {
		await sim.stop();
	}
});

test('refusals are one sentence and nothing is created: --read-only, RBAC, Pod Security admission, an unknown node', async () => {
	const readOnly = captureIo();
	assert.equal(await runCommand(buildConfig(['kill', 'kubelet'], {...flags, demo: true, node, readOnly: true}), readOnly), 2);
	assert.equal(readOnly.err(), 'knockdown: --read-only: kill changes the cluster, so it does not run (nothing was sent)\n');

	// RBAC is asked before anything is created (exit 2); Pod Security admission only answers the create itself (exit 1).
	for (const [forbid, sentence, exit] of [
		['create:pods', /^knockdown: not allowed to create pods in namespace kube-system \(context knockdown-sim\): the helper pod that reaches the node could not be created, so nothing was deleted$/m, 2],
		['create:pods/privileged', /^knockdown: Pod Security admission refused the privileged helper pod in namespace kube-system \(pods "knockdown-helper-\w+" is forbidden: violates PodSecurity "baseline:latest": host namespaces \(hostPID=true\), privileged \(container "knockdown-helper" must not set securityContext.privileged=true\)\): it needs a namespace whose pod-security.kubernetes.io\/enforce level is privileged$/m, 1],
	] as const) {
		const sim = await startTestSim({forbid: [forbid]});
		try {
			const io = captureIo();
			const code = await runCommand(buildConfig(['kill', 'kubelet'], {...flags, kubeconfig: kubeconfigFile(sim.kubeconfig), node}), io);
			assert.equal(code, exit, io.err());
			assert.match(io.err(), sentence);
			assert.equal(io.err().trim().split('\n').length, 1, io.err());
			assert.equal(sim.cluster.kubeletUnreachable(node), undefined, 'nothing stopped');
		} finally {
			await sim.stop();
		}
	}

	const unknown = captureIo();
	assert.equal(await runCommand(buildConfig(['kill', 'kubelet'], {...flags, demo: true, node: 'nope'}), unknown), 2);
	assert.match(unknown.err(), /^knockdown: unknown node "nope" \(nodes: gke-demo-default-pool-0dacde9e-dvbd, gke-demo-default-pool-0dacde9e-gc4m, gke-demo-default-pool-0dacde9e-lr6s\)\n$/);
	assert.throws(() => buildConfig(['kill', 'kubelet'], {}), UsageError);
});

test('Ctrl-C while the kubelet is stopped: exit 130, a sentence says when the node undoes it by itself and how to sooner; the node does come back', async () => {
	const sim = await startTestSim();
	try {
		const io = captureIo();
		const running = runCommand(buildConfig(['kill', 'kubelet'], {...flags, kubeconfig: kubeconfigFile(sim.kubeconfig), node, for: '60s'}), io);
		await eventually(() => sim.cluster.kubeletUnreachable(node), 'the kubelet stopped', 15_000);
		io.abort();
		assert.equal(await running, 130);
		assert.match(io.err(), /^knockdown: interrupted: the node undoes the stop by itself at about \d\d:\d\d:\d\d UTC \(systemd timer knockdown-undo-\w+ on gke-demo-default-pool-0dacde9e-dvbd\); to undo it sooner, run `systemctl start kubelet` on gke-demo-default-pool-0dacde9e-dvbd$/m);
		// The helper's delete hangs while its kubelet is away; the undo on the host needs nobody.
		await eventually(() => sim.cluster.kubeletUnreachable(node) === undefined, 'the kubelet back by the host\'s timer', 15_000);
		await eventually(() => sim.cluster.store.list('pods', 'kube-system').every(pod => !pod.metadata.name.startsWith('knockdown-helper-')), 'the helper pod gone once the kubelet is back', 15_000);
	} finally {
		await sim.stop();
	}
});
