// client-node informers against the simulator: list + watch, add/update/delete, selectors,
// and recovery from a 410 Expired (the informer relists).
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {CoreV1Api, KubeConfig, ListWatch, PatchStrategy, Watch, makeInformer, setHeaderOptions, type V1Pod} from '@kubernetes/client-node';
import {runningPod} from '../../helpers/fake-cluster.js';
import {eventually, startFakeSim} from '../../helpers/sim.js';

type Sim = Awaited<ReturnType<typeof startFakeSim>>;
let sim: Sim;
let config: KubeConfig;
let core: CoreV1Api;

before(async () => {
	sim = await startFakeSim({deleteDelayMs: 100});
	config = new KubeConfig();
	config.loadFromString(sim.kubeconfig);
	core = config.makeApiClient(CoreV1Api);
});

after(async () => {
	await sim.stop();
});

function recorder() {
	const seen: string[] = [];
	return {
		seen,
		on(informer: {on(verb: 'add' | 'update' | 'delete', cb: (pod: V1Pod) => void): void}) {
			for (const verb of ['add', 'update', 'delete'] as const) {
				informer.on(verb, pod => seen.push(`${verb} ${pod.metadata?.name}`));
			}
		},
	};
}

test('an informer lists, then sees ADDED, MODIFIED and DELETED as add, update and delete', async () => {
	const informer = makeInformer<V1Pod>(config, '/api/v1/namespaces/kube-system/pods', () => core.listNamespacedPod({namespace: 'kube-system'}));
	const events = recorder();
	events.on(informer);
	await informer.start();
	try {
		assert.deepEqual(informer.list().map(pod => pod.metadata?.name).sort(), ['kube-dns-788979dc8f-aaaaa', 'kube-dns-788979dc8f-bbbbb', 'kube-proxy-node-a']);
		await core.createNamespacedPod({namespace: 'kube-system', body: runningPod('kube-system', 'fresh', {labels: {app: 'fresh'}}) as V1Pod});
		await eventually(() => events.seen.includes('add fresh'), 'add fresh');
		await core.patchNamespacedPod({namespace: 'kube-system', name: 'fresh', body: {metadata: {labels: {app: 'fresh', touched: 'yes'}}}}, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
		await eventually(() => informer.get('fresh', 'kube-system')?.metadata?.labels?.touched === 'yes', 'the patched labels in the cache');
		await core.deleteNamespacedPod({namespace: 'kube-system', name: 'fresh', gracePeriodSeconds: 1});
		await eventually(() => events.seen.includes('delete fresh'), 'delete fresh');
		assert.equal(informer.get('fresh', 'kube-system'), undefined);
		assert.ok(events.seen.indexOf('update fresh') > events.seen.indexOf('add fresh'));
	} finally {
		await informer.stop();
	}
});

test('after expireResourceVersions the informer meets 410 Expired and relists, and keeps watching', async () => {
	const informer = makeInformer<V1Pod>(config, '/api/v1/namespaces/default/pods', () => core.listNamespacedPod({namespace: 'default'}));
	let connects = 0;
	informer.on('connect', () => {
		connects++;
	});
	const errors: unknown[] = [];
	informer.on('error', error => errors.push(error));
	const events = recorder();
	events.on(informer);
	await informer.start();
	try {
		const before = (informer as ListWatch<V1Pod>).latestResourceVersion();
		// Something changes while the informer's watch is cut: it must learn of it by relisting.
		sim.faults.expireResourceVersions();
		sim.cluster.create('pods', runningPod('default', 'born-during-expiry'));
		await eventually(() => connects >= 3, 'the informer to reconnect after the 410 (connect, re-watch, relist)');
		await eventually(() => informer.get('born-during-expiry', 'default'), 'the pod created meanwhile to be in the cache');
		assert.notEqual((informer as ListWatch<V1Pod>).latestResourceVersion(), before);
		assert.deepEqual(errors, []);
		// Still live after the relist.
		sim.cluster.create('pods', runningPod('default', 'after-relist'));
		await eventually(() => events.seen.includes('add after-relist'), 'add after-relist');
	} finally {
		await informer.stop();
	}
});

test('label and field selectors limit what an informer sees, on list and on watch', async () => {
	const labelled = makeInformer<V1Pod>(config, '/api/v1/namespaces/default/pods', () => core.listNamespacedPod({namespace: 'default', labelSelector: 'tier=frontend'}), 'tier=frontend');
	const onNodeB = new ListWatch<V1Pod>('/api/v1/pods', new Watch(config), () => core.listPodForAllNamespaces({fieldSelector: 'spec.nodeName=node-b'}), false, undefined, 'spec.nodeName=node-b');
	const labelledEvents = recorder();
	labelledEvents.on(labelled);
	const nodeEvents = recorder();
	nodeEvents.on(onNodeB);
	await labelled.start();
	await onNodeB.start();
	try {
		assert.deepEqual(labelled.list().map(pod => pod.metadata?.name), ['frontend-abc-xxxxx']);
		assert.deepEqual(onNodeB.list().map(pod => pod.metadata?.name), ['kube-dns-788979dc8f-bbbbb']);
		sim.cluster.create('pods', runningPod('default', 'frontend-two', {labels: {tier: 'frontend'}, node: 'node-b'}));
		sim.cluster.create('pods', runningPod('default', 'backend-one', {labels: {tier: 'backend'}, node: 'node-a'}));
		await eventually(() => labelledEvents.seen.includes('add frontend-two') && nodeEvents.seen.includes('add frontend-two'), 'both informers to see frontend-two');
		sim.cluster.create('pods', runningPod('default', 'marker', {labels: {tier: 'frontend'}, node: 'node-b'}));
		await eventually(() => labelledEvents.seen.includes('add marker') && nodeEvents.seen.includes('add marker'), 'the marker pod');
		assert.ok(!labelledEvents.seen.some(line => line.includes('backend-one')));
		assert.ok(!nodeEvents.seen.some(line => line.includes('backend-one')));
	} finally {
		await labelled.stop();
		await onNodeB.stop();
	}
});
