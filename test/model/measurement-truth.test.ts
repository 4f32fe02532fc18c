// What the measurement may and may not conclude: a lost API server ends an experiment as
// unknown after its grace period (never "not recovered" from silence), a server back within
// it lets the measurement go on; SLOW runs are windows with bounds; the timeline is in time order.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	apiServerGraceMs,
	degradedWindows,
	foldMeasurement,
	timelineInOrder,
	type MeasurementEvent,
	type PodObservation,
} from '../../source/model/measurement.js';
import type {ProbeLayer, ProbeResult} from '../../source/probes/types.js';
import {entryText, verdictWithWhy} from '../../source/report/measurement-text.js';

const t0 = 100_000;

function pod(uid: string, name: string, fields: Partial<PodObservation> = {}): PodObservation {
	return {uid, name, nodeName: 'node-a', phase: 'Running', ready: true, terminating: false, scheduled: true, ...fields};
}

const victim = pod('uid-a', 'fluentd-gcp-v3.2.0-abcde');
const start: MeasurementEvent = {
	type: 'experiment-started',
	at: t0,
	component: 'fluentd-gcp-v3.2.0',
	action: {kind: 'delete-pods'},
	pods: [victim],
	victims: ['uid-a'],
	limits: {timeoutMs: 60_000, settleMs: 5000},
};

function probe(layer: ProbeLayer, at: number, outcome: ProbeResult['outcome'], latencyMs = 5): MeasurementEvent {
	return {type: 'probe-result', at: t0 + at + latencyMs, result: {layer, sentAt: t0 + at, outcome, latencyMs, detail: outcome === 'slow' ? `answered in ${latencyMs} ms` : undefined}};
}

function ticks(from: number, to: number, every = 500): MeasurementEvent[] {
	const events: MeasurementEvent[] = [];
	for (let at = from; at <= to; at += every) {
		events.push({type: 'tick', at: t0 + at});
	}

	return events;
}

test('the API server lost and not back within the grace period: over at once as unknown, "lost the API server at +X s", not "not recovered"', () => {
	const state = foldMeasurement([
		start,
		probe('end-to-end', 0, 'ok'),
		{type: 'pod-seen', at: t0 + 50, pod: {...victim, terminating: true}},
		{type: 'api-server-lost', at: t0 + 2500, since: t0 + 2000, reason: 'no answer to GET /version within 1 s'},
		...ticks(2500, 2000 + apiServerGraceMs + 500),
	]);
	assert.equal(state.ending?.reason, 'api-server-lost');
	assert.ok(state.ending!.at >= t0 + 2000 + apiServerGraceMs && state.ending!.at < t0 + 2000 + apiServerGraceMs + 600, 'as soon as the grace period is over');
	assert.deepEqual(verdictWithWhy(state), {verdict: 'unknown', why: 'lost the API server at +2.0 s (no answer to GET /version within 1 s)'});
});

test('the time limit passing while the API server is away is unknown too, never "not recovered"', () => {
	const state = foldMeasurement([
		{...start, limits: {timeoutMs: 3000, settleMs: 5000}},
		{type: 'api-server-lost', at: t0 + 2000, since: t0 + 2000, reason: 'connection refused'},
		...ticks(2000, 4000),
	]);
	assert.equal(state.ending?.reason, 'api-server-lost');
	assert.equal(verdictWithWhy(state).verdict, 'unknown');
});

test('the API server back within the grace period: measuring goes on to a real verdict, the gap noted', () => {
	const events: MeasurementEvent[] = [start];
	for (let at = 0; at <= 20_000; at += 500) {
		const away = at >= 2000 && at < 6000;
		events.push(probe('end-to-end', at, away ? 'unknown' : 'ok'));
		if (at === 2000) {
			events.push({type: 'api-server-lost', at: t0 + 2000, since: t0 + 2000, reason: 'connection refused'});
		}

		if (at === 6000) {
			events.push({type: 'api-server-back', at: t0 + 6000});
			events.push({type: 'pod-deleted', at: t0 + 6100, uid: 'uid-a', name: victim.name});
			events.push({type: 'pod-seen', at: t0 + 6200, pod: pod('uid-b', 'fluentd-gcp-v3.2.0-fghij')});
		}

		events.push({type: 'tick', at: t0 + at + 10});
	}

	const state = foldMeasurement(events.sort((a, b) => a.at - b.at));
	assert.equal(state.ending?.reason, 'settled');
	assert.deepEqual(verdictWithWhy(state), {verdict: 'no-service-impact'});
	assert.ok(state.log.some(entry => entryText(entry, state) === 'API server back after 4.0 s: measuring again'));
});

test('a run of SLOW answers is a degraded window with bounds, as an outage is; fail and unknown neither break nor extend it', () => {
	const state = foldMeasurement([
		start,
		probe('dns', 0, 'ok'),
		probe('dns', 500, 'slow', 4800),
		probe('dns', 1000, 'fail', 2000),
		probe('dns', 1500, 'slow', 4000),
		probe('dns', 2000, 'unknown'),
		probe('dns', 2500, 'ok'),
	].sort((a, b) => a.at - b.at));
	const windows = degradedWindows(state, 'dns');
	assert.equal(windows.length, 1);
	assert.deepEqual(
		{first: windows[0].firstFailAt - t0, last: windows[0].lastFailAt - t0, okAfter: windows[0].firstOkAfterAt! - t0, duration: windows[0].durationMs, min: windows[0].minMs, max: windows[0].maxMs, slow: windows[0].failures},
		{first: 500, last: 1500, okAfter: 2500, duration: 2000, min: 1000, max: 2500, slow: 2},
	);
});

test('the timeline is in time order: a failure known at its timeout stands before what happened meanwhile', () => {
	const state = foldMeasurement([
		start,
		probe('end-to-end', 0, 'ok'),
		{type: 'pod-seen', at: t0 + 2100, pod: {...victim, terminating: true}},
		// Sent at +0.5 s, known at +2.5 s when it timed out.
		probe('end-to-end', 500, 'fail', 2000),
	]);
	const texts = timelineInOrder(state).map(entry => `${entry.at - t0} ${entryText(entry, state)}`);
	assert.deepEqual(texts.slice(1), ['500 end-to-end failing', '2100 fluentd-gcp-v3.2.0-abcde terminating']);
	assert.notDeepEqual(state.log.map(entry => entry.at), timelineInOrder(state).map(entry => entry.at), 'the log itself is in arrival order');
});
