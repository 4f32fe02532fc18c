import assert from 'node:assert/strict';
import {test} from 'node:test';
import {deploymentPods, isReady, startMs, testWorld} from './helpers.js';

const T0 = startMs;

test('Background deletion removes the Deployment at once, then its ReplicaSet and (gracefully) its pods', () => {
	const {cluster, clock} = testWorld();
	const deployment = cluster.store.get('deployments', 'default', 'frontend')!;
	const result = cluster.delete('deployments', 'default', 'frontend', {});
	assert.deepEqual(result, {kind: 'status', details: {name: 'frontend', group: 'apps', kind: 'deployments', uid: deployment.metadata.uid}});
	assert.equal(cluster.store.get('deployments', 'default', 'frontend'), undefined);
	const replicaSets = () => cluster.store.list('replicasets', 'default').filter(rs => rs.metadata.name.startsWith('frontend-'));
	assert.equal(replicaSets().length, 1);
	clock.advance(100);
	assert.equal(replicaSets().length, 0);
	clock.advance(100);
	const terminating = deploymentPods(cluster, 'default', 'frontend');
	assert.equal(terminating.length, 3);
	assert.ok(terminating.every(pod => pod.metadata.deletionTimestamp));
	clock.advance(1600);
	assert.equal(deploymentPods(cluster, 'default', 'frontend').length, 0);
	// The guestbook is down from the moment its frontends began terminating, and stays down.
	assert.deepEqual(cluster.truth().guestbook, [{startMs: T0 + 200}]);
	cluster.stop();
});

test('Foreground deletion keeps the owner (with its finalizer) until its dependents are gone; Orphan leaves them ownerless', () => {
	const {cluster, clock} = testWorld();
	const result = cluster.delete('deployments', 'default', 'redis-leader', {propagationPolicy: 'Foreground'});
	assert.equal(result.kind, 'object');
	assert.deepEqual(result.kind === 'object' && result.object.metadata.finalizers, ['foregroundDeletion']);
	clock.advance(1000);
	assert.ok(cluster.store.get('deployments', 'default', 'redis-leader'), 'waits for its pods');
	clock.advance(5000);
	assert.equal(cluster.store.get('deployments', 'default', 'redis-leader'), undefined);
	assert.equal(cluster.store.list('replicasets', 'default').filter(rs => rs.metadata.name.startsWith('redis-leader-')).length, 0);
	assert.equal(deploymentPods(cluster, 'default', 'redis-leader').length, 0);

	const orphaned = cluster.delete('deployments', 'default', 'redis-follower', {propagationPolicy: 'Orphan'});
	assert.equal(orphaned.kind, 'object');
	clock.advance(1000);
	assert.equal(cluster.store.get('deployments', 'default', 'redis-follower'), undefined);
	const [rs] = cluster.store.list('replicasets', 'default').filter(candidate => candidate.metadata.name.startsWith('redis-follower-'));
	assert.ok(rs);
	assert.equal(rs.metadata.ownerReferences, undefined);
	assert.equal(deploymentPods(cluster, 'default', 'redis-follower').filter(pod => isReady(pod)).length, 2);
	cluster.stop();
});

test('the addon manager recreates a deleted kube-dns Deployment within its 60 s interval; the autoscaler brings it back to 2', () => {
	const {cluster, clock} = testWorld();
	cluster.start();
	const before = cluster.store.get('deployments', 'kube-system', 'kube-dns')!;
	cluster.delete('deployments', 'kube-system', 'kube-dns', {});
	clock.advance(59_999);
	assert.equal(cluster.store.get('deployments', 'kube-system', 'kube-dns'), undefined);
	assert.equal(deploymentPods(cluster, 'kube-system', 'kube-dns').length, 0);
	clock.advance(1);
	const restored = cluster.store.get('deployments', 'kube-system', 'kube-dns')!;
	assert.ok(restored);
	assert.notEqual(restored.metadata.uid, before.metadata.uid);
	assert.equal(restored.metadata.labels?.['addonmanager.kubernetes.io/mode'], 'Reconcile');
	// Deployment sync 100, ReplicaSet 200, schedule 100, kubelet 20, running 1500, ready 3000.
	clock.advance(4919);
	assert.equal(deploymentPods(cluster, 'kube-system', 'kube-dns').filter(pod => isReady(pod)).length, 0);
	clock.advance(1); // T0+64920
	// The manifest has no replicas (the autoscaler owns them); its poll in the same tick makes it 2.
	clock.advance(20_000);
	assert.equal(cluster.store.get('deployments', 'kube-system', 'kube-dns')?.spec.replicas, 2);
	assert.equal(deploymentPods(cluster, 'kube-system', 'kube-dns').filter(pod => isReady(pod)).length, 2);
	// DNS was down from the pods' termination (GC at 100 + 100 ms) until the first new pod was programmed.
	assert.deepEqual(cluster.truth().dns, [{startMs: T0 + 200, endMs: T0 + 64_920 + 750 + 350}]);
	cluster.stop();
});

test('the addon manager resets an edited add-on to its manifest and recreates deleted add-on Services and DaemonSets', () => {
	const {cluster, clock} = testWorld();
	cluster.start();
	const backend = cluster.store.get('deployments', 'kube-system', 'l7-default-backend')!;
	const edited = structuredClone(backend);
	edited.spec.template.spec.containers[0].image = 'k8s.gcr.io/defaultbackend-amd64:9.9';
	cluster.replace('deployments', 'kube-system', 'l7-default-backend', edited);
	cluster.delete('services', 'kube-system', 'kube-dns', {});
	cluster.delete('daemonsets', 'kube-system', 'fluentd-gcp-v3.2.0', {});
	clock.advance(30_000);
	assert.equal(cluster.store.get('services', 'kube-system', 'kube-dns'), undefined);
	assert.equal(cluster.store.get('endpoints', 'kube-system', 'kube-dns'), undefined, 'endpoints go with their service');
	assert.equal(cluster.truth().dns.length, 1, 'no kube-dns Service: DNS is down');
	clock.advance(30_000);
	assert.equal(cluster.store.get('deployments', 'kube-system', 'l7-default-backend')?.spec.template.spec.containers[0].image, 'k8s.gcr.io/defaultbackend-amd64:1.5');
	assert.equal(cluster.store.get('services', 'kube-system', 'kube-dns')?.spec.clusterIP, '10.0.0.10');
	assert.ok(cluster.store.get('daemonsets', 'kube-system', 'fluentd-gcp-v3.2.0'));
	clock.advance(10_000);
	assert.ok(cluster.truth().dns[0].endMs, 'DNS back with its Service');
	const fluentd = cluster.store.list('pods', 'kube-system').filter(pod => pod.metadata.name.startsWith('fluentd-gcp-v3.2.0-'));
	assert.equal(fluentd.filter(pod => isReady(pod)).length, 3);
	cluster.stop();
	assert.equal((clock as any).pendingCount, 0, 'stop() cancels every timer');
});

test('a template change rolls out: a surge pod first, old pods go only as new ones are available, DNS stays up', () => {
	const {cluster, clock} = testWorld();
	const before = new Set(deploymentPods(cluster, 'kube-system', 'kube-dns').map(pod => pod.metadata.name));
	const deployment = structuredClone(cluster.store.get('deployments', 'kube-system', 'kube-dns')!);
	deployment.spec.template.metadata.annotations = {...deployment.spec.template.metadata.annotations, 'kubectl.kubernetes.io/restartedAt': '2026-03-18T10:00:00Z'};
	cluster.replace('deployments', 'kube-system', 'kube-dns', deployment);
	clock.advance(1000);
	const replicaSets = cluster.store.list('replicasets', 'kube-system').filter(rs => /^kube-dns-[a-z0-9]{10}$/.test(rs.metadata.name));
	assert.equal(replicaSets.length, 2);
	assert.deepEqual(replicaSets.map(rs => rs.spec.replicas).sort(), [1, 2], 'maxSurge 1, maxUnavailable 0');
	assert.ok(deploymentPods(cluster, 'kube-system', 'kube-dns').filter(pod => before.has(pod.metadata.name)).every(pod => !pod.metadata.deletionTimestamp));
	clock.advance(30_000);
	const after = deploymentPods(cluster, 'kube-system', 'kube-dns');
	assert.equal(after.length, 2);
	assert.ok(after.every(pod => !before.has(pod.metadata.name) && isReady(pod)));
	const status = cluster.store.get('deployments', 'kube-system', 'kube-dns')!.status;
	assert.deepEqual([status.replicas, status.updatedReplicas, status.readyReplicas, status.availableReplicas], [2, 2, 2, 2]);
	assert.deepEqual(cluster.truth(), {guestbook: [], dns: [], nodesNotReady: {}});
	cluster.stop();
});
