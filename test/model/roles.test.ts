import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import {componentRef, groupByComponent} from '../../source/model/component.js';
import {roleOf, roleOfName, talkRowFor, talkRows} from '../../source/model/roles.js';
import type {PodLike} from '../../source/model/pod-status.js';
import {loadItems} from '../helpers/fixtures.js';

describe('roleOf', () => {
	test('the talk\'s components, version-suffixed names matched by their stem', () => {
		assert.equal(roleOf(componentRef('StaticPod', 'kube-proxy')), 'manages network traffic');
		assert.equal(roleOf(componentRef('Deployment', 'kube-dns')), 'DNS inside the cluster');
		assert.equal(roleOf(componentRef('Deployment', 'kube-dns-autoscaler')), 'scales kube-dns');
		assert.equal(roleOf(componentRef('DaemonSet', 'fluentd-gcp-v3.2.0')), 'ships container logs to Stackdriver Logging');
		assert.equal(roleOf(componentRef('Deployment', 'fluentd-gcp-scaler')), 'scales fluentd');
		assert.equal(roleOf(componentRef('Deployment', 'event-exporter-v0.2.3')), 'ships kube-apiserver events to Stackdriver Logging');
		assert.equal(roleOf(componentRef('Deployment', 'metrics-server-v0.2.1')), 'serves metrics for the HPA');
		assert.equal(roleOf(componentRef('Deployment', 'heapster-v1.6.0-beta.1')), 'sends metrics to Stackdriver Monitoring');
		assert.equal(roleOf(componentRef('Deployment', 'l7-default-backend')), 'default backend for GKE Ingress');
		assert.equal(roleOfName('kubelet'), 'works with kube-apiserver, starts containers');
	});

	test('every component of the recorded kind cluster has a role', () => {
		const components = groupByComponent(loadItems<PodLike>('pods-kube-system.json')).map(group => group.component);
		for (const component of components) assert.ok(roleOf(component), `${component.key} has a role`);
		assert.equal(roleOf(componentRef('Deployment', 'coredns')), 'DNS inside the cluster');
		assert.equal(roleOf(componentRef('StaticPod', 'kube-scheduler')), 'assigns new pods to nodes');
	});

	test('unknown names and near misses get no role', () => {
		assert.equal(roleOf(componentRef('Deployment', 'guestbook-frontend')), undefined);
		assert.equal(roleOf(componentRef('Deployment', 'heapster-proxy')), undefined); // not heapster-v<digit>
		assert.equal(roleOf(componentRef('Deployment', 'fluentd-gcp-vnext')), undefined);
		assert.equal(roleOf(componentRef('Deployment', 'kube-dns-extra')), undefined);
		assert.equal(roleOfName(''), undefined);
	});
});

describe('talkRowFor', () => {
	test('kubelet: a systemd unit that cannot be stopped through the API', () => {
		const row = talkRowFor('kubelet');
		assert.equal(row?.type, 'systemd unit');
		assert.equal(row?.count, 3);
		assert.equal(row?.expected, false);
		assert.equal(row?.talkImpact, 'service impact');
		assert.match(row?.note ?? '', /cannot be stopped through the Kubernetes API/);
	});

	test('kube-dns was measured (a real outage), kube-proxy was a guess', () => {
		assert.deepEqual(talkRowFor('kube-dns'), {
			name: 'kube-dns',
			type: 'Deployment',
			count: 2,
			talkSays: 'APP → DB through a Service fails: service outage',
			expected: false,
			talkImpact: 'service impact',
		});
		const proxy = talkRowFor('kube-proxy');
		assert.equal(proxy?.name, 'kube-proxy-*');
		assert.equal(proxy?.expected, true);
		assert.equal(talkRowFor('kube-proxy-gke-demo-default-pool-0dacde9e-dvbd')?.name, 'kube-proxy-*');
	});

	test('version-suffixed rows, and the "(expected)" marks as the talk has them', () => {
		assert.equal(talkRowFor('fluentd-gcp-v3.2.0')?.expected, false); // logs stopping was observed
		assert.equal(talkRowFor('fluentd-gcp-scaler')?.name, 'fluentd-gcp-scaler');
		assert.equal(talkRowFor('metrics-server-v0.2.1')?.talkSays, 'no service impact; HPA stops working');
		const expectedRows = talkRows.filter(row => row.expected).map(row => row.name);
		assert.deepEqual(expectedRows, ['kube-proxy-*', 'kube-dns-autoscaler', 'fluentd-gcp-scaler', 'event-exporter-v*', 'metrics-server-v*', 'heapster-v*']);
	});

	test('components the talk left out have no row', () => {
		assert.equal(talkRowFor('l7-default-backend'), undefined);
		assert.equal(talkRowFor('coredns'), undefined);
		assert.equal(talkRowFor('kube-dns-autoscaler')?.name, 'kube-dns-autoscaler');
	});
});
