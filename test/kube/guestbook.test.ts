// guestbook install/uninstall through client-node against the simulator's API server.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {buildConfig} from '../../source/config/config.js';
import {runCommand} from '../../source/commands/run.js';
import {connectionFromString} from '../../source/kube/connect.js';
import {GuestbookError, guestbookManifests, installGuestbook, uninstallGuestbook} from '../../source/kube/guestbook.js';
import type {Store} from '../../source/sim/store.js';
import {captureIo} from '../helpers/command-io.js';
import {object} from '../helpers/fake-cluster.js';
import {startFakeSim} from '../helpers/sim.js';

/** Every object in a namespace, by resource/name@resourceVersion: what "unchanged" means. */
function namespaceContents(store: Store, namespace: string): string[] {
	const resources = ['deployments', 'replicasets', 'pods', 'services', 'endpoints'] as const;
	return resources
		.flatMap(resource => store.list(resource, namespace).map(item => `${resource}/${item.metadata.name}@${item.metadata.resourceVersion}`))
		.sort();
}

test('install creates the six objects of the GKE tutorial; twice changes nothing; uninstall leaves the namespace as it was', async () => {
	const sim = await startFakeSim();
	try {
		sim.cluster.create('namespaces', object('namespaces', {name: 'shop'}, {status: {phase: 'Active'}}));
		sim.cluster.create('services', object('services', {name: 'checkout', namespace: 'shop'}, {spec: {ports: [{port: 80}]}}));
		const {kubeConfig} = connectionFromString(sim.kubeconfig);
		const before = namespaceContents(sim.cluster.store, 'shop');

		const installed = await installGuestbook(kubeConfig, 'shop');
		assert.deepEqual(
			installed.map(step => `${step.action} ${step.kind}/${step.name}`),
			[
				'created deployment/redis-leader',
				'created service/redis-leader',
				'created deployment/redis-follower',
				'created service/redis-follower',
				'created deployment/frontend',
				'created service/frontend',
			],
		);
		const frontend = sim.cluster.store.get('deployments', 'shop', 'frontend')!;
		const container = (frontend.spec as any).template.spec.containers[0];
		assert.equal(container.name, 'php-redis');
		assert.deepEqual(container.env, [{name: 'GET_HOSTS_FROM', value: 'dns'}]);
		assert.equal((frontend.spec as any).replicas, 3);
		assert.deepEqual((sim.cluster.store.get('services', 'shop', 'redis-follower')!.spec as any).selector, {app: 'redis', role: 'follower', tier: 'backend'});
		assert.equal(sim.cluster.store.list('deployments', 'default').some(item => item.metadata.name === 'redis-leader'), false, 'nothing outside the namespace');

		const afterFirst = namespaceContents(sim.cluster.store, 'shop');
		const again = await installGuestbook(kubeConfig, 'shop');
		assert.ok(again.every(step => step.action === 'exists'));
		assert.deepEqual(namespaceContents(sim.cluster.store, 'shop'), afterFirst, 'the second install changed nothing (same resourceVersions)');

		const removed = await uninstallGuestbook(kubeConfig, 'shop');
		assert.equal(removed.filter(step => step.action === 'deleted').length, 6);
		assert.deepEqual(namespaceContents(sim.cluster.store, 'shop'), before, 'the namespace is as it was: checkout untouched');

		const removedAgain = await uninstallGuestbook(kubeConfig, 'shop');
		assert.ok(removedAgain.every(step => step.action === 'absent'));
	} finally {
		await sim.stop();
	}
});

test('install into a namespace that does not exist is one clear sentence', async () => {
	const sim = await startFakeSim();
	try {
		const {kubeConfig} = connectionFromString(sim.kubeconfig);
		await assert.rejects(installGuestbook(kubeConfig, 'nowhere'), (error: unknown) => {
			assert.ok(error instanceof GuestbookError);
			assert.match(error.message, /^namespace nowhere does not exist/);
			return true;
		});
	} finally {
		await sim.stop();
	}
});

test('forbidden to create deployments: says so, in one sentence', async () => {
	const sim = await startFakeSim({forbid: ['create:deployments']});
	try {
		const {kubeConfig} = connectionFromString(sim.kubeconfig);
		await assert.rejects(installGuestbook(kubeConfig, 'default'), /not permitted to create deployment\/redis-leader in namespace default/);
	} finally {
		await sim.stop();
	}
});

test('knockdown guestbook install|uninstall print what they did, against --kubeconfig', async () => {
	const sim = await startFakeSim();
	const directory = mkdtempSync(path.join(tmpdir(), 'knockdown-guestbook-'));
	try {
		sim.cluster.create('namespaces', object('namespaces', {name: 'shop'}, {status: {phase: 'Active'}}));
		const kubeconfigPath = path.join(directory, 'config');
		writeFileSync(kubeconfigPath, sim.kubeconfig);
		const run = async (verb: string) => {
			const io = captureIo();
			const code = await runCommand(buildConfig(['guestbook', verb], {appNamespace: 'shop', kubeconfig: kubeconfigPath, yes: true}), io);
			return {code, out: io.out(), err: io.err()};
		};

		const first = await run('install');
		assert.equal(first.code, 0, first.err);
		assert.match(first.out, /Installing the guestbook in namespace shop/);
		assert.match(first.out, /created deployment\/frontend/);
		assert.match(first.out, /Done: 6 objects created/);

		const second = await run('install');
		assert.match(second.out, /deployment\/frontend already exists, left as is/);
		assert.match(second.out, /Nothing to do/);

		const removed = await run('uninstall');
		assert.match(removed.out, /deleted service\/frontend/);
		assert.match(removed.out, /Done: 6 objects deleted/);
		assert.equal(guestbookManifests('shop').deployments.length, 3);
	} finally {
		rmSync(directory, {recursive: true, force: true});
		await sim.stop();
	}
});

test('against the simulated world: install, install again, uninstall → the namespace as it was once the pods are gone', async () => {
	const {eventually, startTestSim} = await import('../helpers/sim.js');
	const sim = await startTestSim({speed: 20});
	try {
		const {kubeConfig} = connectionFromString(sim.kubeconfig);
		// Take the built-in guestbook away first: the world starts with one in default.
		await uninstallGuestbook(kubeConfig, 'default');
		const names = () =>
			(['deployments', 'replicasets', 'pods', 'services', 'endpoints'] as const)
				.flatMap(resource => sim.cluster.store.list(resource, 'default').map(item => `${resource}/${item.metadata.name}`))
				.sort();
		const before = await eventually(() => (names().some(name => /redis|frontend/.test(name)) ? undefined : names()), 'the built-in guestbook gone');
		assert.deepEqual(before, ['endpoints/kubernetes', 'services/kubernetes']);

		await installGuestbook(kubeConfig, 'default');
		await eventually(
			() => sim.cluster.store.list('pods', 'default').filter(pod => pod.metadata.name.startsWith('frontend-')).length === 3,
			'the controllers made three frontend pods',
		);
		const identity = () =>
			sim.cluster.store
				.list('deployments', 'default')
				.map(item => `${item.metadata.name}:${item.metadata.uid}:${item.metadata.generation}`)
				.concat(sim.cluster.store.list('services', 'default').map(item => `${item.metadata.name}:${item.metadata.uid}:${JSON.stringify(item.spec)}`))
				.sort();
		const afterFirst = identity();
		const again = await installGuestbook(kubeConfig, 'default');
		assert.ok(again.every(step => step.action === 'exists'));
		assert.deepEqual(identity(), afterFirst, 'the same objects, not one spec changed');

		await uninstallGuestbook(kubeConfig, 'default');
		await eventually(() => JSON.stringify(names()) === JSON.stringify(before) && names(), 'the namespace as it was', 15_000);
	} finally {
		await sim.stop();
	}
});
