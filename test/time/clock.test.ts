import assert from 'node:assert/strict';
import test from 'node:test';
import {manualClock} from '../../source/time/clock.js';

test('a manual clock runs what is due, in due order, with now() at each due time', () => {
	const clock = manualClock(1000);
	const seen: string[] = [];
	clock.every(300, () => seen.push(`every@${clock.now()}`));
	clock.after(500, () => seen.push(`after@${clock.now()}`));
	const cancelled = clock.after(400, () => seen.push('cancelled'));
	cancelled.cancel();
	clock.advance(1000);
	assert.deepEqual(seen, ['every@1300', 'after@1500', 'every@1600', 'every@1900']);
	assert.equal(clock.now(), 2000);
	assert.equal(clock.pendingCount, 1, 'only the repeating timer is left');
});

test('a timer scheduled while the clock advances runs in the same advance when it falls due', () => {
	const clock = manualClock(0);
	const seen: number[] = [];
	clock.after(100, () => clock.after(100, () => seen.push(clock.now())));
	clock.advance(250);
	assert.deepEqual(seen, [200]);
});
