// Ink builds every frame from scratch: Output.get() makes a grid of one object per cell,
// tokenizes each line of text into styled characters, measures string widths, and turns each
// row of cells back into a string, with caches that live for one frame (a new Output is made
// per frame). On this screen nearly every line is the same from one frame to the next (a tick
// moves the clock and a few ages; a watch event changes a row or two), so that work was most
// of the CPU of an idle screen (profiles in docs/performance.md). Here:
//   - the caches are carried from one frame to the next: a frame looks up what the frame
//     before it computed, and keeps only what it used, so they stay as small as the screen;
//   - a row whose cells are the very same objects as in the frame before (what the carried
//     caches give an unchanged line) reuses that row's string;
//   - a clipped line's visible part is cut once, not in every frame;
//   - empty cells are one shared object instead of a new one per cell and frame.
// The get() below is Ink 6.8's Output.get (MIT, github.com/vadimdemedes/ink) with those
// changes; test/ui/ink-frame-caches.test.ts holds its frames equal to Ink's own.
//
// Ink does not export Output; its module is reached by URL next to Ink's entry point (ESM
// loads a URL once, so this is the very class Ink's renderer uses), and its helpers from
// where Ink resolves them. If this Ink's Output is not the one this was written against,
// nothing is changed and Ink works as it came (and the test fails, so the upgrade is noticed).
import {createRequire} from 'node:module';
import {pathToFileURL} from 'node:url';

type StyledChar = {type: 'char'; value: string; fullWidth: boolean; styles: unknown[]};

type FrameCaches = {
	widths: Map<string, number>;
	blockWidths: Map<string, number>;
	styledChars: Map<string, StyledChar[]>;
	getStyledChars(line: string): StyledChar[];
	getStringWidth(text: string): number;
	getWidestLine(text: string): number;
};

type Clip = {x1?: number; x2?: number; y1?: number; y2?: number};
type Operation =
	| {type: 'write'; x: number; y: number; text: string; transformers: Array<(line: string, index: number) => string>}
	| {type: 'clip'; clip: Clip}
	| {type: 'unclip'};

type OutputInstance = {width: number; height: number; operations: Operation[]; caches: FrameCaches};

type OutputClass = {
	prototype: {get(this: OutputInstance): {output: string; height: number}};
	new (options: {width: number; height: number}): OutputInstance;
};

type AnsiCode = {code: string; endCode: string};

type Helpers = {
	sliceAnsi(text: string, from: number, to?: number): string;
	diffAnsiCodes(from: AnsiCode[], to: AnsiCode[]): AnsiCode[];
	ansiCodesToString(codes: AnsiCode[]): string;
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
const blank: StyledChar = Object.freeze({type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) as unknown as unknown[]});
let installed: Promise<boolean> | undefined;

function isOutputClass(value: unknown): value is OutputClass {
	if (typeof value !== 'function' || typeof (value as OutputClass).prototype?.get !== 'function') {
		return false;
	}

	const instance = new (value as OutputClass)({width: 1, height: 1}) as Partial<OutputInstance>;
	return Array.isArray(instance.operations)
		&& cacheNames.every(name => instance.caches?.[name] instanceof Map)
		&& typeof instance.caches?.getStyledChars === 'function'
		&& typeof instance.caches?.getStringWidth === 'function'
		&& typeof instance.caches?.getWidestLine === 'function';
}

async function loadInk(): Promise<{Output: OutputClass; helpers: Helpers} | undefined> {
	try {
		const inkEntry = import.meta.resolve('ink');
		const inkRequire = createRequire(inkEntry);
		const version = (inkRequire('../package.json') as {version?: string}).version ?? '';
		// Written against Ink 6.8's Output; another minor may have changed it.
		if (!version.startsWith('6.8.')) {
			return undefined;
		}

		// An ESM-only package (no require condition): its entry from its package.json.
		const tokenizePackage = inkRequire.resolve('@alcalzone/ansi-tokenize/package.json');
		const tokenizeEntry = (inkRequire(tokenizePackage) as {exports?: {'.'?: {import?: string}}}).exports?.['.']?.import ?? './build/index.js';
		const [output, sliceAnsi, tokenize] = await Promise.all([
			import(new URL('output.js', inkEntry).href) as Promise<{default?: unknown}>,
			import(pathToFileURL(inkRequire.resolve('slice-ansi')).href) as Promise<{default?: unknown}>,
			import(new URL(tokenizeEntry, pathToFileURL(tokenizePackage)).href) as Promise<{diffAnsiCodes?: unknown; ansiCodesToString?: unknown}>,
		]);
		if (!isOutputClass(output.default) || typeof sliceAnsi.default !== 'function' || typeof tokenize.diffAnsiCodes !== 'function' || typeof tokenize.ansiCodesToString !== 'function') {
			return undefined;
		}

		return {
			Output: output.default,
			helpers: {
				sliceAnsi: sliceAnsi.default as Helpers['sliceAnsi'],
				diffAnsiCodes: tokenize.diffAnsiCodes as Helpers['diffAnsiCodes'],
				ansiCodesToString: tokenize.ansiCodesToString as Helpers['ansiCodesToString'],
			},
		};
	} catch {
		return undefined;
	}
}

/** Every cell the very same object (a plain loop: `every` would skip the holes a write past the edge leaves). */
function sameCells(row: StyledChar[], before: StyledChar[] | undefined): boolean {
	if (before?.length !== row.length) {
		return false;
	}

	for (let x = 0; x < row.length; x++) {
		if (row[x] !== before[x]) {
			return false;
		}
	}

	return true;
}

/** Ink 6.8's Output.get, with the carried caches, reused rows and one blank cell. */
/** The same codes in the same order: no change of style between two characters. */
function sameCodes(a: AnsiCode[], b: AnsiCode[]): boolean {
	if (a === b) {
		return true;
	}

	if (a.length !== b.length) {
		return false;
	}

	for (let index = 0; index < a.length; index++) {
		if (a[index]!.code !== b[index]!.code || a[index]!.endCode !== b[index]!.endCode) {
			return false;
		}
	}

	return true;
}

function frameBuilder({sliceAnsi, diffAnsiCodes, ansiCodesToString}: Helpers) {
	/**
	 * A row of cells as text: ansi-tokenize's styledCharsToString (MIT), which works out the
	 * change of style between every two neighbouring characters. Each styled character carries
	 * its own copy of its styles, so it did that for every cell of a changed row; neighbours
	 * with the same codes (nearly all) need no change, and are now passed over.
	 */
	const rowString = (row: Array<StyledChar | undefined>): string => {
		let text = '';
		let previous: AnsiCode[] | undefined;
		for (const char of row) {
			if (char === undefined) {
				continue;
			}

			const styles = char.styles as AnsiCode[];
			if (previous === undefined) {
				text += ansiCodesToString(styles);
			} else if (!sameCodes(previous, styles)) {
				text += ansiCodesToString(diffAnsiCodes(previous, styles));
			}

			text += char.value;
			previous = styles;
		}

		if (previous !== undefined) {
			text += ansiCodesToString(diffAnsiCodes(previous, []));
		}

		return text;
	};

	let lastCaches: FrameCaches | undefined;
	let lastSlices: CarriedMap<string, string> | undefined;
	let lastRows: StyledChar[][] = [];
	let lastStrings: string[] = [];

	return function get(this: OutputInstance): {output: string; height: number} {
		const caches = this.caches;
		const carried = cacheNames.map(name => {
			const map = new CarriedMap(lastCaches?.[name] as Map<unknown, unknown> | undefined);
			(caches as unknown as Record<string, Map<unknown, unknown>>)[name] = map;
			return map;
		});
		// A clipped line's visible part, by where it is cut (each frame cut the same lines again).
		const slices = new CarriedMap<string, string>(lastSlices);
		const slice = (line: string, from: number, to: number) => {
			const key = `${from} ${to} ${line}`;
			let cut = slices.get(key);
			if (cut === undefined) {
				cut = sliceAnsi(line, from, to);
				slices.set(key, cut);
			}

			return cut;
		};

		const output: StyledChar[][] = [];
		for (let y = 0; y < this.height; y++) {
			output.push(Array.from({length: this.width}, () => blank));
		}

		const clips: Clip[] = [];
		for (const operation of this.operations) {
			if (operation.type === 'clip') {
				clips.push(operation.clip);
			}

			if (operation.type === 'unclip') {
				clips.pop();
			}

			if (operation.type !== 'write') {
				continue;
			}

			const {text, transformers} = operation;
			let {x, y} = operation;
			let lines = text.split('\n');
			const clip = clips.at(-1);
			if (clip) {
				const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
				const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
				if (clipHorizontally) {
					const width = caches.getWidestLine(text);
					if (x + width < clip.x1! || x > clip.x2!) {
						continue;
					}
				}

				if (clipVertically) {
					const height = lines.length;
					if (y + height < clip.y1! || y > clip.y2!) {
						continue;
					}
				}

				if (clipHorizontally) {
					lines = lines.map(line => {
						const from = x < clip.x1! ? clip.x1! - x : 0;
						const width = caches.getStringWidth(line);
						const to = x + width > clip.x2! ? clip.x2! - x : width;
						return slice(line, from, to);
					});
					if (x < clip.x1!) {
						x = clip.x1!;
					}
				}

				if (clipVertically) {
					const from = y < clip.y1! ? clip.y1! - y : 0;
					const height = lines.length;
					const to = y + height > clip.y2! ? clip.y2! - y : height;
					lines = lines.slice(from, to);
					if (y < clip.y1!) {
						y = clip.y1!;
					}
				}
			}

			let offsetY = 0;
			for (let [index, line] of lines.entries()) {
				const currentLine = output[y + offsetY];
				// Line can be missing if `text` is taller than height of pre-initialized `this.output`
				if (!currentLine) {
					continue;
				}

				for (const transformer of transformers) {
					line = transformer(line, index);
				}

				const characters = caches.getStyledChars(line);
				let offsetX = x;
				for (const character of characters) {
					currentLine[offsetX] = character;
					const characterWidth = Math.max(1, caches.getStringWidth(character.value));
					if (characterWidth > 1) {
						for (let index = 1; index < characterWidth; index++) {
							currentLine[offsetX + index] = {type: 'char', value: '', fullWidth: false, styles: character.styles};
						}
					}

					offsetX += characterWidth;
				}

				offsetY++;
			}
		}

		const strings = output.map((row, y) => {
			if (sameCells(row, lastRows[y])) {
				return lastStrings[y]!;
			}

			// See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
			return rowString(row).trimEnd();
		});

		// Only this frame's entries go on: the chain is one frame long.
		for (const map of [...carried, slices]) {
			map.previous = undefined;
		}

		lastCaches = caches;
		lastSlices = slices;
		lastRows = output;
		lastStrings = strings;
		return {output: strings.join('\n'), height: output.length};
	};
}

/**
 * Build Ink's frames as above; true when this Ink's Output was found and its get() replaced.
 * Once per process.
 */
export async function carryInkFrameCaches(): Promise<boolean> {
	installed ??= (async () => {
		const ink = await loadInk();
		if (!ink) {
			return false;
		}

		ink.Output.prototype.get = frameBuilder(ink.helpers);
		return true;
	})();
	return installed;
}
