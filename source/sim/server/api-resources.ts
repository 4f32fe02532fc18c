// What the simulated API server serves: one descriptor per resource, and the legacy
// discovery documents (/api, /apis, /api/v1, /apis/apps/v1) built from them, shaped like a
// real 1.33 server's (fixtures/kind-1.33/resources.json, groups.json).
import type {Profile} from '../cluster.js';
import type {Resource} from '../store.js';

export type ResourceInfo = {
	resource: Resource;
	group: '' | 'apps';
	version: 'v1';
	kind: string;
	listKind: string;
	singularName: string;
	namespaced: boolean;
	shortNames?: string[];
	categories?: string[];
	verbs: string[];
};

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function info(resource: Resource, group: '' | 'apps', kind: string, singularName: string, extra: Partial<ResourceInfo> = {}): ResourceInfo {
	return {resource, group, version: 'v1', kind, listKind: `${kind}List`, singularName, namespaced: true, verbs: allVerbs, ...extra};
}

export const resourceInfos: ResourceInfo[] = [
	info('configmaps', '', 'ConfigMap', 'configmap', {shortNames: ['cm']}),
	info('endpoints', '', 'Endpoints', 'endpoints', {shortNames: ['ep']}),
	info('events', '', 'Event', 'event', {shortNames: ['ev']}),
	info('namespaces', '', 'Namespace', 'namespace', {namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']}),
	info('nodes', '', 'Node', 'node', {namespaced: false, shortNames: ['no']}),
	info('pods', '', 'Pod', 'pod', {shortNames: ['po'], categories: ['all']}),
	info('serviceaccounts', '', 'ServiceAccount', 'serviceaccount', {shortNames: ['sa']}),
	info('services', '', 'Service', 'service', {shortNames: ['svc'], categories: ['all']}),
	info('daemonsets', 'apps', 'DaemonSet', 'daemonset', {shortNames: ['ds'], categories: ['all']}),
	info('deployments', 'apps', 'Deployment', 'deployment', {shortNames: ['deploy'], categories: ['all']}),
	info('replicasets', 'apps', 'ReplicaSet', 'replicaset', {shortNames: ['rs'], categories: ['all']}),
	info('statefulsets', 'apps', 'StatefulSet', 'statefulset', {shortNames: ['sts'], categories: ['all']}),
];

const byGroupAndName = new Map(resourceInfos.map(entry => [`${entry.group}/${entry.resource}`, entry]));

export function findResource(group: string, resource: string): ResourceInfo | undefined {
	return byGroupAndName.get(`${group}/${resource}`);
}

export function groupVersionOf(entry: {group: string; version: string}): string {
	return entry.group ? `${entry.group}/${entry.version}` : entry.version;
}

/** Subresources listed in discovery (only some are served; see server.ts). */
const subresources: Array<{name: string; group: '' | 'apps'; kind: string; namespaced: boolean; verbs: string[]; subGroup?: string; subVersion?: string}> = [
	{name: 'namespaces/status', group: '', kind: 'Namespace', namespaced: false, verbs: ['get', 'patch', 'update']},
	{name: 'nodes/status', group: '', kind: 'Node', namespaced: false, verbs: ['get', 'patch', 'update']},
	{name: 'pods/exec', group: '', kind: 'PodExecOptions', namespaced: true, verbs: ['create', 'get']},
	{name: 'pods/log', group: '', kind: 'Pod', namespaced: true, verbs: ['get']},
	{name: 'pods/status', group: '', kind: 'Pod', namespaced: true, verbs: ['get', 'patch', 'update']},
	{name: 'services/proxy', group: '', kind: 'ServiceProxyOptions', namespaced: true, verbs: ['create', 'delete', 'get', 'patch', 'update']},
	{name: 'services/status', group: '', kind: 'Service', namespaced: true, verbs: ['get', 'patch', 'update']},
	{name: 'daemonsets/status', group: 'apps', kind: 'DaemonSet', namespaced: true, verbs: ['get', 'patch', 'update']},
	{name: 'deployments/scale', group: 'apps', kind: 'Scale', namespaced: true, verbs: ['get', 'patch', 'update'], subGroup: 'autoscaling', subVersion: 'v1'},
	{name: 'deployments/status', group: 'apps', kind: 'Deployment', namespaced: true, verbs: ['get', 'patch', 'update']},
	{name: 'replicasets/status', group: 'apps', kind: 'ReplicaSet', namespaced: true, verbs: ['get', 'patch', 'update']},
	{name: 'statefulsets/status', group: 'apps', kind: 'StatefulSet', namespaced: true, verbs: ['get', 'patch', 'update']},
];

export function apiResourceList(group: '' | 'apps'): unknown {
	const entries: Array<{sortKey: string; value: Record<string, unknown>}> = [];
	for (const entry of resourceInfos.filter(candidate => candidate.group === group)) {
		const value: Record<string, unknown> = {
			name: entry.resource,
			singularName: entry.singularName,
			namespaced: entry.namespaced,
			kind: entry.kind,
			verbs: entry.verbs,
		};
		if (entry.shortNames) {
			value.shortNames = entry.shortNames;
		}

		if (entry.categories) {
			value.categories = entry.categories;
		}

		entries.push({sortKey: entry.resource, value});
	}

	for (const sub of subresources.filter(candidate => candidate.group === group)) {
		const [parent] = sub.name.split('/');
		const parentInfo = findResource(group, parent)!;
		entries.push({
			sortKey: sub.name,
			value: {
				name: sub.name,
				singularName: parentInfo.singularName,
				namespaced: sub.namespaced,
				...(sub.subGroup ? {group: sub.subGroup, version: sub.subVersion} : {}),
				kind: sub.kind,
				verbs: sub.verbs,
			},
		});
	}

	entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
	return {kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/v1` : 'v1', resources: entries.map(entry => entry.value)};
}

export const metricsGroupVersion = 'metrics.k8s.io/v1beta1';

export function metricsResourceList(): unknown {
	return {
		kind: 'APIResourceList',
		apiVersion: 'v1',
		groupVersion: metricsGroupVersion,
		resources: [
			{name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list']},
			{name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list']},
		],
	};
}

/** Only what `kubectl auth can-i` needs: SelfSubjectAccessReview, answered from the --forbid rules. */
export function authorizationResourceList(): unknown {
	return {
		kind: 'APIResourceList',
		apiVersion: 'v1',
		groupVersion: 'authorization.k8s.io/v1',
		resources: [{name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create']}],
	};
}

export function apiVersions(serverAddress: string): unknown {
	return {
		kind: 'APIVersions',
		versions: ['v1'],
		serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}],
	};
}

function group(name: string, version: string): unknown {
	const groupVersion = {groupVersion: `${name}/${version}`, version};
	return {name, versions: [groupVersion], preferredVersion: groupVersion};
}

/** `withMetrics`: whether the metrics.k8s.io APIService is registered (the cluster ships metrics-server). */
export function apiGroupList(withMetrics: boolean): unknown {
	const groups = [group('apps', 'v1'), group('authorization.k8s.io', 'v1')];
	if (withMetrics) {
		groups.push(group('metrics.k8s.io', 'v1beta1'));
	}

	return {kind: 'APIGroupList', apiVersion: 'v1', groups};
}

export function apiGroup(name: string, withMetrics = true): unknown | undefined {
	if (name === 'apps') {
		return {kind: 'APIGroup', apiVersion: 'v1', ...(group('apps', 'v1') as object)};
	}

	if (name === 'authorization.k8s.io') {
		return {kind: 'APIGroup', apiVersion: 'v1', ...(group('authorization.k8s.io', 'v1') as object)};
	}

	if (name === 'metrics.k8s.io' && withMetrics) {
		return {kind: 'APIGroup', apiVersion: 'v1', ...(group('metrics.k8s.io', 'v1beta1') as object)};
	}

	return undefined;
}

/** /version as the profile's real server answered it. */
export function versionInfo(profile: Profile): unknown {
	if (profile === 'kind') {
		return {
			major: '1',
			minor: '33',
			emulationMajor: '1',
			emulationMinor: '33',
			minCompatibilityMajor: '1',
			minCompatibilityMinor: '32',
			gitVersion: 'v1.33.1',
			gitCommit: '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828',
			gitTreeState: 'clean',
			buildDate: '2025-05-15T08:19:08Z',
			goVersion: 'go1.24.2',
			compiler: 'gc',
			platform: 'linux/amd64',
		};
	}

	return {
		major: '1',
		minor: '11+',
		gitVersion: 'v1.11.7-gke.4',
		gitCommit: 'ad8a7a8b4d6a7c2b5e6ac7a9fd0b8f6bb8b21a4f',
		gitTreeState: 'clean',
		buildDate: '2019-05-06T16:52:30Z',
		goVersion: 'go1.10.8b4',
		compiler: 'gc',
		platform: 'linux/amd64',
	};
}
