// The simulator's etcd: every object of the simulated cluster, one global resourceVersion
// counter, and a bounded history of changes so that a watch can start from any recent
// resourceVersion (and get 410 Expired when it is older than the history).
import {randomUUID} from 'node:crypto';

export type KubeObject = {
	apiVersion: string;
	kind: string;
	metadata: ObjectMeta;
	spec?: any;
	status?: any;
	[key: string]: unknown;
};

export type ObjectMeta = {
	name: string;
	namespace?: string;
	uid?: string;
	resourceVersion?: string;
	creationTimestamp?: string;
	deletionTimestamp?: string;
	deletionGracePeriodSeconds?: number;
	generation?: number;
	generateName?: string;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	ownerReferences?: OwnerReference[];
	finalizers?: string[];
	[key: string]: unknown;
};

export type OwnerReference = {
	apiVersion: string;
	kind: string;
	name: string;
	uid: string;
	controller?: boolean;
	blockOwnerDeletion?: boolean;
};

/** Plural resource names, as they appear in API paths. */
export type Resource =
	| 'namespaces'
	| 'nodes'
	| 'pods'
	| 'services'
	| 'endpoints'
	| 'events'
	| 'configmaps'
	| 'serviceaccounts'
	| 'deployments'
	| 'replicasets'
	| 'daemonsets'
	| 'statefulsets';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type StoreEvent = {
	type: StoreEventType;
	resource: Resource;
	/** The object as it is after the change (for DELETED: as it was, with the final resourceVersion). */
	object: KubeObject;
	/** For MODIFIED and DELETED: the object as it was before, so a list can be read as of an older resourceVersion. */
	previous?: KubeObject;
	resourceVersion: number;
};

export class StoreError extends Error {
	constructor(
		readonly code: 400 | 404 | 409 | 410 | 422 | 500,
		readonly reason: 'BadRequest' | 'NotFound' | 'AlreadyExists' | 'Expired' | 'Invalid' | 'Conflict' | 'InternalError',
		message: string,
	) {
		super(message);
	}
}

const clusterScoped = new Set<Resource>(['namespaces', 'nodes']);

export function isClusterScoped(resource: Resource): boolean {
	return clusterScoped.has(resource);
}

function keyOf(namespace: string | undefined, name: string): string {
	return `${namespace ?? ''}/${name}`;
}

/** Singular, lower-case kind names used in NotFound messages, as the real API server words them. */
export function groupResourceName(resource: Resource): string {
	switch (resource) {
		case 'deployments':
		case 'replicasets':
		case 'daemonsets':
		case 'statefulsets': {
			return `${resource}.apps`;
		}

		default: {
			return resource;
		}
	}
}

export type StoreOptions = {
	/** How many changes are kept for watches that resume from a resourceVersion. */
	historyLimit?: number;
	/** Wall clock used for creationTimestamp; the simulator passes its own. */
	now?: () => number;
};

export class Store {
	private readonly objects = new Map<Resource, Map<string, KubeObject>>();
	/** Changes kept for watches that resume; those before historyStart are already dropped. */
	private history: StoreEvent[] = [];
	// Dropping one event from the front of a 20,000-entry array moves the whole array, on every
	// change once the history is full; instead the front is skipped, and cut off in batches.
	private historyStart = 0;
	private readonly historyLimit: number;
	private readonly listeners = new Set<(event: StoreEvent) => void>();
	private readonly now: () => number;
	private revision = 1;
	/** The oldest resourceVersion a watch can resume from; older ones get 410 Expired. */
	private minResumable = 1;

	constructor(options: StoreOptions = {}) {
		this.historyLimit = options.historyLimit ?? 20_000;
		this.now = options.now ?? Date.now;
	}

	get resourceVersion(): number {
		return this.revision;
	}

	private bucket(resource: Resource): Map<string, KubeObject> {
		let map = this.objects.get(resource);
		if (!map) {
			map = new Map();
			this.objects.set(resource, map);
		}

		return map;
	}

	get(resource: Resource, namespace: string | undefined, name: string): KubeObject | undefined {
		return this.bucket(resource).get(keyOf(isClusterScoped(resource) ? undefined : namespace, name));
	}

	mustGet(resource: Resource, namespace: string | undefined, name: string): KubeObject {
		const object = this.get(resource, namespace, name);
		if (!object) {
			throw new StoreError(404, 'NotFound', `${groupResourceName(resource)} "${name}" not found`);
		}

		return object;
	}

	/** Every object of a resource, in one namespace or (namespace undefined) in all. */
	list(resource: Resource, namespace?: string): KubeObject[] {
		const all = [...this.bucket(resource).values()];
		if (namespace === undefined || isClusterScoped(resource)) {
			return all;
		}

		return all.filter(object => object.metadata.namespace === namespace);
	}

	/** A name suffix like the ones generateName and ReplicaSets produce (5 chars, no vowels). */
	randomSuffix(length = 5): string {
		const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
		let out = '';
		for (let i = 0; i < length; i++) {
			out += alphabet[Math.floor(Math.random() * alphabet.length)];
		}

		return out;
	}

	create(resource: Resource, input: KubeObject): KubeObject {
		const object = structuredClone(input);
		const meta = object.metadata;
		if (!meta.name && meta.generateName) {
			do {
				meta.name = meta.generateName + this.randomSuffix();
			} while (this.get(resource, meta.namespace, meta.name));
		}

		if (!meta.name) {
			throw new StoreError(422, 'Invalid', `${groupResourceName(resource)} is invalid: metadata.name: Required value: name or generateName is required`);
		}

		if (isClusterScoped(resource)) {
			delete meta.namespace;
		}

		const key = keyOf(meta.namespace, meta.name);
		if (this.bucket(resource).has(key)) {
			throw new StoreError(409, 'AlreadyExists', `${groupResourceName(resource)} "${meta.name}" already exists`);
		}

		meta.uid = randomUUID();
		meta.creationTimestamp = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
		meta.generation ??= 1;
		this.revision++;
		meta.resourceVersion = String(this.revision);
		this.bucket(resource).set(key, object);
		this.emit({type: 'ADDED', resource, object, resourceVersion: this.revision});
		return object;
	}

	/**
	 * Replace an object with a changed copy. The caller passes a function that edits a
	 * clone, so no one ever mutates an object that a watch event already carried.
	 */
	update(resource: Resource, namespace: string | undefined, name: string, edit: (draft: KubeObject) => void): KubeObject {
		const current = this.mustGet(resource, namespace, name);
		const draft = structuredClone(current);
		edit(draft);
		draft.metadata.name = current.metadata.name;
		draft.metadata.uid = current.metadata.uid;
		draft.metadata.creationTimestamp = current.metadata.creationTimestamp;
		if (JSON.stringify(draft.spec) !== JSON.stringify(current.spec)) {
			draft.metadata.generation = (current.metadata.generation ?? 1) + 1;
		}

		this.revision++;
		draft.metadata.resourceVersion = String(this.revision);
		this.bucket(resource).set(keyOf(current.metadata.namespace, current.metadata.name), draft);
		this.emit({type: 'MODIFIED', resource, object: draft, previous: current, resourceVersion: this.revision});
		return draft;
	}

	/** Remove an object for good (after any graceful termination is over). */
	remove(resource: Resource, namespace: string | undefined, name: string): KubeObject {
		const current = this.mustGet(resource, namespace, name);
		this.bucket(resource).delete(keyOf(current.metadata.namespace, current.metadata.name));
		this.revision++;
		const gone = structuredClone(current);
		gone.metadata.resourceVersion = String(this.revision);
		this.emit({type: 'DELETED', resource, object: gone, previous: current, resourceVersion: this.revision});
		return gone;
	}

	/** Changes after `resourceVersion`, or a 410 when they are no longer kept. */
	changesSince(resourceVersion: number): StoreEvent[] {
		if (resourceVersion < this.minResumable) {
			throw new StoreError(410, 'Expired', `too old resource version: ${resourceVersion} (${this.minResumable})`);
		}

		// History is ordered by resourceVersion: binary search for the first newer event.
		let low = this.historyStart;
		let high = this.history.length;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (this.history[middle].resourceVersion <= resourceVersion) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		return this.history.slice(low);
	}

	/** Forget every change so far: the next watch from any current resourceVersion gets 410. */
	expireHistory(): void {
		this.history.length = 0;
		this.historyStart = 0;
		// Bump the revision so that a fresh list hands out a version that can be watched again.
		this.revision++;
		this.minResumable = this.revision;
	}

	subscribe(listener: (event: StoreEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	private emit(event: StoreEvent): void {
		this.history.push(event);
		if (this.history.length - this.historyStart > this.historyLimit) {
			this.historyStart = this.history.length - this.historyLimit;
			this.minResumable = this.history[this.historyStart - 1].resourceVersion;
			// A quarter of the limit at a time: amortised O(1) per change, and old objects are not held long.
			if (this.historyStart >= this.historyLimit / 4) {
				this.history = this.history.slice(this.historyStart);
				this.historyStart = 0;
			}
		}

		for (const listener of this.listeners) {
			listener(event);
		}
	}
}
