// The headless commands never delete what nobody asked for, checked on the DELETE requests
// the simulator received: none with --read-only, none without y on a terminal or --yes,
// none for a name that is only a prefix, none when the pods cannot be watched or the report
// cannot be written, none outside the namespace; a refused delete stops the sweep.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdirSync, readFileSync} from 'node:fs';
import {PassThrough} from 'node:stream';
import path from 'node:path';
import {runCommand} from '../../source/commands/run.js';
import {buildConfig, type RawFlags} from '../../source/config/config.js';
import type {SweepJson} from '../../source/report/sweep-report.js';
import {serveCluster} from '../../source/sim/server/index.js';
import type {SimHandle} from '../../source/sim/sim-handle.js';
import {captureIo, kubeconfigFile, type CapturedIo} from '../helpers/command-io.js';
import {createFakeCluster} from '../helpers/fake-cluster.js';
import {eventually, startTestSim} from '../helpers/sim.js';

const fast: RawFlags = {probeInterval: '100ms', probeTimeout: '2s', settle: '200ms', timeout: '20s'};

/** A CommandIo whose stdin is a terminal a test types on. */
function terminalIo(): CapturedIo & {stdin: PassThrough} {
	return {...captureIo(), stdin: Object.assign(new PassThrough(), {isTTY: true})};
}

async function run(args: string[], flags: RawFlags, io: CapturedIo = captureIo()): Promise<{code: number; out: string; err: string}> {
	const code = await runCommand(buildConfig(args, {...fast, ...flags}), io);
	return {code, out: io.out(), err: io.err()};
}

describe('on the simulated cluster', () => {
	let sim: SimHandle;
	let kubeconfig: string;
	before(async () => {
		sim = await startTestSim({speed: 20});
		kubeconfig = kubeconfigFile(sim.kubeconfig);
	});
	after(async () => {
		await sim.stop();
	});

	test('--read-only: kill, sweep, guestbook install and uninstall refuse in one sentence, exit 2, nothing sent', async () => {
		for (const args of [['kill', 'kube-dns'], ['sweep'], ['guestbook', 'install'], ['guestbook', 'uninstall']]) {
			const {code, err} = await run(args, {kubeconfig, readOnly: true, yes: true});
			assert.equal(code, 2, args.join(' '));
			const command = args[0] === 'guestbook' ? args.join(' ') : args[0];
			assert.equal(err, `knockdown: --read-only: ${command} changes the cluster, so it does not run (nothing was sent)\n`);
		}

		assert.equal(sim.deletes.length, 0);
		assert.equal(sim.cluster.store.list('deployments', 'default').length, 3, 'install created nothing either (the world\'s own three)');
	});

	test('without a terminal and without --yes: kill, sweep and guestbook uninstall say to pass --yes, exit 2', async () => {
		for (const args of [['kill', 'kube-dns'], ['sweep'], ['guestbook', 'uninstall']]) {
			const {code, err} = await run(args, {kubeconfig});
			assert.equal(code, 2, args.join(' '));
			assert.match(err, /^knockdown: .* stdin is not a terminal: pass --yes to go ahead without asking \(nothing was deleted\)\n$/);
		}

		assert.equal(sim.deletes.length, 0);
	});

	test('on a terminal kill asks, naming the pods, namespace and context; n (or Enter) deletes nothing', async () => {
		for (const answer of ['n\n', '\n']) {
			const io = terminalIo();
			const running = run(['kill', 'kube-dns'], {kubeconfig}, io);
			await eventually(() => io.err().includes('[y/N]'), 'the question');
			assert.match(io.err(), /^delete all 2 pods of kube-dns \(kube-dns-\S+, kube-dns-\S+\) in namespace kube-system on context knockdown-sim\? \[y\/N\] $/);
			io.stdin.write(answer);
			const {code, err} = await running;
			assert.equal(code, 2);
			assert.match(err, /knockdown: not confirmed: nothing was deleted\n$/);
		}

		assert.equal(sim.deletes.length, 0);
	});

	test('guestbook uninstall on a terminal asks; n deletes nothing', async () => {
		const io = terminalIo();
		const running = run(['guestbook', 'uninstall'], {kubeconfig}, io);
		await eventually(() => io.err().includes('[y/N]'), 'the question');
		assert.match(io.err(), /^delete the guestbook \(deployment\/redis-leader, .*service\/frontend\) in namespace default on context knockdown-sim\? \[y\/N\] $/);
		io.stdin.write('n\n');
		assert.equal((await running).code, 2);
		assert.equal(sim.deletes.length, 0);
	});

	test('a prefix of pod names (kube-proxy-gke) is an unknown component, even with --yes: exit 2, the known ones listed', async () => {
		const {code, err} = await run(['kill', 'kube-proxy-gke'], {kubeconfig, yes: true});
		assert.equal(code, 2);
		assert.match(err, /^knockdown: unknown component "kube-proxy-gke" in kube-system \(known: .*kube-dns, .*kube-proxy.*\)\n$/);
		assert.equal(sim.deletes.length, 0);
	});

	test('sweep --out in a folder that does not exist, or naming a folder: refused before anything is deleted', async () => {
		const io = captureIo();
		mkdirSync(path.join(io.cwd, 'reports'));
		for (const [out, why] of [['/nonexistent/dir/r.md', 'cannot write the report to /nonexistent/dir/r.md: folder /nonexistent/dir does not exist'], ['reports', `--out ${path.join(io.cwd, 'reports')} is a folder; name a file in it`]] as const) {
			const {code, err} = await run(['sweep'], {kubeconfig, yes: true, out}, io);
			assert.equal(code, 2);
			assert.ok(err.endsWith(`knockdown: ${why} (nothing was deleted)\n`), err);
		}

		assert.equal(sim.deletes.length, 0);
	});

	test('y on a terminal: kill deletes exactly the pods it named, in kube-system only', async () => {
		const io = terminalIo();
		const running = run(['kill', 'l7-default-backend'], {kubeconfig}, io);
		await eventually(() => io.err().includes('[y/N]'), 'the question');
		const named = /\((l7-default-backend-\S+)\)/.exec(io.err())![1]!;
		io.stdin.write('y\n');
		const {code, err} = await running;
		assert.equal(code, 0, err);
		assert.deepEqual(sim.deletes.map(request => [request.method, request.path, request.namespace]), [['DELETE', `/api/v1/namespaces/kube-system/pods/${named}`, 'kube-system']]);
	});
});

test('watch on pods forbidden: kill and sweep refuse before deleting (the replacements could not be seen)', async () => {
	const sim = await startTestSim({speed: 20, forbid: ['watch:pods']});
	try {
		const kubeconfig = kubeconfigFile(sim.kubeconfig);
		for (const args of [['kill', 'kube-dns'], ['sweep']]) {
			const {code, err} = await run(args, {kubeconfig, yes: true});
			assert.equal(code, 2, args.join(' '));
			assert.match(err, /^knockdown: not allowed to watch pods in namespace kube-system \(context knockdown-sim\): without them the pods' going and coming back cannot be seen, so nothing was deleted\n$/);
		}

		assert.equal(sim.deletes.length, 0);
	} finally {
		await sim.stop();
	}
});

test('delete forbidden where the access review cannot tell: reported as failed, and the sweep stops at the first 403', async () => {
	const cluster = createFakeCluster();
	const handle = await serveCluster(cluster, {forbid: ['create:selfsubjectaccessreviews', 'delete:pods']});
	try {
		const kubeconfig = kubeconfigFile(handle.kubeconfig);
		const kill = await run(['kill', 'kube-proxy-node-a'], {kubeconfig, yes: true});
		assert.equal(kill.code, 1);
		assert.match(kill.out, /\nkube-proxy-node-a · delete failed: forbidden: pods "kube-proxy-node-a" is forbidden: [^\n]*\n$/);
		assert.ok(!kill.out.includes('deleted ·'), 'never "1 pod deleted"');
		assert.equal(handle.deletes.length, 1);

		const io = captureIo();
		const sweep = await run(['sweep'], {kubeconfig, yes: true, format: 'json', out: 'r.json'}, io);
		assert.equal(sweep.code, 1);
		assert.match(sweep.err, /knockdown: sweep stopped after kube-dns-788979dc8f-aaaaa, whose delete was forbidden: 2 components not tried\n$/);
		assert.equal(handle.deletes.length, 2, 'one more DELETE: the first component\'s, then it stopped');
		const report = JSON.parse(readFileSync(path.join(io.cwd, 'r.json'), 'utf8')) as SweepJson;
		const tried = report.rows.filter(row => row.experiment);
		assert.equal(tried.length, 1);
		assert.match(tried[0]!.deleted, /^delete failed: forbidden: /);
		assert.match(tried[0]!.note ?? '', /the sweep stopped here: the API server forbids the delete/);
	} finally {
		await handle.stop();
	}
});
