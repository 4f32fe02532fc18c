import assert from 'node:assert/strict';
import {test} from 'node:test';
import {ChunkedMap} from '../../source/model/chunked-map.js';

const keys = Array.from({length: 500}, (_, index) => `pod-${index}`);

test('a draft makes a new map; the map it came from keeps every entry as it was', () => {
	const first = ChunkedMap.from(new Map(keys.map(key => [key, 1])));
	const draft = first.edit();
	draft.set('pod-7', 2);
	draft.set('pod-new', 3);
	draft.delete('pod-8');
	assert.equal(draft.delete('nothing'), false);
	const second = draft.done();
	assert.deepEqual([first.get('pod-7'), first.get('pod-new'), first.get('pod-8'), first.size], [1, undefined, 1, 500]);
	assert.deepEqual([second.get('pod-7'), second.get('pod-new'), second.has('pod-8'), second.size], [2, 3, false, 500]);
	assert.deepEqual(new Set(second.keys()), new Set([...keys.filter(key => key !== 'pod-8'), 'pod-new']));
	assert.equal([...second.values()].reduce((sum, value) => sum + value, 0), 498 + 2 + 3);
	assert.throws(() => draft.set('late', 1), /after done/);
});

test('deleting while iterating a draft visits every entry once', () => {
	const draft = ChunkedMap.from(new Map(keys.map(key => [key, key]))).edit();
	const seen: string[] = [];
	for (const [key] of draft) {
		seen.push(key);
		draft.delete(key);
	}

	assert.equal(seen.length, 500);
	assert.equal(new Set(seen).size, 500);
	assert.equal(draft.done().size, 0);
});
