// Ink's Output, with its caches carried from one frame to the next: a line the frame before
// drew is not tokenized again (the very same styled characters come back), a line it did not
// draw is, and the frames are the same text as Ink draws without the carry.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {carryInkFrameCaches} from '../../source/ui/ink-frame-caches.js';

type Output = {
	write(x: number, y: number, text: string, options: {transformers: unknown[]}): void;
	get(): {output: string; height: number};
	caches: {styledChars: Map<string, unknown>};
};
type OutputClass = new (options: {width: number; height: number}) => Output;

function frame(Output: OutputClass, lines: string[]): {output: string; styled: (line: string) => unknown} {
	const output = new Output({width: 20, height: lines.length});
	for (const [y, line] of lines.entries()) {
		output.write(0, y, line, {transformers: []});
	}

	return {output: output.get().output, styled: line => output.caches.styledChars.get(line)};
}

test('a frame reuses what the frame before it tokenized, and only that', async () => {
	// The module Ink's renderer uses (Ink does not export it).
	const {default: Output} = await import(new URL('output.js', import.meta.resolve('ink')).href) as {default: OutputClass};
	const red = '\u001B[31mred\u001B[39m';
	const before = frame(Output, [red, 'plain']);

	assert.equal(await carryInkFrameCaches(), true, 'this Ink has the Output and caches the carry wraps');
	const first = frame(Output, [red, 'plain']);
	assert.equal(first.output, before.output, 'the same text as Ink draws without the carry');
	const second = frame(Output, [red, 'other']);
	assert.equal(second.styled(red), first.styled(red), 'the line drawn in the frame before: the same styled characters');
	assert.equal(second.output, `${red}\nother`);
	const third = frame(Output, [red, 'plain']);
	assert.notEqual(third.styled('plain'), first.styled('plain'), 'a line two frames old was dropped, and tokenized again');
	assert.deepEqual(third.styled('plain'), first.styled('plain'));
	assert.equal(third.output, before.output);
});
