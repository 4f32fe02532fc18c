// Lists come out in etcd's order (namespace, then name). Sorting tens of thousands of pods
// for every 500-item page would make `kubectl get pods` slow at scale, so the sorted keys of
// each resource are kept and only rebuilt after an object was added or removed.
import type {KubeObject, Resource, Store} from '../store.js';

type Entry = {key: string; namespace: string | undefined; name: string};

/** Sorts like (namespace, name): NUL is below every character a name can hold. */
export function sortKey(namespace: string | undefined, name: string): string {
	return `${namespace ?? ''}\u0000${name}`;
}

export class SortedIndex {
	private readonly sorted = new Map<Resource, Entry[]>();
	private readonly unsubscribe: () => void;

	constructor(private readonly store: Store) {
		this.unsubscribe = store.subscribe(event => {
			if (event.type !== 'MODIFIED') {
				this.sorted.delete(event.resource);
			}
		});
	}

	close(): void {
		this.unsubscribe();
	}

	private entries(resource: Resource): Entry[] {
		let entries = this.sorted.get(resource);
		if (!entries) {
			entries = this.store.list(resource).map(object => ({
				key: sortKey(object.metadata.namespace, object.metadata.name),
				namespace: object.metadata.namespace,
				name: object.metadata.name,
			}));
			entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
			this.sorted.set(resource, entries);
		}

		return entries;
	}

	/**
	 * Up to `limit` matching objects (all when limit is 0) after the key `after`, within one
	 * namespace or all; `more` tells whether any object lies beyond the page, `remaining` how
	 * many candidates (matching or not) do.
	 */
	page(resource: Resource, namespace: string | undefined, after: string | undefined, limit: number, keep: (object: KubeObject) => boolean): {items: KubeObject[]; more: boolean; remaining: number} {
		const entries = this.entries(resource);
		const lowerBound = (key: string, inclusive: boolean): number => {
			let low = 0;
			let high = entries.length;
			while (low < high) {
				const middle = (low + high) >> 1;
				if (entries[middle].key < key || (!inclusive && entries[middle].key === key)) {
					low = middle + 1;
				} else {
					high = middle;
				}
			}

			return low;
		};

		let start = namespace === undefined ? 0 : lowerBound(sortKey(namespace, ''), true);
		const end = namespace === undefined ? entries.length : lowerBound(`${namespace}\u0001`, true);
		if (after !== undefined) {
			start = Math.max(start, lowerBound(after, false));
		}

		const items: KubeObject[] = [];
		let index = start;
		for (; index < end; index++) {
			if (limit > 0 && items.length === limit) {
				break;
			}

			const entry = entries[index];
			const object = this.store.get(resource, entry.namespace, entry.name);
			if (object && keep(object)) {
				items.push(object);
			}
		}

		return {items, more: index < end, remaining: end - index};
	}
}
