import {test} from 'node:test';
import assert from 'node:assert/strict';
import {formatDuration, parseDuration} from '../../source/config/duration.js';

test('durations read like 500ms, 2s, 1m; a bare number is milliseconds', () => {
	assert.equal(parseDuration('500ms'), 500);
	assert.equal(parseDuration('2s'), 2000);
	assert.equal(parseDuration('1m'), 60_000);
	assert.equal(parseDuration('1m30s'), 90_000);
	assert.equal(parseDuration('250'), 250);
	assert.equal(parseDuration('1.5s'), 1500);
});

test('anything else is not a duration', () => {
	assert.equal(parseDuration('fast'), undefined);
	assert.equal(parseDuration('2 s'), undefined);
	assert.equal(parseDuration('2sx'), undefined);
	assert.equal(parseDuration(''), undefined);
});

test('durations print short', () => {
	assert.equal(formatDuration(400), '400ms');
	assert.equal(formatDuration(8700), '8.7s');
	assert.equal(formatDuration(90_000), '1m30s');
});
