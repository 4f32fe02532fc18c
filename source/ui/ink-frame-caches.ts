// Ink builds every frame from scratch: Output.get() tokenizes each line of text into styled
// characters and measures string widths, with caches that live for one frame (a new Output is
// made per frame). On this screen nearly every line is the same from one frame to the next (a
// tick moves the clock and a few ages; a watch event changes a row or two), so that work was
// most of the CPU of an idle screen (profile in docs/performance.md). Here the caches are
// carried from one frame to the next: a frame looks up what the frame before it computed, and
// keeps only what it used, so they stay as small as the screen.
//
// Ink does not export Output; its module is reached by URL next to Ink's entry point (ESM
// loads a URL once, so this is the very class Ink's renderer uses). If a later Ink has no such
// module or caches, nothing is changed and Ink works as it came (test/ui/ink-frame-caches.test.ts
// then fails, so the upgrade is noticed).

type FrameCaches = {
	widths: Map<string, number>;
	blockWidths: Map<string, number>;
	styledChars: Map<string, unknown>;
};

type OutputClass = {
	prototype: {get(this: {caches: FrameCaches}): unknown};
	new (options: {width: number; height: number}): {caches: FrameCaches};
};

/** A frame's cache that also finds what the frame before it computed, and keeps it. */
class CarriedMap<K, V> extends Map<K, V> {
	constructor(public previous: Map<K, V> | undefined) {
		super();
	}

	override get(key: K): V | undefined {
		let value = super.get(key);
		if (value === undefined && this.previous !== undefined) {
			value = this.previous.get(key);
			if (value !== undefined) {
				super.set(key, value);
			}
		}

		return value;
	}
}

const cacheNames = ['widths', 'blockWidths', 'styledChars'] as const;
let installed: Promise<boolean> | undefined;

function isOutputClass(value: unknown): value is OutputClass {
	if (typeof value !== 'function' || typeof (value as OutputClass).prototype?.get !== 'function') {
		return false;
	}

	const caches = new (value as OutputClass)({width: 1, height: 1}).caches as Partial<FrameCaches> | undefined;
	return cacheNames.every(name => caches?.[name] instanceof Map);
}

/** Carry Ink's output caches across frames; true when Ink's Output was found and wrapped. Once per process. */
export async function carryInkFrameCaches(): Promise<boolean> {
	installed ??= (async () => {
		let Output: unknown;
		try {
			Output = (await import(new URL('output.js', import.meta.resolve('ink')).href) as {default?: unknown}).default;
		} catch {
			return false;
		}

		if (!isOutputClass(Output)) {
			return false;
		}

		const originalGet = Output.prototype.get;
		let last: FrameCaches | undefined;
		Output.prototype.get = function (this: {caches: FrameCaches}) {
			const caches = this.caches;
			const carried = cacheNames.map(name => {
				const map = new CarriedMap(last?.[name] as Map<unknown, unknown> | undefined);
				(caches as Record<string, Map<unknown, unknown>>)[name] = map;
				return map;
			});
			try {
				return originalGet.call(this);
			} finally {
				// Only this frame's entries go on: the chain is one frame long.
				for (const map of carried) {
					map.previous = undefined;
				}

				last = caches;
			}
		};

		return true;
	})();
	return installed;
}
