// A small, deterministic SimCluster on the real Store, for testing the API server's protocol
// without the simulated world's controllers: a few namespaces, nodes, pods and services;
// deletes finish after a short grace; exec and the service proxy answer from fixed tables.
import type {DeleteOptions, DeleteResult, ExecResult, ProxyResult, SimCluster, Truth} from '../../source/sim/cluster.js';
import {simClock, type SimClock} from '../../source/sim/clock.js';
import {systemClock} from '../../source/time/clock.js';
import {Store, StoreError, type KubeObject, type Resource} from '../../source/sim/store.js';

export type FakeCluster = SimCluster & {
	metricsUp: boolean;
	/** Names `getent hosts` resolves (name → address); others exit 2. */
	hosts: Map<string, string>;
	/** What the proxy answers for any path. */
	proxyAnswer: ProxyResult;
	execCalls: Array<{namespace: string; pod: string; container?: string; command: string[]}>;
};

const kinds: Record<Resource, [string, string]> = {
	namespaces: ['v1', 'Namespace'],
	nodes: ['v1', 'Node'],
	pods: ['v1', 'Pod'],
	services: ['v1', 'Service'],
	endpoints: ['v1', 'Endpoints'],
	events: ['v1', 'Event'],
	configmaps: ['v1', 'ConfigMap'],
	serviceaccounts: ['v1', 'ServiceAccount'],
	deployments: ['apps/v1', 'Deployment'],
	replicasets: ['apps/v1', 'ReplicaSet'],
	daemonsets: ['apps/v1', 'DaemonSet'],
	statefulsets: ['apps/v1', 'StatefulSet'],
};

export function object(resource: Resource, metadata: KubeObject['metadata'], rest: Partial<KubeObject> = {}): KubeObject {
	const [apiVersion, kind] = kinds[resource];
	return {apiVersion, kind, metadata, ...rest};
}

export function runningPod(namespace: string, name: string, options: {containers?: string[]; labels?: Record<string, string>; node?: string; ip?: string; ready?: boolean; restarts?: number} = {}): KubeObject {
	const containers = options.containers ?? ['main'];
	const ready = options.ready ?? true;
	const startedAt = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
	return object('pods', {name, namespace, labels: options.labels ?? {}}, {
		spec: {nodeName: options.node ?? 'node-a', containers: containers.map(container => ({name: container, image: `example/${container}:1`})), terminationGracePeriodSeconds: 30},
		status: {
			phase: 'Running',
			podIP: options.ip ?? '10.0.0.1',
			conditions: [{type: 'Ready', status: ready ? 'True' : 'False'}],
			containerStatuses: containers.map(container => ({
				name: container,
				ready,
				restartCount: options.restarts ?? 0,
				state: {running: {startedAt}},
				image: `example/${container}:1`,
			})),
		},
	});
}

export function createFakeCluster(options: {clock?: SimClock; deleteDelayMs?: number} = {}): FakeCluster {
	const clock = options.clock ?? simClock(systemClock({unref: true}));
	const store = new Store({now: () => clock.now()});
	const seed = (resource: Resource, value: KubeObject) => store.create(resource, value);
	for (const name of ['default', 'kube-system']) {
		seed('namespaces', object('namespaces', {name}, {status: {phase: 'Active'}}));
	}

	for (const name of ['node-a', 'node-b']) {
		seed('nodes', object('nodes', {name, labels: {'kubernetes.io/hostname': name}}, {
			status: {conditions: [{type: 'Ready', status: 'True'}], nodeInfo: {kubeletVersion: 'v1.11.10-gke.5'}, addresses: [{type: 'InternalIP', address: '10.128.0.2'}]},
		}));
	}

	seed('pods', runningPod('kube-system', 'kube-dns-788979dc8f-aaaaa', {containers: ['kubedns', 'dnsmasq', 'sidecar', 'prometheus-to-sd'], labels: {'k8s-app': 'kube-dns'}, ip: '10.0.0.2'}));
	seed('pods', runningPod('kube-system', 'kube-dns-788979dc8f-bbbbb', {containers: ['kubedns', 'dnsmasq', 'sidecar', 'prometheus-to-sd'], labels: {'k8s-app': 'kube-dns'}, node: 'node-b', ip: '10.0.1.2', restarts: 3}));
	seed('pods', runningPod('kube-system', 'kube-proxy-node-a', {labels: {component: 'kube-proxy', tier: 'node'}, ip: '10.128.0.2'}));
	seed('pods', runningPod('default', 'frontend-abc-xxxxx', {containers: ['php-redis'], labels: {app: 'guestbook', tier: 'frontend'}, ip: '10.0.0.9'}));
	seed('deployments', object('deployments', {name: 'kube-dns', namespace: 'kube-system', labels: {'k8s-app': 'kube-dns'}}, {
		spec: {replicas: 2, selector: {matchLabels: {'k8s-app': 'kube-dns'}}, template: {spec: {containers: [{name: 'kubedns', image: 'k8s.gcr.io/k8s-dns-kube-dns-amd64:1.14.13'}]}}},
		status: {replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2},
	}));
	seed('services', object('services', {name: 'frontend', namespace: 'default', labels: {app: 'guestbook'}}, {
		spec: {type: 'ClusterIP', clusterIP: '10.3.240.20', ports: [{port: 80, protocol: 'TCP'}], selector: {app: 'guestbook', tier: 'frontend'}},
	}));
	seed('services', object('services', {name: 'metrics-server', namespace: 'kube-system', labels: {'k8s-app': 'metrics-server'}}, {
		spec: {type: 'ClusterIP', clusterIP: '10.3.240.30', ports: [{port: 443, protocol: 'TCP'}], selector: {'k8s-app': 'metrics-server'}},
	}));
	seed('endpoints', object('endpoints', {name: 'frontend', namespace: 'default'}, {
		subsets: [{addresses: [{ip: '10.0.0.9'}], ports: [{port: 80, protocol: 'TCP'}]}],
	}));
	seed('events', object('events', {name: 'kube-dns-788979dc8f-aaaaa.1', namespace: 'kube-system'}, {
		involvedObject: {kind: 'Pod', namespace: 'kube-system', name: 'kube-dns-788979dc8f-aaaaa'},
		reason: 'Started',
		message: 'Started container kubedns',
		type: 'Normal',
		source: {component: 'kubelet', host: 'node-a'},
		firstTimestamp: new Date(clock.now() - 30_000).toISOString(),
		lastTimestamp: new Date(clock.now() - 30_000).toISOString(),
		count: 1,
	}));

	const deleteDelayMs = options.deleteDelayMs ?? 200;
	const cluster: FakeCluster = {
		store,
		clock,
		metricsUp: true,
		hosts: new Map([['redis-follower', '10.3.250.10']]),
		proxyAnswer: {status: 200, contentType: 'application/json', body: '{"data": ""}'},
		execCalls: [],
		start() {},
		stop() {
			clock.stop();
		},
		create(resource, value) {
			return store.create(resource, value);
		},
		replace(resource, namespace, name, value) {
			return store.update(resource, namespace, name, draft => {
				draft.metadata.labels = value.metadata.labels;
				draft.metadata.annotations = value.metadata.annotations;
				if (value.spec !== undefined) {
					draft.spec = value.spec;
				}

				if (value.status !== undefined) {
					draft.status = value.status;
				}

				for (const [field, fieldValue] of Object.entries(value)) {
					if (!['apiVersion', 'kind', 'metadata', 'spec', 'status'].includes(field)) {
						draft[field] = fieldValue;
					}
				}
			});
		},
		delete(resource, namespace, name, deleteOptions: DeleteOptions): DeleteResult {
			const current = store.mustGet(resource, namespace, name);
			if (resource !== 'pods') {
				store.remove(resource, namespace, name);
				return {kind: 'status', details: {name, group: current.apiVersion.includes('/') ? current.apiVersion.split('/')[0] : undefined, kind: resource, uid: current.metadata.uid!}};
			}

			if (current.metadata.deletionTimestamp) {
				return {kind: 'object', object: current};
			}

			const grace = deleteOptions.gracePeriodSeconds ?? 30;
			const marked = store.update(resource, namespace, name, draft => {
				draft.metadata.deletionTimestamp = new Date(clock.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
				draft.metadata.deletionGracePeriodSeconds = grace;
			});
			const uid = marked.metadata.uid;
			clock.after(grace === 0 ? 0 : deleteDelayMs, () => {
				if (store.get(resource, namespace, name)?.metadata.uid === uid) {
					store.remove(resource, namespace, name);
				}
			});
			return {kind: 'object', object: marked};
		},
		async exec(namespace, pod, container, command): Promise<ExecResult> {
			store.mustGet('pods', namespace, pod);
			cluster.execCalls.push({namespace, pod, container, command});
			if (command[0] === 'getent' && command[1] === 'hosts') {
				const address = cluster.hosts.get(command[2]);
				return address ? {stdout: `${address}    ${command[2]}.default.svc.cluster.local\n`, stderr: '', exitCode: 0} : {stdout: '', stderr: '', exitCode: 2};
			}

			if (command[0] === 'echo') {
				return {stdout: command.slice(1).join(' ') + '\n', stderr: '', exitCode: 0};
			}

			return {stdout: '', stderr: `sh: ${command[0]}: not found\n`, exitCode: 127};
		},
		async proxyService(namespace, service, _port, _pathAndQuery): Promise<ProxyResult> {
			if (!store.get('services', namespace, service)) {
				throw new StoreError(404, 'NotFound', `services "${service}" not found`);
			}

			return cluster.proxyAnswer;
		},
		kubeletUnreachable: () => undefined,
		metricsAvailable: () => cluster.metricsUp,
		truth: (): Truth => ({guestbook: [{startMs: 1, endMs: 2}], dns: [], nodesNotReady: {}}),
	};
	return cluster;
}
