import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createProbeScheduler, type LayerReport, type ScheduledProbe} from '../../source/probes/scheduler.js';
import type {ProbeResult} from '../../source/probes/types.js';
import {manualClock, type ManualClock} from '../../source/time/clock.js';
import {advanceSettled} from '../helpers/clock.js';

const start = 1_000_000;

/** A probe whose every run answers after `delayMs` of fake time (undefined: never answers). */
function delayedProbe(clock: ManualClock, delayMs: () => number | undefined, report: Omit<LayerReport, 'layer'> = {outcome: 'ok'}) {
	const sentAt: number[] = [];
	const signals: AbortSignal[] = [];
	const probe: ScheduledProbe = {
		name: 'dns',
		layers: ['dns'],
		slowMs: 300,
		run(signal) {
			sentAt.push(clock.now());
			signals.push(signal);
			const delay = delayMs();
			return new Promise(resolve => {
				if (delay !== undefined) {
					clock.after(delay, () => resolve([{layer: 'dns', ...report}]));
				}
			});
		},
	};
	return {probe, sentAt, signals};
}

function run(clock: ManualClock, probe: ScheduledProbe, options: {intervalMs?: number; timeoutMs?: number; maxInFlight?: number} = {}) {
	const results: ProbeResult[] = [];
	const scheduler = createProbeScheduler({
		clock,
		intervalMs: options.intervalMs ?? 500,
		timeoutMs: options.timeoutMs ?? 2000,
		maxInFlight: options.maxInFlight,
		probes: () => [probe],
		onResult: result => results.push(result),
	});
	scheduler.start();
	return {scheduler, results};
}

test('probes go out on a fixed schedule, each stamped with its send time and its latency', async () => {
	const clock = manualClock(start);
	const {probe, sentAt} = delayedProbe(clock, () => 40);
	const {scheduler, results} = run(clock, probe);
	await advanceSettled(clock, 2100);
	scheduler.stop();

	assert.deepEqual(sentAt.map(at => at - start), [0, 500, 1000, 1500, 2000]);
	assert.deepEqual(
		results.map(result => [result.sentAt - start, result.outcome, result.latencyMs]),
		[
			[0, 'ok', 40],
			[500, 'ok', 40],
			[1000, 'ok', 40],
			[1500, 'ok', 40],
			[2000, 'ok', 40],
		],
	);
});

test('the schedule does not drift when probes are slow', async () => {
	const clock = manualClock(start);
	const {probe, sentAt} = delayedProbe(clock, () => 450);
	const {scheduler} = run(clock, probe, {maxInFlight: 3});
	await advanceSettled(clock, 3000);
	scheduler.stop();
	assert.deepEqual(sentAt.map(at => at - start), [0, 500, 1000, 1500, 2000, 2500, 3000]);
});

test('an ok answer slower than slowMs is slow', async () => {
	const clock = manualClock(start);
	const delays = [100, 350];
	const {probe} = delayedProbe(clock, () => delays.shift() ?? 100);
	const {scheduler, results} = run(clock, probe);
	await advanceSettled(clock, 900);
	scheduler.stop();
	assert.deepEqual(
		results.map(result => result.outcome),
		['ok', 'slow'],
	);
	assert.match(results[1].detail ?? '', /answered in 350ms/);
});

test('a probe that does not answer within the timeout fails at its send time, is aborted, and its late answer is ignored', async () => {
	const clock = manualClock(start);
	const delays: Array<number | undefined> = [2600];
	const {probe, signals} = delayedProbe(clock, () => (delays.length > 0 ? delays.shift() : 10));
	const {scheduler, results} = run(clock, probe, {maxInFlight: 5});
	await advanceSettled(clock, 1999);
	assert.equal(results.filter(result => result.sentAt === start).length, 0, 'not failed before the timeout');
	await advanceSettled(clock, 1000);
	scheduler.stop();

	const first = results.filter(result => result.sentAt === start);
	assert.equal(first.length, 1, 'one result for the first probe, not a second one when its answer comes late');
	assert.equal(first[0].outcome, 'fail');
	assert.equal(first[0].cause, 'timeout');
	assert.equal(first[0].latencyMs, 2000);
	assert.match(first[0].detail ?? '', /no answer within 2s/);
	assert.equal(signals[0].aborted, true);
	assert.equal(signals[1].aborted, false);
});

test('at the in-flight limit a slot is not sent; it is recorded with the outcome of the probe it waited behind', async () => {
	const clock = manualClock(start);
	// The first two probes hang until their timeout; from then on answers are quick.
	let calls = 0;
	const {probe, sentAt} = delayedProbe(clock, () => (++calls <= 2 ? undefined : 20));
	const {scheduler, results} = run(clock, probe, {maxInFlight: 2});
	await advanceSettled(clock, 2999);
	scheduler.stop();

	assert.deepEqual(
		sentAt.map(at => at - start),
		[0, 500, 2000, 2500],
		'slots 1000 and 1500 were not sent while two probes waited',
	);
	const bySlot = new Map(results.map(result => [result.sentAt - start, result]));
	assert.deepEqual(
		[...bySlot.keys()].sort((a, b) => a - b),
		[0, 500, 1000, 1500, 2000, 2500],
		'one result per slot',
	);
	for (const slot of [1000, 1500]) {
		const result = bySlot.get(slot)!;
		assert.equal(result.outcome, 'fail');
		assert.equal(result.notSent, true);
		assert.equal(result.cause, 'timeout');
		assert.equal(result.latencyMs, 2000 - slot, 'waited until the blocking probe timed out');
		assert.equal(result.detail, 'no answer within 2s', 'the detail of the probe it waited behind');
	}

	assert.equal(bySlot.get(0)!.notSent, undefined);
	assert.equal(bySlot.get(2000)!.outcome, 'ok');
});

test('a stalled client is not a failing app: a timeout that runs long after it was due gives the probe its time again', async () => {
	const clock = manualClock(start);
	let answer: (() => void) | undefined;
	const probe: ScheduledProbe = {
		name: 'dns',
		layers: ['dns'],
		run: async () => new Promise(resolve => {
			answer = () => resolve([{layer: 'dns', outcome: 'ok'}]);
		}),
	};
	const {scheduler, results} = run(clock, probe, {intervalMs: 60_000, timeoutMs: 2000});
	// The process did not run for 3 s (its timers could not fire); the answer came meanwhile.
	clock.jump(3000);
	await advanceSettled(clock, 0);
	assert.equal(results.length, 0, 'not judged on a timer that ran 1 s late');
	answer!();
	await advanceSettled(clock, 0);
	assert.deepEqual(results.map(result => [result.outcome, result.latencyMs]), [['ok', 3000]]);
	// Silent from here on, the clock running normally: a timeout, after the re-armed 2 s.
	await advanceSettled(clock, 60_000);
	const late = results[1]!;
	assert.equal(late.outcome, 'fail');
	assert.equal(late.cause, 'timeout');
	assert.equal(late.latencyMs, 2000);
	scheduler.stop();
});

test('a probe that throws is unknown, never a crash', async () => {
	const clock = manualClock(start);
	const probe: ScheduledProbe = {
		name: 'boom',
		layers: ['end-to-end'],
		run() {
			throw new Error('kaput');
		},
	};
	const {scheduler, results} = run(clock, probe);
	await advanceSettled(clock, 10);
	scheduler.stop();
	assert.equal(results[0].outcome, 'unknown');
	assert.match(results[0].detail ?? '', /kaput/);
});

test('stop cancels every timer, aborts what is in flight and reports nothing more', async () => {
	const clock = manualClock(start);
	const {probe, signals} = delayedProbe(clock, () => undefined);
	const {scheduler, results} = run(clock, probe);
	await advanceSettled(clock, 600);
	scheduler.stop();
	assert.equal(clock.pendingCount, 0);
	assert.ok(signals.every(signal => signal.aborted));
	await advanceSettled(clock, 5000);
	assert.equal(results.length, 0);
});

test('a timer that fires late does not send a burst of stale slots', async () => {
	const clock = manualClock(start);
	const sent: number[] = [];
	const probe: ScheduledProbe = {
		name: 'e2e',
		layers: ['end-to-end'],
		async run() {
			sent.push(clock.now() - start);
			return [{layer: 'end-to-end', outcome: 'ok'}];
		},
	};
	const {scheduler} = run(clock, probe);
	await advanceSettled(clock, 500);
	clock.jump(1700); // Blocked from 500 to 2200: slots 1000, 1500 and 2000 were missed.
	await advanceSettled(clock, 0);
	await advanceSettled(clock, 1000);
	scheduler.stop();
	assert.deepEqual(sent, [0, 500, 2200, 2500, 3000], 'the late timer sends once, then the schedule resumes on its grid');
});
