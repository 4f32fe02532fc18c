// The world's indexes, kept up to date from store events before any controller hears of
// them: the last version of every object, owners and their dependents, pods by node and by
// label, Services by namespace, the nodes in order with their taints, the cluster IPs in
// use, and the kubelets' last known mirror pods. Controllers look things up here rather
// than scan the store's lists, so that a 5000-node world stays fast.
import type {KubeObject, Resource, StoreEvent} from '../store.js';
import {isMirrorPod} from './pods.js';
import {addToIndex, matchesSelector, removeFromIndex} from './util.js';

export type Ref = {resource: Resource; namespace?: string; name: string};

const objectKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

export class Indexes {
	/** The last version of every object (but Events), by `resource|namespace/name`. */
	readonly previous = new Map<string, KubeObject>();
	readonly refByUid = new Map<string, Ref>();
	/** Owner uid → its dependents as `resource|namespace/name`. */
	readonly dependents = new Map<string, Set<string>>();
	readonly podsOnNode = new Map<string, Set<string>>();
	readonly nodeNames: string[] = [];
	readonly nodeIndex = new Map<string, number>();
	readonly usedClusterIps = new Set<string>();
	/** The last known mirror pod of each static pod, by name: the kubelet's own view, kept across mirror deletion. */
	readonly staticPods = new Map<string, KubeObject>();
	/** Bumped whenever a node is added, removed or changed: invalidates what is computed from the node set. */
	nodesVersion = 0;
	private readonly podLabelIndex = new Map<string, Set<string>>();
	private readonly servicesByNamespace = new Map<string, Map<string, KubeObject>>();
	private readonly nodeTaints = new Map<string, any[]>();

	/** Take in a store event; returns the object's previous version. */
	take(event: StoreEvent): KubeObject | undefined {
		const {resource, object, type} = event;
		const key = `${resource}|${objectKey(object.metadata.namespace, object.metadata.name)}`;
		const previous = this.previous.get(key);
		if (previous) {
			this.unindex(resource, previous);
		}

		if (type === 'DELETED') {
			this.previous.delete(key);
		} else {
			this.previous.set(key, object);
			this.index(resource, object);
		}

		return previous;
	}

	/** A node was deleted: it leaves the node list (its pods are the pod garbage collector's). */
	nodeRemoved(nodeName: string): boolean {
		if (!this.nodeIndex.has(nodeName)) {
			return false;
		}

		this.nodeIndex.delete(nodeName);
		this.nodeNames.splice(this.nodeNames.indexOf(nodeName), 1);
		this.nodesVersion++;
		this.staticPods.delete(`kube-proxy-${nodeName}`);
		return true;
	}

	podByKey(key: string): KubeObject | undefined {
		return this.previous.get(`pods|${key}`);
	}

	podByUid(uid: string | undefined): KubeObject | undefined {
		if (!uid) {
			return undefined;
		}

		const ref = this.refByUid.get(uid);
		return ref?.resource === 'pods' ? this.previous.get(`pods|${objectKey(ref.namespace, ref.name)}`) : undefined;
	}

	byUid(uid: string): KubeObject | undefined {
		const ref = this.refByUid.get(uid);
		return ref ? this.previous.get(`${ref.resource}|${objectKey(ref.namespace, ref.name)}`) : undefined;
	}

	podsOn(nodeName: string): KubeObject[] {
		return [...this.podsOnNode.get(nodeName) ?? []].map(key => this.podByKey(key)).filter((pod): pod is KubeObject => Boolean(pod));
	}

	/** Pods in a namespace whose labels match a selector, found through the label index. */
	podsMatching(namespace: string, selector: Record<string, string> | undefined): KubeObject[] {
		if (!selector || Object.keys(selector).length === 0) {
			return [];
		}

		let smallest: Set<string> | undefined;
		for (const [key, value] of Object.entries(selector)) {
			const set = this.podLabelIndex.get(`${namespace}|${key}=${value}`);
			if (!set) {
				return [];
			}

			if (!smallest || set.size < smallest.size) {
				smallest = set;
			}
		}

		const out: KubeObject[] = [];
		for (const key of smallest ?? []) {
			const pod = this.podByKey(key);
			if (pod && matchesSelector(pod.metadata.labels, selector)) {
				out.push(pod);
			}
		}

		return out;
	}

	servicesIn(namespace: string): Iterable<KubeObject> {
		return this.servicesByNamespace.get(namespace)?.values() ?? [];
	}

	dependentRefs(ownerUid: string): Ref[] {
		return [...this.dependents.get(ownerUid) ?? []].map(entry => {
			const [resource, key] = entry.split('|') as [Resource, string];
			const slash = key.indexOf('/');
			return {resource, namespace: key.slice(0, slash) || undefined, name: key.slice(slash + 1)};
		});
	}

	dependentPods(ownerUid: string): KubeObject[] {
		const out: KubeObject[] = [];
		for (const entry of this.dependents.get(ownerUid) ?? []) {
			if (entry.startsWith('pods|')) {
				const pod = this.previous.get(entry);
				if (pod) {
					out.push(pod);
				}
			}
		}

		return out;
	}

	/** Whether a pod with this spec tolerates the node's taints (PreferNoSchedule never keeps it off). */
	tolerates(podSpec: any, nodeName: string): boolean {
		const taints = this.nodeTaints.get(nodeName) ?? [];
		if (taints.length === 0) {
			return true;
		}

		const tolerations: any[] = podSpec?.tolerations ?? [];
		return taints.every(taint => taint.effect === 'PreferNoSchedule' || tolerations.some(toleration =>
			(toleration.operator === 'Exists' && !toleration.key)
			|| (toleration.key === taint.key && (toleration.operator === 'Exists' || toleration.value === taint.value)
				&& (!toleration.effect || toleration.effect === taint.effect))));
	}

	private index(resource: Resource, object: KubeObject): void {
		const meta = object.metadata;
		const key = objectKey(meta.namespace, meta.name);
		if (meta.uid) {
			this.refByUid.set(meta.uid, {resource, namespace: meta.namespace, name: meta.name});
		}

		for (const owner of meta.ownerReferences ?? []) {
			addToIndex(this.dependents, owner.uid, `${resource}|${key}`);
		}

		switch (resource) {
			case 'pods': {
				if (object.spec?.nodeName) {
					addToIndex(this.podsOnNode, object.spec.nodeName, key);
				}

				for (const [label, value] of Object.entries(meta.labels ?? {})) {
					addToIndex(this.podLabelIndex, `${meta.namespace}|${label}=${value}`, key);
				}

				if (isMirrorPod(object)) {
					this.staticPods.set(meta.name, object);
				}

				break;
			}

			case 'services': {
				let byName = this.servicesByNamespace.get(meta.namespace!);
				if (!byName) {
					byName = new Map();
					this.servicesByNamespace.set(meta.namespace!, byName);
				}

				byName.set(meta.name, object);
				if (object.spec?.clusterIP) {
					this.usedClusterIps.add(object.spec.clusterIP);
				}

				break;
			}

			case 'nodes': {
				if (!this.nodeIndex.has(meta.name)) {
					this.nodeIndex.set(meta.name, this.nodeNames.length);
					this.nodeNames.push(meta.name);
				}

				this.nodeTaints.set(meta.name, object.spec?.taints ?? []);
				this.nodesVersion++;

				break;
			}

			default:
		}
	}

	private unindex(resource: Resource, object: KubeObject): void {
		const meta = object.metadata;
		const key = objectKey(meta.namespace, meta.name);
		if (meta.uid && this.refByUid.get(meta.uid)?.name === meta.name) {
			this.refByUid.delete(meta.uid);
		}

		for (const owner of meta.ownerReferences ?? []) {
			removeFromIndex(this.dependents, owner.uid, `${resource}|${key}`);
		}

		if (resource === 'pods') {
			if (object.spec?.nodeName) {
				removeFromIndex(this.podsOnNode, object.spec.nodeName, key);
			}

			for (const [label, value] of Object.entries(meta.labels ?? {})) {
				removeFromIndex(this.podLabelIndex, `${meta.namespace}|${label}=${value}`, key);
			}
		} else if (resource === 'services') {
			this.servicesByNamespace.get(meta.namespace!)?.delete(meta.name);
			if (object.spec?.clusterIP) {
				this.usedClusterIps.delete(object.spec.clusterIP);
			}
		}
	}
}
