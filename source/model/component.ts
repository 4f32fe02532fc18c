// Which component a pod belongs to: the unit a person thinks in when knocking things down
// (measurement.md "Component"). A Deployment (through its ReplicaSet), a DaemonSet, a
// StatefulSet, a Job, the mirror pods of one static manifest across nodes, or a bare pod.
import type {OwnerReferenceLike, PodLike} from './pod-status.js';

/** Kubelet: a node's kubelet, a systemd unit (the component of a node experiment, never of a pod). */
export type ComponentKind = 'Deployment' | 'DaemonSet' | 'StatefulSet' | 'ReplicaSet' | 'Job' | 'StaticPod' | 'Pod' | 'Kubelet';

/** The components that have an object of their own to delete (mode workload); a static or bare pod has none. */
export type WorkloadKind = Extract<ComponentKind, 'Deployment' | 'DaemonSet' | 'StatefulSet'>;

export function isWorkloadKind(kind: string): kind is WorkloadKind {
	return kind === 'Deployment' || kind === 'DaemonSet' || kind === 'StatefulSet';
}

export type ComponentRef = {
	kind: ComponentKind;
	name: string;
	/** Unique per namespace and stable across pod replacements, e.g. "deployment/kube-dns", "static/kube-proxy", "pod/foo". */
	key: string;
};

/** Resolves a ReplicaSet to the workload that controls it (normally its Deployment). */
export type OwnerIndex = {
	replicaSetOwner(namespace: string, rsName: string): {kind: string; name: string} | undefined;
};

export type ComponentGroup<P extends PodLike = PodLike> = {component: ComponentRef; pods: P[]};

const keyPrefix: Record<ComponentKind, string> = {
	Deployment: 'deployment',
	DaemonSet: 'daemonset',
	StatefulSet: 'statefulset',
	ReplicaSet: 'replicaset',
	Job: 'job',
	StaticPod: 'static',
	Pod: 'pod',
	Kubelet: 'kubelet',
};

export function componentRef(kind: ComponentKind, name: string): ComponentRef {
	return {kind, name, key: `${keyPrefix[kind]}/${name}`};
}

export const mirrorAnnotation = 'kubernetes.io/config.mirror';

type Owned = {metadata?: {ownerReferences?: OwnerReferenceLike[] | null} | null};

/** The controlling owner, as apimachinery's GetControllerOf; hand-made objects without the flag fall back to the only owner. */
function controllerOf(object: Owned): OwnerReferenceLike | undefined {
	const owners = object.metadata?.ownerReferences ?? [];
	return owners.find(owner => owner.controller === true) ?? (owners.length === 1 ? owners[0] : undefined);
}

/**
 * A mirror pod is the API server's copy of a static pod the kubelet runs from a manifest:
 * it carries the config.mirror annotation, and since Kubernetes 1.17 the Node as its owner.
 */
export function isMirrorPod(pod: PodLike): boolean {
	if (pod.metadata?.annotations?.[mirrorAnnotation] !== undefined) return true;
	return (pod.metadata?.ownerReferences ?? []).some(owner => owner.kind === 'Node');
}

// The kubelet names a mirror pod `<manifest name>-<node name>`; removing the node name gives
// the name shared by the same static pod on every node (kube-proxy-<node> → kube-proxy).
function staticPodName(pod: PodLike): string {
	const name = pod.metadata?.name ?? '';
	const nodeOwner = (pod.metadata?.ownerReferences ?? []).find(owner => owner.kind === 'Node');
	for (const nodeName of [pod.spec?.nodeName, nodeOwner?.name]) {
		if (nodeName && name.length > nodeName.length + 1 && name.endsWith(`-${nodeName}`)) {
			return name.slice(0, -(nodeName.length + 1));
		}
	}

	return name;
}

// A Deployment names its ReplicaSets `<deployment>-<pod-template-hash>` and labels the pods
// with that hash, so the Deployment's name can be recovered when the ReplicaSet is unknown
// (not yet seen by the informer, or no permission to list ReplicaSets).
function deploymentNameFromReplicaSet(pod: PodLike, rsName: string): string | undefined {
	const hash = pod.metadata?.labels?.['pod-template-hash'];
	if (hash && rsName.length > hash.length + 1 && rsName.endsWith(`-${hash}`)) {
		return rsName.slice(0, -(hash.length + 1));
	}

	return undefined;
}

/** The component a pod belongs to. Without an OwnerIndex, Deployments are recovered from the pod-template-hash. */
export function componentOf(pod: PodLike, owners?: OwnerIndex): ComponentRef {
	const podName = pod.metadata?.name ?? '';
	if (isMirrorPod(pod)) return componentRef('StaticPod', staticPodName(pod));

	const controller = controllerOf(pod);
	switch (controller?.kind) {
		case 'ReplicaSet': {
			const rsOwner = owners?.replicaSetOwner(pod.metadata?.namespace ?? '', controller.name);
			if (rsOwner?.kind === 'Deployment') return componentRef('Deployment', rsOwner.name);
			if (rsOwner) return componentRef('ReplicaSet', controller.name);
			const deployment = deploymentNameFromReplicaSet(pod, controller.name);
			return deployment ? componentRef('Deployment', deployment) : componentRef('ReplicaSet', controller.name);
		}

		case 'DaemonSet':
		case 'StatefulSet':
		case 'Job': {
			return componentRef(controller.kind, controller.name);
		}

		default: {
			// No controller, or one this tool does not model (ReplicationController, custom
			// resources): the pod is its own component, so it can still be watched and killed.
			return componentRef('Pod', podName);
		}
	}
}

type ReplicaSetLike = {
	metadata?: {name?: string; namespace?: string; ownerReferences?: OwnerReferenceLike[] | null} | null;
};

/** An OwnerIndex over a list of ReplicaSets (a list response or an informer's cache). */
export function ownerIndexFromReplicaSets(replicaSets: Iterable<ReplicaSetLike>): OwnerIndex {
	const byKey = new Map<string, {kind: string; name: string}>();
	for (const rs of replicaSets) {
		const owner = controllerOf(rs);
		if (owner && rs.metadata?.name) byKey.set(`${rs.metadata.namespace ?? ''}/${rs.metadata.name}`, {kind: owner.kind, name: owner.name});
	}

	return {replicaSetOwner: (namespace, rsName) => byKey.get(`${namespace}/${rsName}`)};
}

function compareComponents(a: ComponentRef, b: ComponentRef): number {
	if (a.name !== b.name) return a.name < b.name ? -1 : 1;
	return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Pods grouped by component, components sorted by name; pods keep their input order. */
export function groupByComponent<P extends PodLike>(pods: Iterable<P>, owners?: OwnerIndex): Array<ComponentGroup<P>> {
	const groups = new Map<string, ComponentGroup<P>>();
	for (const pod of pods) {
		const component = componentOf(pod, owners);
		const group = groups.get(component.key);
		if (group) group.pods.push(pod);
		else groups.set(component.key, {component, pods: [pod]});
	}

	return [...groups.values()].sort((a, b) => compareComponents(a.component, b.component));
}

const kindAliases: Record<string, ComponentKind> = {
	deployment: 'Deployment',
	deployments: 'Deployment',
	deploy: 'Deployment',
	daemonset: 'DaemonSet',
	daemonsets: 'DaemonSet',
	ds: 'DaemonSet',
	statefulset: 'StatefulSet',
	statefulsets: 'StatefulSet',
	sts: 'StatefulSet',
	replicaset: 'ReplicaSet',
	replicasets: 'ReplicaSet',
	rs: 'ReplicaSet',
	job: 'Job',
	jobs: 'Job',
	static: 'StaticPod',
	staticpod: 'StaticPod',
	pod: 'Pod',
	pods: 'Pod',
	po: 'Pod',
};

// When one name is several components (a Deployment and a bare pod both called "web"), the
// workload is what a person means.
const kindPreference: ComponentKind[] = ['Deployment', 'DaemonSet', 'StatefulSet', 'StaticPod', 'ReplicaSet', 'Job', 'Pod'];

function preferred(candidates: ComponentRef[]): ComponentRef | undefined {
	return [...candidates].sort((a, b) => kindPreference.indexOf(a.kind) - kindPreference.indexOf(b.kind))[0];
}

/**
 * The component a user's argument names, or undefined. Accepts the workload name
 * (`kube-dns`, `fluentd-gcp-v3.2.0`), kind/name with kubectl's short kinds (`deployment/kube-dns`,
 * `ds/fluentd-gcp-v3.2.0`, `static/kube-proxy`), the name without its version suffix when that
 * is unambiguous (`fluentd-gcp` → `fluentd-gcp-v3.2.0`), and a mirror pod's full name
 * (`kube-proxy-gke-demo-default-pool-0dacde9e-dvbd` → static `kube-proxy`).
 */
export function matchComponent(arg: string, components: ComponentRef[]): ComponentRef | undefined {
	const wanted = arg.trim().toLowerCase();
	if (wanted === '') return undefined;

	const slash = wanted.indexOf('/');
	if (slash !== -1) {
		const kind = kindAliases[wanted.slice(0, slash)];
		const name = wanted.slice(slash + 1);
		if (!kind || name === '') return undefined;
		return components.find(component => component.kind === kind && component.name === name);
	}

	const exact = preferred(components.filter(component => component.name === wanted));
	if (exact) return exact;

	// Version-suffixed add-ons (fluentd-gcp-v3.2.0, heapster-v1.6.0-beta.1) by their stem.
	// A prefix of pod names (kube-proxy-gke) names nothing: only a pod's whole name names its
	// pod (the caller looks those up), so a guess never widens what is deleted.
	const versioned = components.filter(component => new RegExp(`^${escapeRegExp(wanted)}-v\\d`).test(component.name));
	return versioned.length === 1 ? versioned[0] : undefined;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
