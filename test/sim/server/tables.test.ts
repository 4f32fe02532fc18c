// Table rows for the recorded kind 1.33 objects, cell for cell as kubectl shows them there.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {toTable} from '../../../source/sim/server/tables.js';
import type {KubeObject, Resource} from '../../../source/sim/store.js';
import {loadItems} from '../../helpers/fixtures.js';

const nowMs = Date.parse('2025-08-10T00:55:05Z');

function row(resource: Resource, object: KubeObject, wide = true): unknown[] {
	const table = toTable(resource, [object], '1', nowMs);
	const cells = table.rows[0].cells;
	return wide ? cells : cells.filter((_cell, index) => table.columnDefinitions[index].priority === 0);
}

test('nodes: status, roles from node-role labels, version, and the wide columns', () => {
	const [controlPlane, worker] = loadItems<KubeObject>('nodes.json');
	assert.deepEqual(row('nodes', controlPlane), [
		'troubleshoot-test-control-plane',
		'Ready',
		'control-plane',
		'120m',
		'v1.33.1',
		'172.18.0.2',
		'<none>',
		'Debian GNU/Linux 12 (bookworm)',
		'6.10.14-linuxkit',
		'containerd://2.1.1',
	]);
	assert.equal(row('nodes', worker)[2], '<none>');
});

test('daemonsets, deployments and services as kubectl get prints them', () => {
	const kubeProxy = loadItems<KubeObject>('daemonsets-kube-system.json').find(object => object.metadata.name === 'kube-proxy')!;
	assert.deepEqual(row('daemonsets', kubeProxy, false), ['kube-proxy', 2, 2, 2, 2, 2, 'kubernetes.io/os=linux', '120m']);
	assert.equal(row('daemonsets', kubeProxy).at(-1), 'k8s-app=kube-proxy');
	const [coredns] = loadItems<KubeObject>('deployments-kube-system.json');
	assert.deepEqual(row('deployments', coredns, false), ['coredns', '2/2', 2, 2, '120m']);
	assert.deepEqual(row('deployments', coredns).slice(5), ['coredns', 'registry.k8s.io/coredns/coredns:v1.12.0', 'k8s-app=kube-dns']);
	const [kubeDns] = loadItems<KubeObject>('services-kube-system.json');
	assert.deepEqual(row('services', kubeDns), ['kube-dns', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP', '120m', 'k8s-app=kube-dns']);
});

test('endpoints: at most three address:port pairs, then "+ N more..."', () => {
	const [kubeDns] = loadItems<KubeObject>('endpoints-kube-system.json');
	assert.deepEqual(row('endpoints', kubeDns), ['kube-dns', '10.244.0.2:53,10.244.0.4:53,10.244.0.2:53 + 3 more...', '119m']);
	const empty: KubeObject = {apiVersion: 'v1', kind: 'Endpoints', metadata: {name: 'quiet', creationTimestamp: '2025-08-10T00:55:00Z'}};
	assert.deepEqual(row('endpoints', empty), ['quiet', '<none>', '5s']);
});

test('events: last seen, type, reason, kind/name, message; first seen and count at priority 1', () => {
	const event: KubeObject = {
		apiVersion: 'v1',
		kind: 'Event',
		metadata: {name: 'kube-dns-abc.17', namespace: 'kube-system'},
		involvedObject: {kind: 'Pod', name: 'kube-dns-abc', namespace: 'kube-system', fieldPath: 'spec.containers{kubedns}'},
		reason: 'Killing',
		message: 'Stopping container kubedns\n',
		type: 'Normal',
		source: {component: 'kubelet', host: 'node-a'},
		firstTimestamp: '2025-08-10T00:50:05Z',
		lastTimestamp: '2025-08-10T00:54:35Z',
		count: 3,
	};
	const table = toTable('events', [event], '1', nowMs);
	assert.deepEqual(table.columnDefinitions.filter(column => column.priority === 0).map(column => column.name), ['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
	assert.deepEqual(table.rows[0].cells, ['30s', 'Normal', 'Killing', 'pod/kube-dns-abc', 'spec.containers{kubedns}', 'kubelet, node-a', 'Stopping container kubedns', '5m', '3', 'kube-dns-abc.17']);
});

test('a pod row takes READY/STATUS/RESTARTS/AGE from podDisplay and shows <none> for what is missing', () => {
	const pending: KubeObject = {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name: 'waiting', namespace: 'default', creationTimestamp: '2025-08-10T00:54:55Z'},
		spec: {containers: [{name: 'main'}]},
		status: {phase: 'Pending'},
	};
	assert.deepEqual(row('pods', pending), ['waiting', '0/1', 'Pending', '0', '10s', '<none>', '<none>', '<none>', '<none>']);
	const table = toTable('pods', [pending], '7', nowMs);
	assert.equal(table.metadata.resourceVersion, '7');
	assert.deepEqual(table.rows[0].object, {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pending.metadata});
});
