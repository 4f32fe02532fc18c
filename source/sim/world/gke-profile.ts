// The world of the talk: GKE 1.11.7-gke.4, three nodes, the default add-ons and the
// guestbook. Manifests here are the "files" the addon manager reconciles from, so a
// deleted add-on comes back exactly as it was first created.
import type {KubeObject} from '../store.js';
import {sha256Hex} from './util.js';

export const kubeletVersion = 'v1.11.7-gke.4';
export const nodeNamePrefix = 'gke-demo-default-pool-0dacde9e-';
const talkNodeSuffixes = ['dvbd', 'gc4m', 'lr6s'];
export const masterIp = '35.200.127.41';
/** cores per node (n1-standard-2) — what kube-dns-autoscaler's linear rule counts. */
export const coresPerNode = 2;

const reconcileLabels = {
	'addonmanager.kubernetes.io/mode': 'Reconcile',
	'kubernetes.io/cluster-service': 'true',
};

const criticalTolerations = [{key: 'CriticalAddonsOnly', operator: 'Exists'}];

/** The talk's three node names first, then more with fresh random suffixes. */
export function nodeNames(count: number): string[] {
	const names = talkNodeSuffixes.slice(0, count).map(suffix => nodeNamePrefix + suffix);
	const taken = new Set(names);
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
	while (names.length < count) {
		let suffix = '';
		for (let i = 0; i < 4; i++) {
			suffix += alphabet[Math.floor(Math.random() * alphabet.length)];
		}

		const name = nodeNamePrefix + suffix;
		if (!taken.has(name)) {
			taken.add(name);
			names.push(name);
		}
	}

	return names;
}

/** Node i's addresses: GKE gives every node a /24 of the 10.4.0.0/14 pod range. */
export function nodeAddressing(index: number): {internalIp: string; externalIp: string; podCidrPrefix: string} {
	return {
		internalIp: `10.146.${Math.floor(index / 250)}.${2 + (index % 250)}`,
		externalIp: `35.${200 + Math.floor(index / 62_500) % 50}.${Math.floor(index / 250) % 250}.${2 + (index % 250)}`,
		podCidrPrefix: `10.${4 + Math.floor(index / 256)}.${index % 256}`,
	};
}

export function nodeObject(name: string, index: number): KubeObject {
	const {internalIp, externalIp, podCidrPrefix} = nodeAddressing(index);
	const zone = 'asia-northeast1-a';
	const conditions = [
		['FrequentUnregisterNetDevice', 'False', 'UnregisterNetDevice', 'node is functioning properly'],
		['KernelDeadlock', 'False', 'KernelHasNoDeadlock', 'kernel has no deadlock'],
		['NetworkUnavailable', 'False', 'RouteCreated', 'RouteController created a route'],
		['OutOfDisk', 'False', 'KubeletHasSufficientDisk', 'kubelet has sufficient disk space available'],
		['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
		['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
		['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
		['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status. AppArmor enabled'],
	];
	return {
		apiVersion: 'v1',
		kind: 'Node',
		metadata: {
			name,
			labels: {
				'beta.kubernetes.io/arch': 'amd64',
				'beta.kubernetes.io/fluentd-ds-ready': 'true',
				'beta.kubernetes.io/instance-type': 'n1-standard-2',
				'beta.kubernetes.io/os': 'linux',
				'cloud.google.com/gke-nodepool': 'default-pool',
				'cloud.google.com/gke-os-distribution': 'cos',
				'failure-domain.beta.kubernetes.io/region': 'asia-northeast1',
				'failure-domain.beta.kubernetes.io/zone': zone,
				'kubernetes.io/hostname': name,
			},
			annotations: {
				'container.googleapis.com/instance_id': String(1_000_000_000_000_000_000n + BigInt(index) * 7919n),
				'node.alpha.kubernetes.io/ttl': '0',
				'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
			},
		},
		spec: {
			podCIDR: `${podCidrPrefix}.0/24`,
			providerID: `gce://knockdown-demo/${zone}/${name}`,
		},
		status: {
			capacity: {cpu: String(coresPerNode), 'ephemeral-storage': '98868448Ki', 'hugepages-2Mi': '0', memory: '7657476Ki', pods: '110'},
			allocatable: {cpu: '1930m', 'ephemeral-storage': '47093746742', 'hugepages-2Mi': '0', memory: '5777412Ki', pods: '110'},
			// Times are filled in when the world is built (they depend on the clock).
			conditions: conditions.map(([type, status, reason, message]) => ({type, status, reason, message})),
			addresses: [
				{type: 'InternalIP', address: internalIp},
				{type: 'ExternalIP', address: externalIp},
				{type: 'Hostname', address: name},
			],
			daemonEndpoints: {kubeletEndpoint: {Port: 10_250}},
			nodeInfo: {
				machineID: sha256Hex(`machine-${name}`).slice(0, 32),
				systemUUID: sha256Hex(`uuid-${name}`).slice(0, 32).toUpperCase().replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
				bootID: sha256Hex(`boot-${name}`).slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
				kernelVersion: '4.14.89+',
				osImage: 'Container-Optimized OS from Google',
				containerRuntimeVersion: 'docker://17.3.2',
				kubeletVersion,
				kubeProxyVersion: kubeletVersion,
				operatingSystem: 'linux',
				architecture: 'amd64',
			},
		},
	};
}

type ContainerSpec = Record<string, unknown> & {name: string; image: string};

function podTemplate(labels: Record<string, string>, containers: ContainerSpec[], extra: Record<string, unknown> = {}, annotations?: Record<string, string>): any {
	return {
		metadata: {labels, ...(annotations ? {annotations} : {})},
		spec: {
			containers: containers.map(container => ({
				imagePullPolicy: 'IfNotPresent',
				resources: {},
				terminationMessagePath: '/dev/termination-log',
				terminationMessagePolicy: 'File',
				...container,
			})),
			restartPolicy: 'Always',
			terminationGracePeriodSeconds: 30,
			dnsPolicy: 'ClusterFirst',
			securityContext: {},
			schedulerName: 'default-scheduler',
			...extra,
		},
	};
}

function deployment(namespace: string, name: string, labels: Record<string, string>, selector: Record<string, string>, template: any, replicas: number | undefined): KubeObject {
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name, namespace, labels},
		spec: {
			...(replicas === undefined ? {} : {replicas}),
			selector: {matchLabels: selector},
			template,
			strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: '25%', maxSurge: '25%'}},
			revisionHistoryLimit: 10,
			progressDeadlineSeconds: 600,
		},
	};
}

function service(namespace: string, name: string, labels: Record<string, string>, selector: Record<string, string> | undefined, ports: any[], clusterIP?: string, type = 'ClusterIP'): KubeObject {
	return {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name, namespace, labels},
		spec: {
			...(selector ? {selector} : {}),
			ports,
			...(clusterIP ? {clusterIP} : {}),
			type,
			sessionAffinity: 'None',
		},
	};
}

const prometheusToSd = (image: string, component: string): ContainerSpec => ({
	name: 'prometheus-to-sd',
	image,
	command: ['/monitor', `--source=${component}:http://localhost:10054?whitelisted=probe_kubedns_latency_ms,probe_kubedns_errors,dnsmasq_misses,dnsmasq_hits`, '--stackdriver-prefix=container.googleapis.com/internal/addons', '--api-override=https://monitoring.googleapis.com/', '--pod-id=$(POD_NAME)', '--namespace-id=$(POD_NAMESPACE)', '--v=2'],
	env: [
		{name: 'POD_NAME', valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.name'}}},
		{name: 'POD_NAMESPACE', valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.namespace'}}},
	],
});

/** kube-system's Deployments, DaemonSets and Services, as the addon manager's manifests. */
export function addonManifests(): {deployments: KubeObject[]; daemonsets: KubeObject[]; services: KubeObject[]} {
	const ns = 'kube-system';
	const kubeDnsLabels = {'k8s-app': 'kube-dns'};
	const kubeDns = deployment(ns, 'kube-dns', {...kubeDnsLabels, ...reconcileLabels}, kubeDnsLabels, podTemplate(
		kubeDnsLabels,
		[
			{
				name: 'kubedns',
				image: 'k8s.gcr.io/k8s-dns-kube-dns-amd64:1.14.13',
				args: ['--domain=cluster.local.', '--dns-port=10053', '--config-dir=/kube-dns-config', '--v=2'],
				env: [{name: 'PROMETHEUS_PORT', value: '10055'}],
				ports: [
					{name: 'dns-local', containerPort: 10_053, protocol: 'UDP'},
					{name: 'dns-tcp-local', containerPort: 10_053, protocol: 'TCP'},
					{name: 'metrics', containerPort: 10_055, protocol: 'TCP'},
				],
				resources: {limits: {memory: '170Mi'}, requests: {cpu: '100m', memory: '70Mi'}},
				readinessProbe: {httpGet: {path: '/readiness', port: 8081, scheme: 'HTTP'}, initialDelaySeconds: 3, timeoutSeconds: 5, periodSeconds: 10, successThreshold: 1, failureThreshold: 3},
				livenessProbe: {httpGet: {path: '/healthcheck/kubedns', port: 10_054, scheme: 'HTTP'}, initialDelaySeconds: 60, timeoutSeconds: 5, periodSeconds: 10, successThreshold: 1, failureThreshold: 5},
			},
			{
				name: 'dnsmasq',
				image: 'k8s.gcr.io/k8s-dns-dnsmasq-nanny-amd64:1.14.13',
				args: ['-v=2', '-logtostderr', '-configDir=/etc/k8s/dns/dnsmasq-nanny', '-restartDnsmasq=true', '--', '-k', '--cache-size=1000', '--no-negcache', '--log-facility=-', '--server=/cluster.local/127.0.0.1#10053', '--server=/in-addr.arpa/127.0.0.1#10053', '--server=/ip6.arpa/127.0.0.1#10053'],
				ports: [
					{name: 'dns', containerPort: 53, protocol: 'UDP'},
					{name: 'dns-tcp', containerPort: 53, protocol: 'TCP'},
				],
				resources: {requests: {cpu: '150m', memory: '20Mi'}},
				livenessProbe: {httpGet: {path: '/healthcheck/dnsmasq', port: 10_054, scheme: 'HTTP'}, initialDelaySeconds: 60, timeoutSeconds: 5, periodSeconds: 10, successThreshold: 1, failureThreshold: 5},
			},
			{
				name: 'sidecar',
				image: 'k8s.gcr.io/k8s-dns-sidecar-amd64:1.14.13',
				args: ['--v=2', '--logtostderr', '--probe=kubedns,127.0.0.1:10053,kubernetes.default.svc.cluster.local,5,SRV', '--probe=dnsmasq,127.0.0.1:53,kubernetes.default.svc.cluster.local,5,SRV'],
				ports: [{name: 'metrics', containerPort: 10_054, protocol: 'TCP'}],
				resources: {requests: {cpu: '10m', memory: '20Mi'}},
			},
			prometheusToSd('k8s.gcr.io/prometheus-to-sd:v0.4.2', 'kubedns'),
		],
		{dnsPolicy: 'Default', serviceAccountName: 'kube-dns', serviceAccount: 'kube-dns', priorityClassName: 'system-cluster-critical', tolerations: criticalTolerations},
		{'scheduler.alpha.kubernetes.io/critical-pod': '', 'seccomp.security.alpha.kubernetes.io/pod': 'docker/default'},
	// No replicas in the manifest: kube-dns-autoscaler owns that field (as on GKE).
	), undefined);

	const simple = (name: string, app: Record<string, string>, containers: ContainerSpec[], extra: Record<string, unknown> = {}) =>
		deployment(ns, name, {...app, ...reconcileLabels}, app, podTemplate(app, containers, {priorityClassName: 'system-cluster-critical', tolerations: criticalTolerations, ...extra}, {'scheduler.alpha.kubernetes.io/critical-pod': ''}), 1);

	const deployments = [
		simple('event-exporter-v0.2.3', {'k8s-app': 'event-exporter', version: 'v0.2.3'}, [
			{name: 'event-exporter', image: 'k8s.gcr.io/event-exporter:v0.2.3', command: ['/event-exporter', '-sink-opts=-stackdriver-resource-model=old']},
			{name: 'prometheus-to-sd-exporter', image: 'k8s.gcr.io/prometheus-to-sd:v0.4.2', command: ['/monitor', '--stackdriver-prefix=container.googleapis.com/internal/addons', '--api-override=https://monitoring.googleapis.com/', '--source=event_exporter:http://localhost:80?whitelisted=stackdriver_sink_received_entry_count,stackdriver_sink_request_count,stackdriver_sink_successfully_sent_entry_count', '--pod-id=$(POD_NAME)', '--namespace-id=$(POD_NAMESPACE)']},
		], {serviceAccountName: 'event-exporter-sa', serviceAccount: 'event-exporter-sa'}),
		simple('fluentd-gcp-scaler', {'k8s-app': 'fluentd-gcp-scaler'}, [
			{name: 'fluentd-gcp-scaler', image: 'k8s.gcr.io/fluentd-gcp-scaler:0.5.0', command: ['/scaler.sh', '--ds-name=fluentd-gcp-v3.2.0', '--scaling-policy=fluentd-gcp-scaling-policy'], env: [{name: 'CPU_REQUEST', value: '100m'}, {name: 'MEMORY_REQUEST', value: '200Mi'}, {name: 'MEMORY_LIMIT', value: '500Mi'}]},
		], {serviceAccountName: 'fluentd-gcp-scaler', serviceAccount: 'fluentd-gcp-scaler'}),
		simple('heapster-v1.6.0-beta.1', {'k8s-app': 'heapster', version: 'v1.6.0-beta.1'}, [
			{name: 'heapster', image: 'k8s.gcr.io/heapster-amd64:v1.6.0-beta.1', command: ['/heapster', '--source=kubernetes.summary_api:https://kubernetes.default?kubeletHttps=true&kubeletPort=10250', '--sink=stackdriver:?cluster_name=demo&use_old_resources=true&use_new_resources=false&min_interval_sec=100&batch_export_timeout_sec=110'], ports: [{containerPort: 8082, protocol: 'TCP'}], resources: {limits: {cpu: '88m', memory: '204Mi'}, requests: {cpu: '88m', memory: '204Mi'}}, livenessProbe: {httpGet: {path: '/healthz', port: 8082, scheme: 'HTTP'}, initialDelaySeconds: 180, timeoutSeconds: 5, periodSeconds: 10, successThreshold: 1, failureThreshold: 3}},
			{name: 'prom-to-sd', image: 'k8s.gcr.io/prometheus-to-sd:v0.3.1', command: ['/monitor', '--source=heapster:http://localhost:8082?whitelisted=stackdriver_requests_count,stackdriver_timeseries_count', '--stackdriver-prefix=container.googleapis.com/internal/addons', '--api-override=https://monitoring.googleapis.com/', '--pod-id=$(POD_NAME)', '--namespace-id=$(POD_NAMESPACE)']},
			{name: 'heapster-nanny', image: 'k8s.gcr.io/addon-resizer:1.8.3', command: ['/pod_nanny', '--config-dir=/etc/config', '--cpu=80m', '--extra-cpu=0.5m', '--memory=140Mi', '--extra-memory=4Mi', '--threshold=5', '--deployment=heapster-v1.6.0-beta.1', '--container=heapster', '--poll-period=300000', '--estimator=exponential'], resources: {limits: {cpu: '50m', memory: '92960Ki'}, requests: {cpu: '50m', memory: '92960Ki'}}},
		], {serviceAccountName: 'heapster', serviceAccount: 'heapster'}),
		kubeDns,
		simple('kube-dns-autoscaler', {'k8s-app': 'kube-dns-autoscaler'}, [
			{name: 'autoscaler', image: 'k8s.gcr.io/cluster-proportional-autoscaler-amd64:1.1.2-r2', command: ['/cluster-proportional-autoscaler', '--namespace=kube-system', '--configmap=kube-dns-autoscaler', '--target=Deployment/kube-dns', '--default-params={"linear":{"coresPerReplica":256,"nodesPerReplica":16,"preventSinglePointFailure":true}}', '--logtostderr=true', '--v=2'], resources: {requests: {cpu: '20m', memory: '10Mi'}}},
		], {serviceAccountName: 'kube-dns-autoscaler', serviceAccount: 'kube-dns-autoscaler'}),
		simple('l7-default-backend', {'k8s-app': 'glbc', name: 'glbc'}, [
			{name: 'default-http-backend', image: 'k8s.gcr.io/defaultbackend-amd64:1.5', ports: [{containerPort: 8080, protocol: 'TCP'}], resources: {limits: {cpu: '10m', memory: '20Mi'}, requests: {cpu: '10m', memory: '20Mi'}}, livenessProbe: {httpGet: {path: '/healthz', port: 8080, scheme: 'HTTP'}, initialDelaySeconds: 30, timeoutSeconds: 5, periodSeconds: 10, successThreshold: 1, failureThreshold: 3}},
		]),
		simple('metrics-server-v0.2.1', {'k8s-app': 'metrics-server', version: 'v0.2.1'}, [
			{name: 'metrics-server', image: 'k8s.gcr.io/metrics-server-amd64:v0.2.1', command: ['/metrics-server', '--source=kubernetes.summary_api:\'\''], ports: [{name: 'https', containerPort: 443, protocol: 'TCP'}], resources: {limits: {cpu: '43m', memory: '55Mi'}, requests: {cpu: '43m', memory: '55Mi'}}},
			{name: 'metrics-server-nanny', image: 'k8s.gcr.io/addon-resizer:1.8.3', command: ['/pod_nanny', '--config-dir=/etc/config', '--cpu=40m', '--extra-cpu=0.5m', '--memory=35Mi', '--extra-memory=4Mi', '--threshold=5', '--deployment=metrics-server-v0.2.1', '--container=metrics-server', '--poll-period=300000', '--estimator=exponential'], resources: {limits: {cpu: '100m', memory: '300Mi'}, requests: {cpu: '5m', memory: '50Mi'}}},
		], {serviceAccountName: 'metrics-server', serviceAccount: 'metrics-server'}),
	];

	const fluentdLabels = {'k8s-app': 'fluentd-gcp', 'kubernetes.io/cluster-service': 'true', version: 'v3.2.0'};
	const fluentd: KubeObject = {
		apiVersion: 'apps/v1',
		kind: 'DaemonSet',
		metadata: {name: 'fluentd-gcp-v3.2.0', namespace: ns, labels: {...fluentdLabels, ...reconcileLabels}},
		spec: {
			selector: {matchLabels: {'k8s-app': 'fluentd-gcp', version: 'v3.2.0'}},
			template: podTemplate(fluentdLabels, [
				{name: 'fluentd-gcp', image: 'gcr.io/stackdriver-agents/stackdriver-logging-agent:0.6-1.6.0-1', env: [{name: 'NODE_NAME', valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath: 'spec.nodeName'}}}, {name: 'K8S_NODE_NAME', valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath: 'spec.nodeName'}}}], resources: {limits: {cpu: '1', memory: '500Mi'}, requests: {cpu: '100m', memory: '200Mi'}}, livenessProbe: {exec: {command: ['/bin/sh', '-c', 'LIVENESS_THRESHOLD_SECONDS=${LIVENESS_THRESHOLD_SECONDS:-300}; exit 0']}, initialDelaySeconds: 600, timeoutSeconds: 1, periodSeconds: 60, successThreshold: 1, failureThreshold: 3}},
				{name: 'prometheus-to-sd-exporter', image: 'k8s.gcr.io/prometheus-to-sd:v0.3.1', command: ['/monitor', '--stackdriver-prefix=container.googleapis.com/internal/addons', '--api-override=https://monitoring.googleapis.com/', '--source=fluentd:http://localhost:24231?whitelisted=stackdriver_successful_requests_count,stackdriver_failed_requests_count,stackdriver_ingested_entries_count,stackdriver_dropped_entries_count', '--pod-id=$(POD_NAME)', '--namespace-id=$(POD_NAMESPACE)']},
			], {
				hostNetwork: true,
				dnsPolicy: 'Default',
				serviceAccountName: 'fluentd-gcp',
				serviceAccount: 'fluentd-gcp',
				priorityClassName: 'system-node-critical',
				nodeSelector: {'beta.kubernetes.io/fluentd-ds-ready': 'true'},
				terminationGracePeriodSeconds: 60,
				tolerations: [{operator: 'Exists', effect: 'NoExecute'}, {operator: 'Exists', effect: 'NoSchedule'}],
			}, {'scheduler.alpha.kubernetes.io/critical-pod': ''}),
			updateStrategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 1}},
			revisionHistoryLimit: 10,
		},
	};

	const services = [
		service(ns, 'kube-dns', {'k8s-app': 'kube-dns', 'kubernetes.io/name': 'KubeDNS', ...reconcileLabels}, {'k8s-app': 'kube-dns'}, [
			{name: 'dns', protocol: 'UDP', port: 53, targetPort: 53},
			{name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53},
		], '10.0.0.10'),
		service(ns, 'heapster', {'kubernetes.io/name': 'Heapster', ...reconcileLabels}, {'k8s-app': 'heapster'}, [
			{protocol: 'TCP', port: 80, targetPort: 8082},
		]),
		service(ns, 'metrics-server', {'kubernetes.io/name': 'Metrics-server', ...reconcileLabels}, {'k8s-app': 'metrics-server'}, [
			{protocol: 'TCP', port: 443, targetPort: 'https'},
		]),
		service(ns, 'default-http-backend', {'k8s-app': 'glbc', 'kubernetes.io/name': 'GLBCDefaultBackend', ...reconcileLabels}, {'k8s-app': 'glbc'}, [
			{name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 32_208},
		], undefined, 'NodePort'),
	];

	return {deployments, daemonsets: [fluentd], services};
}

/** The GKE tutorial's guestbook (redis-leader, redis-follower, frontend), in `default`. */
export function guestbookManifests(): {deployments: KubeObject[]; services: KubeObject[]} {
	const ns = 'default';
	const leader = {app: 'redis', role: 'leader', tier: 'backend'};
	const follower = {app: 'redis', role: 'follower', tier: 'backend'};
	const frontend = {app: 'guestbook', tier: 'frontend'};
	const requests = {resources: {requests: {cpu: '100m', memory: '100Mi'}}};
	return {
		deployments: [
			deployment(ns, 'redis-leader', leader, leader, podTemplate(leader, [{name: 'leader', image: 'docker.io/redis:6.0.5', ...requests, ports: [{containerPort: 6379, protocol: 'TCP'}]}]), 1),
			deployment(ns, 'redis-follower', follower, follower, podTemplate(follower, [{name: 'follower', image: 'us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower:v2', ...requests, ports: [{containerPort: 6379, protocol: 'TCP'}]}]), 2),
			deployment(ns, 'frontend', frontend, frontend, podTemplate(frontend, [{name: 'php-redis', image: 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5', env: [{name: 'GET_HOSTS_FROM', value: 'dns'}], ...requests, ports: [{containerPort: 80, protocol: 'TCP'}]}]), 3),
		],
		services: [
			service(ns, 'redis-leader', leader, leader, [{protocol: 'TCP', port: 6379, targetPort: 6379}]),
			service(ns, 'redis-follower', follower, follower, [{protocol: 'TCP', port: 6379, targetPort: 6379}]),
			service(ns, 'frontend', frontend, frontend, [{protocol: 'TCP', port: 80, targetPort: 80}]),
		],
	};
}

/** The `kubernetes` Service in default: no selector, its Endpoints point at the master. */
export function kubernetesService(): KubeObject {
	const object = service('default', 'kubernetes', {component: 'apiserver', provider: 'kubernetes'}, undefined, [
		{name: 'https', protocol: 'TCP', port: 443, targetPort: 443},
	], '10.0.0.1');
	return object;
}

/** The kubelet's static pod manifest for kube-proxy on one node (the mirror pod's source). */
export function kubeProxyStaticPod(nodeName: string): KubeObject {
	const hash = sha256Hex(`kube-proxy-manifest-${nodeName}`).slice(0, 32);
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			name: `kube-proxy-${nodeName}`,
			namespace: 'kube-system',
			labels: {component: 'kube-proxy', tier: 'node'},
			annotations: {
				'kubernetes.io/config.hash': hash,
				'kubernetes.io/config.mirror': hash,
				'kubernetes.io/config.seen': '',
				'kubernetes.io/config.source': 'file',
				'scheduler.alpha.kubernetes.io/critical-pod': '',
			},
		},
		spec: {
			containers: [{
				name: 'kube-proxy',
				image: `k8s.gcr.io/kube-proxy:${kubeletVersion}`,
				imagePullPolicy: 'IfNotPresent',
				command: ['/bin/sh', '-c', `exec kube-proxy --master=https://${masterIp} --kubeconfig=/var/lib/kube-proxy/kubeconfig --cluster-cidr=10.4.0.0/14 --resource-container="" --oom-score-adj=-998 --v=2 --iptables-sync-period=1m --iptables-min-sync-period=10s --ipvs-sync-period=1m --ipvs-min-sync-period=10s 1>>/var/log/kube-proxy.log 2>&1`],
				resources: {requests: {cpu: '100m'}},
				securityContext: {privileged: true},
				terminationMessagePath: '/dev/termination-log',
				terminationMessagePolicy: 'File',
			}],
			restartPolicy: 'Always',
			terminationGracePeriodSeconds: 30,
			dnsPolicy: 'ClusterFirst',
			nodeName,
			hostNetwork: true,
			securityContext: {},
			schedulerName: 'default-scheduler',
			priorityClassName: 'system-node-critical',
			priority: 2_000_001_000,
			tolerations: [{operator: 'Exists', effect: 'NoExecute'}, {operator: 'Exists', effect: 'NoSchedule'}],
		},
	};
}

/** How long a container takes from Running to passing its readiness probe. */
export function readinessDelayMs(pod: KubeObject): number {
	return pod.metadata.labels?.['k8s-app'] === 'kube-dns' ? 3000 : 1000;
}

/** kube-dns-autoscaler's linear rule. */
export function kubeDnsReplicas(nodes: number): number {
	const cores = nodes * coresPerNode;
	let replicas = Math.max(Math.ceil(cores / 256), Math.ceil(nodes / 16));
	if (nodes > 1) {
		replicas = Math.max(replicas, 2);
	}

	return replicas;
}

