import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import {
	componentOf,
	componentRef,
	groupByComponent,
	isMirrorPod,
	matchComponent,
	ownerIndexFromReplicaSets,
	type OwnerIndex,
} from '../../source/model/component.js';
import type {PodLike} from '../../source/model/pod-status.js';
import {copy, loadItem, loadItems} from '../helpers/fixtures.js';

const kindPods = () => loadItems<PodLike>('pods-kube-system.json');
const kindPod = (name: string) => loadItem<PodLike>('pods-kube-system.json', name);

// gke-1.11 as in the talk: kube-proxy ran as static pods whose mirror pods carry the
// config.mirror annotation and no ownerReferences (the Node owner came with Kubernetes 1.17).
const gkeNodes = ['gke-demo-default-pool-0dacde9e-dvbd', 'gke-demo-default-pool-0dacde9e-gc4m', 'gke-demo-default-pool-0dacde9e-lr6s'];

function gkeKubeProxy(node: string): PodLike {
	return {
		metadata: {
			name: `kube-proxy-${node}`,
			namespace: 'kube-system',
			annotations: {'kubernetes.io/config.mirror': 'a1b2c3', 'kubernetes.io/config.source': 'file'},
			labels: {component: 'kube-proxy', tier: 'node'},
		},
		spec: {nodeName: node, containers: [{name: 'kube-proxy'}]},
	};
}

function gkeFluentd(suffix: string, node: string): PodLike {
	return {
		metadata: {
			name: `fluentd-gcp-v3.2.0-${suffix}`,
			namespace: 'kube-system',
			labels: {'k8s-app': 'fluentd-gcp', 'controller-revision-hash': '1234567890', 'pod-template-generation': '1'},
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd-gcp-v3.2.0', uid: 'u1', controller: true}],
		},
		spec: {nodeName: node, containers: [{name: 'fluentd-gcp'}, {name: 'prometheus-to-sd-exporter'}]},
	};
}

function gkeReplicaSetPod(name: string, rsName: string, hash: string): PodLike {
	return {
		metadata: {
			name,
			namespace: 'kube-system',
			labels: {'pod-template-hash': hash},
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: 'u2', controller: true}],
		},
		spec: {nodeName: gkeNodes[0], containers: [{name: 'main'}]},
	};
}

const gkePods = (): PodLike[] => [
	gkeReplicaSetPod('kube-dns-7df4cb66cb-9ft98', 'kube-dns-7df4cb66cb', '7df4cb66cb'),
	gkeReplicaSetPod('kube-dns-7df4cb66cb-wvhpz', 'kube-dns-7df4cb66cb', '7df4cb66cb'),
	gkeReplicaSetPod('heapster-v1.6.0-beta.1-74f4bbc55c-52khj', 'heapster-v1.6.0-beta.1-74f4bbc55c', '74f4bbc55c'),
	gkeFluentd('6gq6r', gkeNodes[0]!),
	gkeFluentd('8h5hp', gkeNodes[1]!),
	gkeFluentd('pb44f', gkeNodes[2]!),
	...gkeNodes.map(gkeKubeProxy),
];

describe('componentOf on the recorded kind 1.33 kube-system pods', () => {
	test('coredns pods belong to the coredns Deployment via their ReplicaSet', () => {
		const rsIndex = ownerIndexFromReplicaSets([{
			metadata: {
				name: 'coredns-674b8bbfcf',
				namespace: 'kube-system',
				ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns', uid: 'x', controller: true}],
			},
		}]);
		assert.deepEqual(componentOf(kindPod('coredns-674b8bbfcf-2w2lv'), rsIndex), {kind: 'Deployment', name: 'coredns', key: 'deployment/coredns'});
	});

	test('without a ReplicaSet index the Deployment is the RS name minus the pod-template-hash', () => {
		assert.equal(componentOf(kindPod('coredns-674b8bbfcf-rhhtc')).key, 'deployment/coredns');
	});

	test('the OwnerIndex wins over the name: an RS owned by a Deployment with another name', () => {
		const index: OwnerIndex = {replicaSetOwner: (ns, rs) => (ns === 'kube-system' && rs === 'coredns-674b8bbfcf' ? {kind: 'Deployment', name: 'dns'} : undefined)};
		assert.equal(componentOf(kindPod('coredns-674b8bbfcf-rhhtc'), index).key, 'deployment/dns');
	});

	test('a ReplicaSet without the hash label and unknown to the index is its own component', () => {
		// Changed: the pod-template-hash label removed.
		const pod = copy(kindPod('coredns-674b8bbfcf-rhhtc'));
		delete pod.metadata!.labels!['pod-template-hash'];
		assert.deepEqual(componentOf(pod), {kind: 'ReplicaSet', name: 'coredns-674b8bbfcf', key: 'replicaset/coredns-674b8bbfcf'});
	});

	test('kube-proxy and kindnet pods belong to their DaemonSets', () => {
		assert.equal(componentOf(kindPod('kube-proxy-cb9ks')).key, 'daemonset/kube-proxy');
		assert.equal(componentOf(kindPod('kindnet-sljdg')).key, 'daemonset/kindnet');
	});

	test('control-plane mirror pods owned by the Node are static components named without the node', () => {
		for (const name of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
			const pod = kindPod(`${name}-troubleshoot-test-control-plane`);
			assert.equal(isMirrorPod(pod), true);
			assert.deepEqual(componentOf(pod), {kind: 'StaticPod', name, key: `static/${name}`});
		}
	});

	test('a Node owner alone (no annotation) still marks a mirror pod', () => {
		// Changed: the annotations removed from the recorded etcd mirror pod.
		const pod = copy(kindPod('etcd-troubleshoot-test-control-plane'));
		pod.metadata!.annotations = {};
		assert.equal(componentOf(pod).key, 'static/etcd');
	});

	test('groupByComponent: 10 pods, 7 components, sorted by name', () => {
		const groups = groupByComponent(kindPods());
		assert.deepEqual(
			groups.map(group => `${group.component.key}:${group.pods.length}`),
			[
				'deployment/coredns:2',
				'static/etcd:1',
				'daemonset/kindnet:2',
				'static/kube-apiserver:1',
				'static/kube-controller-manager:1',
				'daemonset/kube-proxy:2',
				'static/kube-scheduler:1',
			],
		);
	});
});

describe('componentOf on gke-1.11 style objects', () => {
	test('kube-proxy mirror pods with the annotation and no owner are one static component', () => {
		assert.equal(componentOf(gkeKubeProxy('gke-demo-default-pool-0dacde9e-dvbd')).key, 'static/kube-proxy');
		const groups = groupByComponent(gkePods());
		const kubeProxy = groups.find(group => group.component.key === 'static/kube-proxy');
		assert.equal(kubeProxy?.pods.length, 3);
	});

	test('a mirror pod whose name does not end in its node keeps its full name', () => {
		const pod = gkeKubeProxy('gke-demo-default-pool-0dacde9e-dvbd');
		pod.spec!.nodeName = 'another-node';
		assert.equal(componentOf(pod).name, 'kube-proxy-gke-demo-default-pool-0dacde9e-dvbd');
	});

	test('fluentd DaemonSet pods and version-suffixed Deployments', () => {
		const groups = groupByComponent(gkePods());
		assert.deepEqual(
			groups.map(group => `${group.component.key}:${group.pods.length}`),
			['daemonset/fluentd-gcp-v3.2.0:3', 'deployment/heapster-v1.6.0-beta.1:1', 'deployment/kube-dns:2', 'static/kube-proxy:3'],
		);
	});

	test('a bare pod is its own component; a pod with an unmodelled controller too', () => {
		assert.deepEqual(componentOf({metadata: {name: 'debug-shell'}}), {kind: 'Pod', name: 'debug-shell', key: 'pod/debug-shell'});
		const rcPod: PodLike = {metadata: {name: 'old-rc-abcde', ownerReferences: [{kind: 'ReplicationController', name: 'old-rc', controller: true}]}};
		assert.equal(componentOf(rcPod).key, 'pod/old-rc-abcde');
	});

	test('StatefulSet and Job owners', () => {
		assert.equal(componentOf({metadata: {name: 'db-0', ownerReferences: [{kind: 'StatefulSet', name: 'db', controller: true}]}}).key, 'statefulset/db');
		assert.equal(componentOf({metadata: {name: 'backup-28000000-x1', ownerReferences: [{kind: 'Job', name: 'backup-28000000', controller: true}]}}).key, 'job/backup-28000000');
	});

	test('a non-controller owner is ignored when a controller owner is present', () => {
		const pod: PodLike = {metadata: {name: 'p', ownerReferences: [
			{kind: 'ConfigMap', name: 'cm', controller: false},
			{kind: 'DaemonSet', name: 'agent', controller: true},
		]}};
		assert.equal(componentOf(pod).key, 'daemonset/agent');
	});
});

describe('matchComponent', () => {
	const components = groupByComponent(gkePods()).map(group => group.component);
	const withDnsPod = [...components, componentRef('Pod', 'kube-dns')];

	test('by workload name', () => {
		assert.equal(matchComponent('kube-dns', components)?.key, 'deployment/kube-dns');
		assert.equal(matchComponent('fluentd-gcp-v3.2.0', components)?.key, 'daemonset/fluentd-gcp-v3.2.0');
		assert.equal(matchComponent('  Kube-DNS ', components)?.key, 'deployment/kube-dns');
	});

	test('by kind/name with kubectl short kinds', () => {
		assert.equal(matchComponent('deployment/kube-dns', components)?.key, 'deployment/kube-dns');
		assert.equal(matchComponent('deploy/kube-dns', components)?.key, 'deployment/kube-dns');
		assert.equal(matchComponent('ds/fluentd-gcp-v3.2.0', components)?.key, 'daemonset/fluentd-gcp-v3.2.0');
		assert.equal(matchComponent('daemonset/fluentd-gcp-v3.2.0', components)?.key, 'daemonset/fluentd-gcp-v3.2.0');
		assert.equal(matchComponent('static/kube-proxy', components)?.key, 'static/kube-proxy');
		assert.equal(matchComponent('pod/kube-dns', withDnsPod)?.key, 'pod/kube-dns');
	});

	test('the wrong kind, an unknown kind or an empty name matches nothing', () => {
		assert.equal(matchComponent('ds/kube-dns', components), undefined);
		assert.equal(matchComponent('svc/kube-dns', components), undefined);
		assert.equal(matchComponent('deployment/', components), undefined);
		assert.equal(matchComponent('', components), undefined);
		assert.equal(matchComponent('nothing-here', components), undefined);
	});

	test('a static pod by its name; a prefix of its pods\' names is no component (a pod\'s full name is findComponent\'s)', () => {
		assert.equal(matchComponent('kube-proxy', components)?.key, 'static/kube-proxy');
		assert.equal(matchComponent('kube-proxy-gke', components), undefined);
		assert.equal(matchComponent('kube-proxy-gke-demo-default-pool-0dacde9e-dvbd', components), undefined);
	});

	test('a version-suffixed add-on by its stem, only when unambiguous', () => {
		assert.equal(matchComponent('fluentd-gcp', components)?.key, 'daemonset/fluentd-gcp-v3.2.0');
		assert.equal(matchComponent('heapster', components)?.key, 'deployment/heapster-v1.6.0-beta.1');
		const twoVersions = [...components, componentRef('DaemonSet', 'fluentd-gcp-v3.3.0')];
		assert.equal(matchComponent('fluentd-gcp', twoVersions), undefined);
	});

	test('a name shared by a workload and a bare pod means the workload', () => {
		assert.equal(matchComponent('kube-dns', withDnsPod)?.key, 'deployment/kube-dns');
	});
});
