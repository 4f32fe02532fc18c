// Ink's Output with frames built as in ink-frame-caches.ts: the same text as Ink's own
// Output.get, frame after frame (colours, clipping, wide characters, transformers, text past
// the edge); a line the frame before drew is not tokenized again (the very same styled
// characters come back), a line it did not draw is; an unchanged row reuses its string.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {carryInkFrameCaches} from '../../source/ui/ink-frame-caches.js';

type Write = {x: number; y: number; text: string; transformers?: Array<(line: string, index: number) => string>};
type Step = Write | {clip: {x1?: number; x2?: number; y1?: number; y2?: number}} | 'unclip';
type Output = {
	write(x: number, y: number, text: string, options: {transformers: unknown[]}): void;
	clip(clip: unknown): void;
	unclip(): void;
	get(): {output: string; height: number};
	caches: {styledChars: Map<string, unknown>};
};
type OutputClass = {new (options: {width: number; height: number}): Output; prototype: {get(this: Output): {output: string; height: number}}};

const {default: Output} = await import(new URL('output.js', import.meta.resolve('ink')).href) as {default: OutputClass};
// Ink's own, kept before the replacement.
const inkGet = Output.prototype.get;

function build(steps: Step[], get?: (this: Output) => {output: string; height: number}): {output: Output; text: string} {
	const output = new Output({width: 24, height: 4});
	for (const step of steps) {
		if (step === 'unclip') {
			output.unclip();
		} else if ('clip' in step) {
			output.clip(step.clip);
		} else {
			output.write(step.x, step.y, step.text, {transformers: step.transformers ?? []});
		}
	}

	return {output, text: (get ?? output.get).call(output).output};
}

const red = '\u001B[31mred\u001B[39m';
const clipped: Step[] = [
	{clip: {x1: 2, x2: 10, y1: 0, y2: 2}},
	{x: 0, y: 0, text: `${red} clipped on both sides\nsecond line`},
	'unclip',
	{x: 0, y: 2, text: 'upper', transformers: [(line: string) => line.toUpperCase()]},
	{x: 20, y: 3, text: 'past the edge'},
];
const frames: Step[][] = [
	[{x: 0, y: 0, text: red}, {x: 4, y: 0, text: 'plain'}, {x: 0, y: 1, text: '漢字 and 🙂 wide'}, {x: 0, y: 3, text: 'clock 12:00:01'}],
	[{x: 0, y: 0, text: red}, {x: 4, y: 0, text: 'plain'}, {x: 0, y: 1, text: '漢字 and 🙂 wide'}, {x: 0, y: 3, text: 'clock 12:00:02'}],
	clipped,
	[{x: 0, y: 0, text: red}, {x: 4, y: 0, text: 'other'}, {x: 0, y: 3, text: 'clock 12:00:03'}],
	// Clipped twice in a row: the second from the carried cuts.
	clipped,
	clipped,
	// Writes past the right edge leave holes in the row; the row after differs only in a hole.
	[{x: 25, y: 0, text: 'a'}, {x: 26, y: 0, text: 'b'}],
	[{x: 26, y: 0, text: 'b'}],
];

test('frames are the same text as Ink\'s own get, and unchanged lines are not tokenized again', async () => {
	assert.equal(await carryInkFrameCaches(), true, 'this Ink has the Output this was written against');
	assert.notEqual(Output.prototype.get, inkGet, 'replaced');

	const built = frames.map(steps => ({ours: build(steps), ink: build(steps, inkGet).text}));
	for (const [index, {ours, ink}] of built.entries()) {
		assert.equal(ours.text, ink, `frame ${index}`);
	}

	const styled = (frame: number, line: string) => built[frame]!.ours.output.caches.styledChars.get(line);
	assert.equal(styled(1, red), styled(0, red), 'a line drawn in the frame before: the same styled characters');
	assert.ok(styled(1, red) !== undefined);
	assert.notEqual(styled(3, red), styled(1, red), 'two frames old (frame 2 did not draw it): tokenized again');
	assert.deepEqual(styled(3, red), styled(1, red));
});

test('an unchanged row reuses the frame before\'s string; a changed one does not', async () => {
	await carryInkFrameCaches();
	// Only a row reused from the frame before can still carry a string this frame did not make:
	// a cell of it changed behind the builder's back is not seen.
	const first = build([{x: 0, y: 0, text: 'same'}, {x: 0, y: 1, text: 'tick 1'}]);
	assert.equal(first.text, 'same\ntick 1\n\n');
	const second = build([{x: 0, y: 0, text: 'same'}, {x: 0, y: 1, text: 'tick 2'}]);
	assert.equal(second.text, 'same\ntick 2\n\n');
	// The very same styled characters for "same" were reused, so its row was too: proven by
	// tampering with the cached characters, which a rebuilt row would show.
	const cached = second.output.caches.styledChars.get('same') as Array<{value: string}>;
	const saved = cached[0]!.value;
	cached[0]!.value = 'X';
	try {
		const third = build([{x: 0, y: 0, text: 'same'}, {x: 0, y: 1, text: 'tick 3'}]);
		assert.equal(third.text.split('\n')[0], 'same', 'row 0 unchanged: the string of the frame before');
		const fourth = build([{x: 1, y: 0, text: 'same'}]);
		assert.equal(fourth.text.split('\n')[0], ' Xame', 'row 0 moved: built again from its cells');
	} finally {
		cached[0]!.value = saved;
	}
});
