// What differs between the simulated clusters: their nodes and addresses, their kube-system
// add-ons and static pods, and which GKE-only controllers (addon manager, kube-dns-autoscaler)
// run. Everything else (controllers, kubelets, network) is the same world.
import type {Profile} from '../cluster.js';
import type {KubeObject} from '../store.js';
import {
	addonManifests, kubeDnsReplicas, kubeProxyStaticPod, kubernetesService, masterIp, nodeAddressing, nodeNames, nodeObject,
} from './gke-profile.js';
import {kindDaemonSets, kindDeployments, kindNodes, kindServices, kindStaticPods} from './kind-data.js';

export type ProfileDefinition = {
	name: Profile;
	defaultNodes: number;
	namespaces: string[];
	/** Node objects (condition times are set when the world is built). */
	nodes(count: number): KubeObject[];
	addressing(index: number): {internalIp: string; podCidrPrefix: string};
	/** The n-th free ClusterIP of the service range. */
	serviceIp(n: number): string;
	addons: {deployments: KubeObject[]; daemonsets: KubeObject[]; services: KubeObject[]};
	/** GKE's addon manager reconciles the add-ons every 60 s. */
	addonManager: boolean;
	/** GKE's kube-dns-autoscaler sets kube-dns replicas from the node count. */
	kubeDnsReplicas?: (nodes: number) => number;
	/** The static pods the kubelet of a node runs (mirror pods without status). */
	staticPods(nodeName: string, index: number): KubeObject[];
	/** From 1.17 on, mirror pods are owned by their Node. */
	mirrorPodsOwnedByNode: boolean;
	kubernetesService: KubeObject;
	apiServerEndpoint: {ip: string; port: number};
};

export const gkeProfile: ProfileDefinition = {
	name: 'gke-1.11',
	defaultNodes: 3,
	namespaces: ['default', 'kube-system', 'kube-public'],
	nodes: count => nodeNames(count).map((name, index) => nodeObject(name, index)),
	addressing: nodeAddressing,
	serviceIp: n => `10.0.${Math.floor(n / 250) % 16}.${(n % 250) + 2}`,
	addons: addonManifests(),
	addonManager: true,
	kubeDnsReplicas,
	staticPods: nodeName => [kubeProxyStaticPod(nodeName)],
	mirrorPodsOwnedByNode: false,
	kubernetesService: kubernetesService(),
	apiServerEndpoint: {ip: masterIp, port: 443},
};

function kindAddressing(index: number): {internalIp: string; podCidrPrefix: string} {
	return {
		internalIp: `172.18.${Math.floor((index + 2) / 256)}.${(index + 2) % 256}`,
		podCidrPrefix: `10.${244 + Math.floor(index / 256)}.${index % 256}`,
	};
}

function kindNode(index: number): KubeObject {
	if (index === 0) {
		return structuredClone(kindNodes[0]);
	}

	const node = structuredClone(kindNodes[1]);
	const name = index === 1 ? 'kind-worker' : `kind-worker${index}`;
	const {internalIp, podCidrPrefix} = kindAddressing(index);
	node.metadata.name = name;
	node.metadata.labels = {...node.metadata.labels, 'kubernetes.io/hostname': name};
	node.spec.podCIDR = `${podCidrPrefix}.0/24`;
	node.spec.podCIDRs = [node.spec.podCIDR];
	node.spec.providerID = `kind://docker/kind/${name}`;
	node.status.addresses = [{type: 'InternalIP', address: internalIp}, {type: 'Hostname', address: name}];
	return node;
}

export const kindProfile: ProfileDefinition = {
	name: 'kind',
	defaultNodes: 2,
	namespaces: ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'],
	nodes: count => Array.from({length: count}, (_, index) => kindNode(index)),
	addressing: kindAddressing,
	serviceIp: n => `10.96.${Math.floor(n / 250) % 256}.${(n % 250) + 2}`,
	addons: {deployments: kindDeployments, daemonsets: kindDaemonSets, services: kindServices},
	addonManager: false,
	staticPods: (nodeName, index) => (index === 0 ? kindStaticPods.map(pod => ({...structuredClone(pod), spec: {...structuredClone(pod.spec), nodeName}})) : []),
	mirrorPodsOwnedByNode: true,
	kubernetesService: {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name: 'kubernetes', namespace: 'default', labels: {component: 'apiserver', provider: 'kubernetes'}},
		spec: {ports: [{name: 'https', protocol: 'TCP', port: 443, targetPort: 6443}], clusterIP: '10.96.0.1', type: 'ClusterIP', sessionAffinity: 'None'},
	},
	apiServerEndpoint: {ip: '172.18.0.2', port: 6443},
};

export function profileNamed(name: Profile | undefined): ProfileDefinition {
	switch (name ?? 'gke-1.11') {
		case 'gke-1.11': {
			return gkeProfile;
		}

		case 'kind': {
			return kindProfile;
		}

		default: {
			throw new Error(`unknown profile ${name}: use gke-1.11 or kind`);
		}
	}
}
