// An immutable map from string keys, copied in parts. The screen's state is a new value after
// every batch of watch events, and at 20,000 pods copying one Map per batch (30 a second under
// churn) was the screen's largest cost of its own. Here the entries live in 64 buckets by a
// hash of the key: a batch copies the bucket list and only the buckets it writes to, so a
// batch of a few events copies a few hundred entries, and earlier values stay as they were.

const bucketCount = 64;

/** FNV-1a of the key, to a bucket. */
function bucketOf(key: string): number {
	let hash = 0x81_1C_9D_C5;
	for (let index = 0; index < key.length; index++) {
		hash ^= key.charCodeAt(index);
		hash = Math.imul(hash, 0x01_00_01_93);
	}

	return (hash >>> 0) % bucketCount;
}

/**
 * The buckets' iterators one after the other. Written out rather than as a generator: a full
 * pass (the first build of 20,000 rows) took twice as long through `yield*`.
 */
function across<V, T>(buckets: ReadonlyArray<ReadonlyMap<string, V>>, iterate: (bucket: ReadonlyMap<string, V>) => Iterator<T>): MapIterator<T> {
	let index = 0;
	let current: Iterator<T> | undefined;
	const iterator = {
		next(): IteratorResult<T, undefined> {
			while (index <= buckets.length) {
				current ??= index < buckets.length ? iterate(buckets[index]!) : undefined;
				if (!current) {
					break;
				}

				const step = current.next();
				if (!step.done) {
					return step;
				}

				current = undefined;
				index++;
			}

			return {done: true, value: undefined};
		},
		[Symbol.iterator]() {
			return iterator;
		},
	};
	return iterator as MapIterator<T>;
}

export class ChunkedMap<V> implements ReadonlyMap<string, V> {
	static empty<V>(): ChunkedMap<V> {
		return new ChunkedMap(Array.from({length: bucketCount}, () => new Map<string, V>()), 0);
	}

	/** The same entries; a ChunkedMap is returned as it is. */
	static from<V>(entries: ReadonlyMap<string, V>): ChunkedMap<V> {
		if (entries instanceof ChunkedMap) {
			return entries as ChunkedMap<V>;
		}

		const draft = ChunkedMap.empty<V>().edit();
		for (const [key, value] of entries) {
			draft.set(key, value);
		}

		return draft.done();
	}

	private constructor(
		private readonly buckets: ReadonlyArray<ReadonlyMap<string, V>>,
		readonly size: number,
	) {}

	get(key: string): V | undefined {
		return this.buckets[bucketOf(key)]!.get(key);
	}

	has(key: string): boolean {
		return this.buckets[bucketOf(key)]!.has(key);
	}

	entries(): MapIterator<[string, V]> {
		return across(this.buckets, bucket => bucket.entries());
	}

	keys(): MapIterator<string> {
		return across(this.buckets, bucket => bucket.keys());
	}

	values(): MapIterator<V> {
		return across(this.buckets, bucket => bucket.values());
	}

	[Symbol.iterator](): MapIterator<[string, V]> {
		return this.entries();
	}

	forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
		for (const [key, value] of this.entries()) {
			callback(value, key, this);
		}
	}

	/** Changes to make a new map from this one; this one never changes. */
	edit(): ChunkedMapDraft<V> {
		return new ChunkedMapDraft([...this.buckets], this.size, (buckets, size) => new ChunkedMap(buckets, size));
	}
}

export class ChunkedMapDraft<V> {
	private readonly copied = new Set<number>();
	private finished = false;

	constructor(
		private readonly buckets: Array<ReadonlyMap<string, V>>,
		private count: number,
		private readonly make: (buckets: ReadonlyArray<ReadonlyMap<string, V>>, size: number) => ChunkedMap<V>,
	) {}

	get(key: string): V | undefined {
		return this.buckets[bucketOf(key)]!.get(key);
	}

	has(key: string): boolean {
		return this.buckets[bucketOf(key)]!.has(key);
	}

	set(key: string, value: V): this {
		const bucket = this.writable(bucketOf(key));
		if (!bucket.has(key)) {
			this.count++;
		}

		bucket.set(key, value);
		return this;
	}

	delete(key: string): boolean {
		const index = bucketOf(key);
		if (!this.buckets[index]!.has(key)) {
			return false;
		}

		this.writable(index).delete(key);
		this.count--;
		return true;
	}

	* [Symbol.iterator](): IterableIterator<[string, V]> {
		// The buckets as they are now: a bucket written meanwhile is a copy, so iterating while
		// deleting sees every entry that was there when it began.
		for (const bucket of [...this.buckets]) {
			yield * bucket.entries();
		}
	}

	/** The new map. The draft may not be written after this. */
	done(): ChunkedMap<V> {
		this.finished = true;
		return this.make(this.buckets, this.count);
	}

	private writable(index: number): Map<string, V> {
		if (this.finished) {
			throw new Error('a ChunkedMap draft was written after done()');
		}

		if (!this.copied.has(index)) {
			this.buckets[index] = new Map(this.buckets[index]);
			this.copied.add(index);
		}

		return this.buckets[index] as Map<string, V>;
	}
}
