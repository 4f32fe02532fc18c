import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mergeExtensions} from '../../source/ui/extensions.js';

test('merged extensions: keys from all, the first taker of a key, the first banner/status/panel', () => {
	const taken: string[] = [];
	const merged = mergeExtensions(
		{bindings: [{keys: ['d'], label: 'delete', help: 'd', run() {}}], captureInput: input => input === 'y' && Boolean(taken.push('confirm'))},
		{bindings: [{keys: ['t'], label: 'timeline', help: 't', run() {}}], captureInput: input => Boolean(taken.push(`panel:${input}`)) && false, statusLine: 'second', sidePanel: {height: 4, render: () => 'panel'}},
		{statusLine: 'third'},
	);
	assert.deepEqual(merged.bindings?.map(binding => binding.keys[0]), ['d', 't']);
	assert.equal(merged.captureInput?.('y', {} as never, false), true);
	assert.deepEqual(taken, ['confirm'], 'the second feature never saw the key the first took');
	assert.equal(merged.captureInput?.('n', {} as never, false), false);
	assert.equal(merged.statusLine, 'second');
	assert.equal(merged.sidePanel?.height, 4);
	assert.equal(merged.banner, undefined);
	assert.equal(mergeExtensions().captureInput, undefined);
});
