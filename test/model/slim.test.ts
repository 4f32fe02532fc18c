import {test} from 'node:test';
import assert from 'node:assert/strict';
import {componentOf, isMirrorPod, ownerIndexFromReplicaSets} from '../../source/model/component.js';
import {observePod} from '../../source/model/measurement.js';
import {podDisplay, type PodLike} from '../../source/model/pod-status.js';
import {slimEvent, slimOwner, slimPod} from '../../source/model/slim.js';

const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

// Whole pods as an API server sends them, with what the screen never reads (managed fields,
// volumes, env, images) around what it does: init containers and a sidecar, waiting and
// terminated states, restarts, a terminating mirror pod.
function wholePod(name: string): PodLike {
	const whole: unknown = {
		metadata: {
			name,
			namespace: 'kube-system',
			uid: `uid-${name}`,
			resourceVersion: '4242',
			creationTimestamp: iso(t0 - 3_600_000),
			labels: {'k8s-app': 'kube-dns', 'pod-template-hash': '7df4cb66cb'},
			annotations: {'kubectl.kubernetes.io/last-applied-configuration': '{"a":1}'.repeat(200)},
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'kube-dns-7df4cb66cb', uid: 'uid-rs', controller: true}],
			managedFields: [{manager: 'kubelet', fieldsV1: {f: 'x'.repeat(2000)}}],
		},
		spec: {
			nodeName: 'node-a',
			volumes: [{name: 'config', configMap: {name: 'kube-dns'}}],
			initContainers: [
				{name: 'init', image: 'busybox'},
				{name: 'sidecar', image: 'envoy', restartPolicy: 'Always'},
			],
			containers: [
				{name: 'kubedns', image: 'k8s.gcr.io/k8s-dns-kube-dns:1.15', env: [{name: 'A', value: 'b'}]},
				{name: 'dnsmasq', image: 'k8s.gcr.io/k8s-dns-dnsmasq:1.15'},
			],
		},
		status: {
			phase: 'Running',
			hostIP: '10.0.0.1',
			podIP: '10.4.0.7',
			conditions: [
				{type: 'PodScheduled', status: 'True', lastTransitionTime: iso(t0 - 3_600_000)},
				{type: 'Ready', status: 'False', reason: 'ContainersNotReady'},
			],
			initContainerStatuses: [
				{name: 'init', ready: true, restartCount: 0, image: 'busybox', state: {terminated: {exitCode: 0, reason: 'Completed', startedAt: iso(t0 - 3_500_000), finishedAt: iso(t0 - 3_400_000)}}},
				{name: 'sidecar', ready: true, started: true, restartCount: 2, state: {running: {startedAt: iso(t0 - 60_000)}}, lastState: {terminated: {exitCode: 1, reason: 'Error', finishedAt: iso(t0 - 61_000)}}},
			],
			containerStatuses: [
				{name: 'kubedns', ready: false, restartCount: 5, imageID: 'sha256:abc', state: {waiting: {reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container'}}, lastState: {terminated: {exitCode: 137, signal: 9, reason: 'OOMKilled', startedAt: iso(t0 - 200_000), finishedAt: iso(t0 - 120_000)}}},
				{name: 'dnsmasq', ready: true, restartCount: 0, state: {running: {startedAt: iso(t0 - 3_300_000)}}},
			],
		},
	};
	return whole as PodLike;
}

test('a slim pod shows, groups and measures exactly as the whole pod does, and keeps none of the rest', () => {
	const mirror = wholePod('kube-proxy-node-a');
	mirror.metadata = {...mirror.metadata, annotations: {'kubernetes.io/config.mirror': 'abc', 'kubernetes.io/config.source': 'file'}, ownerReferences: [], deletionTimestamp: iso(t0 - 1000)};
	const owners = ownerIndexFromReplicaSets([{metadata: {name: 'kube-dns-7df4cb66cb', ownerReferences: [{kind: 'Deployment', name: 'kube-dns', controller: true}]}}]);
	for (const whole of [wholePod('kube-dns-7df4cb66cb-9ft98'), mirror]) {
		const slim = slimPod(whole);
		for (const now of [t0, t0 + 90_000, t0 + 86_400_000]) {
			assert.deepEqual(podDisplay(slim, now), podDisplay(whole, now));
		}

		assert.deepEqual(observePod(slim), observePod(whole));
		assert.deepEqual(componentOf(slim, owners), componentOf(whole, owners));
		assert.equal(isMirrorPod(slim), isMirrorPod(whole));
		const text = JSON.stringify(slim);
		for (const dropped of ['managedFields', 'last-applied', 'volumes', 'image', 'env', 'podIP', 'config.source']) {
			assert.ok(!text.includes(dropped), `${dropped} is dropped`);
		}

		assert.equal((slim.metadata as {resourceVersion?: string}).resourceVersion, '4242', 'the informer resumes from it');
	}
});

test('a slim owner keeps kind, replicas and scheduling counts; a slim event what the panel shows', () => {
	const owner = slimOwner({
		kind: 'DaemonSet',
		metadata: {name: 'fluentd', namespace: 'kube-system', uid: 'u', labels: {a: 'b'}},
		spec: {replicas: 3, template: {spec: {containers: [{name: 'x'}]}}} as never,
		status: {desiredNumberScheduled: 10, numberReady: 9},
	});
	assert.deepEqual(owner.spec, {replicas: 3});
	assert.equal(owner.status?.desiredNumberScheduled, 10);
	assert.equal(owner.kind, 'DaemonSet');
	const event = slimEvent({
		metadata: {name: 'e', namespace: 'kube-system', uid: 'ue', creationTimestamp: iso(t0)},
		type: 'Warning',
		reason: 'BackOff',
		message: 'Back-off restarting failed container',
		count: 3,
		involvedObject: {kind: 'Pod', name: 'kube-dns-1', namespace: 'kube-system', fieldPath: 'spec.containers{kubedns}'} as never,
		lastTimestamp: iso(t0 + 5),
		source: {component: 'kubelet'},
	} as never);
	assert.deepEqual(event.involvedObject, {kind: 'Pod', name: 'kube-dns-1', namespace: 'kube-system'});
	assert.equal(event.message, 'Back-off restarting failed container');
	assert.equal((event as Record<string, unknown>).source, undefined);
});
