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

test('after a jump (an event loop blocked), what was due runs late at the next advance, and an interval goes on from then', () => {
	const clock = manualClock(0);
	const seen: string[] = [];
	clock.after(100, () => seen.push(`after@${clock.now()}`));
	clock.every(200, () => seen.push(`every@${clock.now()}`));
	assert.equal(clock.nextDueAt(), 100);
	clock.jump(450);
	assert.deepEqual(seen, [], 'a jump runs nothing');
	clock.advance(0);
	assert.deepEqual(seen, ['after@450', 'every@450']);
	assert.equal(clock.nextDueAt(), 650);
	clock.advance(200);
	assert.deepEqual(seen.at(-1), 'every@650');
});
