// Lists page as etcd pages them: in key order (`namespace/name`, compared as bytes), `limit`
// objects at a time, and every page of one list reads the same snapshot, the cluster as it
// was at the first page's resourceVersion. Each resource's sorted keys are kept up to date
// per added or removed object (never re-sorted per request), so a page costs its own size
// plus the changes made since the snapshot, not the size of the whole list. An object
// changed since then is read as it was from the store's history (a change carries the
// object before it); a snapshot older than that history is gone, as after etcd compacts.
import {isClusterScoped, type KubeObject, type Resource, type Store, type StoreEvent} from '../store.js';

type Entry = {key: string; namespace: string | undefined; name: string};

/** etcd's key order: `/registry/pods/<namespace>/<name>` compares byte by byte. */
export function listKey(namespace: string | undefined, name: string): string {
	return namespace === undefined ? name : `${namespace}/${name}`;
}

export type Page = {
	items: KubeObject[];
	/** The key of the last object looked at, when objects lie beyond it. */
	continueAfter?: string;
	/** How many objects (matching or not) lie beyond the page, in the snapshot. */
	remaining: number;
};

export class SortedIndex {
	private readonly sorted = new Map<Resource, Entry[]>();
	private readonly unsubscribe: () => void;

	constructor(private readonly store: Store) {
		this.unsubscribe = store.subscribe(event => {
			this.apply(event);
		});
	}

	close(): void {
		this.unsubscribe();
	}

	private apply(event: StoreEvent): void {
		const entries = this.sorted.get(event.resource);
		if (!entries || event.type === 'MODIFIED') {
			return;
		}

		const {namespace, name} = event.object.metadata;
		const key = listKey(isClusterScoped(event.resource) ? undefined : namespace, name);
		const index = lowerBound(entries, key);
		if (event.type === 'ADDED') {
			entries.splice(index, 0, {key, namespace, name});
		} else if (entries[index]?.key === key) {
			entries.splice(index, 1);
		}
	}

	private entries(resource: Resource): Entry[] {
		let entries = this.sorted.get(resource);
		if (!entries) {
			entries = this.store.list(resource).map(object => ({
				key: listKey(object.metadata.namespace, object.metadata.name),
				namespace: object.metadata.namespace,
				name: object.metadata.name,
			}));
			entries.sort((a, b) => compare(a.key, b.key));
			this.sorted.set(resource, entries);
		}

		return entries;
	}

	/**
	 * Up to `limit` objects that `keep` accepts (all when limit is 0), from the key `start` on,
	 * within one namespace or all, read as of `snapshot` (a resourceVersion; undefined: now).
	 * Throws the store's 410 when the changes since `snapshot` are no longer kept.
	 */
	page(resource: Resource, namespace: string | undefined, start: string | undefined, limit: number, keep: (object: KubeObject) => boolean, snapshot?: number): Page {
		const entries = this.entries(resource);
		const prefix = namespace === undefined ? '' : `${namespace}/`;
		const inRange = (key: string) => key.startsWith(prefix) && (start === undefined || key >= start);
		const from = Math.max(lowerBound(entries, prefix), start === undefined ? 0 : lowerBound(entries, start));
		// `0` is the character after `/`: every key of the namespace sorts below `<namespace>0`.
		const end = namespace === undefined ? entries.length : lowerBound(entries, `${namespace}0`);

		// The objects changed since the snapshot, as they were then (null: not there yet).
		const then = new Map<string, {object: KubeObject | null; namespace: string | undefined; name: string}>();
		if (snapshot !== undefined && snapshot < this.store.resourceVersion) {
			for (const change of this.store.changesSince(snapshot)) {
				if (change.resource !== resource) {
					continue;
				}

				const {namespace: objectNamespace, name} = change.object.metadata;
				const key = listKey(isClusterScoped(resource) ? undefined : objectNamespace, name);
				if (inRange(key) && !then.has(key)) {
					then.set(key, {object: change.type === 'ADDED' ? null : change.previous ?? null, namespace: objectNamespace, name});
				}
			}
		}

		const changedKeys = [...then.keys()].sort(compare);
		const items: KubeObject[] = [];
		let index = from;
		let changed = 0;
		let lastKey: string | undefined;
		let more = false;
		for (;;) {
			const current = index < end ? entries[index].key : undefined;
			const old = changed < changedKeys.length ? changedKeys[changed] : undefined;
			if (current === undefined && old === undefined) {
				break;
			}

			let key: string;
			let object: KubeObject | undefined | null;
			if (old !== undefined && (current === undefined || old <= current)) {
				key = old;
				object = then.get(old)!.object;
				changed++;
				if (current === old) {
					index++;
				}
			} else {
				key = current!;
				object = this.store.get(resource, entries[index].namespace, entries[index].name);
				index++;
			}

			if (!object) {
				continue;
			}

			if (limit > 0 && items.length === limit) {
				more = true;
				break;
			}

			lastKey = key;
			if (keep(object)) {
				items.push(object);
			}
		}

		if (!more || lastKey === undefined) {
			return {items, remaining: 0};
		}

		// In the snapshot, beyond lastKey: the current keys there, less those changed since
		// (present now), plus those changed since that existed then.
		let remaining = end - Math.max(from, upperBound(entries, lastKey));
		for (const key of changedKeys) {
			if (key > lastKey) {
				const {object, namespace: objectNamespace, name} = then.get(key)!;
				remaining += (object ? 1 : 0) - (this.store.get(resource, objectNamespace, name) ? 1 : 0);
			}
		}

		return {items, continueAfter: lastKey, remaining};
	}
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** The first index whose key is ≥ key. */
function lowerBound(entries: Entry[], key: string): number {
	let low = 0;
	let high = entries.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (entries[middle].key < key) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}

	return low;
}

/** The first index whose key is > key. */
function upperBound(entries: Entry[], key: string): number {
	let low = 0;
	let high = entries.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (entries[middle].key <= key) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}

	return low;
}
