import assert from 'node:assert/strict';
import {test} from 'node:test';
import {manualClock} from '../../../source/time/clock.js';
import {createCluster} from '../../../source/sim/world/index.js';
import {containerStatus, deploymentPods, isReady, startMs} from './helpers.js';

function kindWorld() {
	const clock = manualClock(startMs);
	return {clock, cluster: createCluster({profile: 'kind', clock, random: () => 0.5})};
}

test('the kind profile: CoreDNS behind kube-dns, kindnet and kube-proxy DaemonSets, control-plane mirror pods owned by the Node', () => {
	const {cluster} = kindWorld();
	assert.deepEqual(cluster.store.list('nodes').map(node => node.metadata.name), ['kind-control-plane', 'kind-worker']);
	const names = cluster.store.list('pods', 'kube-system').map(pod => pod.metadata.name);
	assert.equal(names.length, 10);
	assert.equal(deploymentPods(cluster, 'kube-system', 'coredns').length, 2);
	const etcd = cluster.store.get('pods', 'kube-system', 'etcd-kind-control-plane')!;
	assert.equal(etcd.metadata.ownerReferences?.[0].kind, 'Node');
	assert.equal(etcd.metadata.ownerReferences?.[0].uid, cluster.store.get('nodes', undefined, 'kind-control-plane')?.metadata.uid);
	assert.equal(cluster.store.list('pods', 'kube-system').filter(pod => pod.metadata.labels?.['k8s-app'] === 'kube-proxy').length, 2);
	assert.ok(cluster.store.list('pods', 'kube-system').every(pod => isReady(pod)));
	// The control plane is tainted: the guestbook runs on the worker.
	assert.ok(deploymentPods(cluster, 'default', 'frontend').every(pod => pod.spec.nodeName === 'kind-worker'));
	assert.equal(cluster.store.get('services', 'kube-system', 'kube-dns')?.spec.clusterIP, '10.96.0.10');
	assert.deepEqual(cluster.truth(), {guestbook: [], dns: [], nodesNotReady: {}});
	cluster.stop();
});

test('kind: DNS goes down with CoreDNS and nothing brings a deleted coredns Deployment back', async () => {
	const {cluster, clock} = kindWorld();
	cluster.start();
	const [frontend] = deploymentPods(cluster, 'default', 'frontend');
	assert.equal((await cluster.exec('default', frontend.metadata.name, 'php-redis', ['getent', 'hosts', 'redis-follower'])).exitCode, 0);
	cluster.delete('deployments', 'kube-system', 'coredns', {});
	clock.advance(120_000);
	assert.equal(cluster.store.get('deployments', 'kube-system', 'coredns'), undefined);
	assert.equal((await cluster.exec('default', frontend.metadata.name, 'php-redis', ['getent', 'hosts', 'redis-follower'])).exitCode, 2);
	assert.equal(cluster.truth().dns.length, 1);
	assert.equal(cluster.truth().dns[0].endMs, undefined);
	cluster.stop();
});

test('kind: a deleted kube-proxy pod stops its container, so its node misses endpoint changes until the new one runs', async () => {
	const {cluster, clock} = kindWorld();
	const proxy = cluster.store.list('pods', 'kube-system').find(pod => pod.metadata.labels?.['k8s-app'] === 'kube-proxy' && pod.spec.nodeName === 'kind-worker')!;
	cluster.delete('pods', 'kube-system', proxy.metadata.name, {});
	clock.advance(1500); // its container stopped
	assert.ok(containerStatus(cluster.store.get('pods', 'kube-system', proxy.metadata.name), 'kube-proxy').state.terminated);
	const replacement = () => cluster.store.list('pods', 'kube-system').find(pod => pod.metadata.labels?.['k8s-app'] === 'kube-proxy' && pod.spec.nodeName === 'kind-worker' && pod.metadata.name !== proxy.metadata.name);
	clock.advance(1000);
	assert.ok(replacement());
	clock.advance(5000);
	assert.ok(isReady(replacement()));
	assert.deepEqual(cluster.truth(), {guestbook: [], dns: [], nodesNotReady: {}});
	cluster.stop();
});
