import assert from 'node:assert/strict';
import {test} from 'node:test';
import {manualClock} from '../../../source/time/clock.js';
import {kubeDnsReplicas} from '../../../source/sim/world/gke-profile.js';
import {createCluster} from '../../../source/sim/world/index.js';

test('nodes: 5000 builds tens of thousands of objects directly, in seconds', () => {
	const started = performance.now();
	const cluster = createCluster({clock: manualClock(), nodes: 5000});
	const elapsed = performance.now() - started;
	console.log(`# createCluster({nodes: 5000}) took ${Math.round(elapsed)} ms`);
	const dnsReplicas = kubeDnsReplicas(5000);
	assert.equal(dnsReplicas, 313);
	// fluentd and kube-proxy on every node, kube-dns scaled by the autoscaler's rule, 6 other add-ons, 6 guestbook pods.
	assert.equal(cluster.store.list('pods', 'kube-system').length, (2 * 5000) + dnsReplicas + 6);
	assert.equal(cluster.store.list('pods').length, (2 * 5000) + dnsReplicas + 6 + 6);
	assert.equal(cluster.store.list('nodes').length, 5000);
	assert.equal(new Set(cluster.store.list('nodes').map(node => node.metadata.name)).size, 5000);
	assert.ok(cluster.store.list('nodes').every(node => /^gke-demo-default-pool-0dacde9e-[a-z0-9]{4}$/.test(node.metadata.name)));
	assert.equal(cluster.store.get('daemonsets', 'kube-system', 'fluentd-gcp-v3.2.0')?.status.numberReady, 5000);
	assert.deepEqual(cluster.truth(), {guestbook: [], dns: [], nodesNotReady: {}});
	cluster.stop();
});

test('kube-dns-autoscaler\'s linear rule', () => {
	assert.equal(kubeDnsReplicas(1), 1);
	assert.equal(kubeDnsReplicas(3), 2);
	assert.equal(kubeDnsReplicas(100), 7);
});
