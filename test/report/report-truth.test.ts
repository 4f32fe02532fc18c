// What the reports say about where they were measured, slow windows, and timeline order.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {componentRef} from '../../source/model/component.js';
import {foldMeasurement, type MeasurementEvent} from '../../source/model/measurement.js';
import {experimentJson, experimentMarkdown, resultLine} from '../../source/report/experiment-report.js';
import {OrderedTimeline} from '../../source/report/ordered-timeline.js';
import {sweepJson, sweepMarkdown} from '../../source/report/sweep-report.js';
import type {ExperimentRecord} from '../../source/experiment/engine.js';
import {knockdownVersion} from '../../source/version.js';
import {pod, t0, ticks} from './records.js';

const measuredOn = {context: 'gke_demo', server: 'https://10.0.0.1', namespace: 'kube-system', knockdownVersion};

/** One of two kube-dns pods deleted with a 6 s probe timeout: DNS and the path answer late (SLOW) from +0.5 s to +3.0 s, never fail. */
function slowDnsRecord(): ExperimentRecord {
	const a = pod('a', 'kube-dns-7df4cb66cb-9ft98');
	const b = pod('b', 'kube-dns-7df4cb66cb-wvhpz');
	const events: MeasurementEvent[] = [
		{type: 'experiment-started', at: t0, component: 'kube-dns', action: {kind: 'delete-pod', pod: a.name}, pods: [a, b], victims: ['a'], limits: {timeoutMs: 180_000, settleMs: 5000}},
		{type: 'pod-deleted', at: t0 + 1500, uid: 'a', name: a.name},
		{type: 'pod-seen', at: t0 + 4000, pod: pod('c', 'kube-dns-7df4cb66cb-x1')},
		...ticks(15_000),
	];
	for (const layer of ['dns', 'end-to-end'] as const) {
		for (let at = -1000; at <= 15_000; at += 500) {
			const slow = at >= 500 && at < 3000;
			const latencyMs = slow ? 5000 : 5;
			events.push({type: 'probe-result', at: t0 + at + latencyMs, result: {layer, sentAt: t0 + at, outcome: slow ? 'slow' : 'ok', latencyMs, detail: slow ? 'answered in 5.0s' : undefined}});
		}
	}

	const measurement = foldMeasurement(events.sort((x, y) => x.at - y.at));
	return {namespace: 'kube-system', component: componentRef('Deployment', 'kube-dns'), mode: 'pod', podCount: 2, measurement, interrupted: false, measuredOn};
}

test('slow windows are in the JSON with their bound, in the result line, and a table of the Markdown report', () => {
	const record = slowDnsRecord();
	const json = experimentJson(record);
	assert.equal(json.verdict, 'no-service-impact');
	assert.deepEqual(json.degradations.map(slow => ({layer: slow.layer, startMs: slow.startMs, endMs: slow.endMs, durationMs: slow.durationMs, uncertaintyMs: slow.uncertaintyMs, slowProbes: slow.slowProbes})), [
		{layer: 'dns', startMs: 500, endMs: 3000, durationMs: 2500, uncertaintyMs: 500, slowProbes: 5},
		{layer: 'end-to-end', startMs: 500, endMs: 3000, durationMs: 2500, uncertaintyMs: 500, slowProbes: 5},
	]);
	assert.match(resultLine(record), / · slow: DNS 2\.5 s ± 0\.5 s, end-to-end 2\.5 s ± 0\.5 s · /);
	assert.match(experimentMarkdown(record), /\| Slow \(answered late\) \| Start \| End \| Duration \| True window between \|\n\|---\|---\|---\|---\|---\|\n\| DNS \| \+0\.5 s \| \+3\.0 s \| 2\.5 s ± 0\.5 s \| 2\.0 s … 3\.0 s \|/);
	const sweep = sweepJson({namespace: 'kube-system', mode: 'pod', startedAt: t0, finishedAt: t0 + 20_000, entries: [{component: record.component, podCount: 2, record}], nodeCount: 3, measuredOn});
	assert.match(sweep.rows.find(row => row.name === 'kube-dns')!.serviceImpact, /slow: DNS 2\.5 s ± 0\.5 s/);
});

test('reports name the context, server, namespace and knockdown version they measured', () => {
	const record = slowDnsRecord();
	assert.deepEqual(experimentJson(record).measuredOn, measuredOn);
	assert.match(experimentMarkdown(record), new RegExp(`- measured on: context gke_demo · server https://10\\.0\\.0\\.1 · namespace kube-system · knockdown ${knockdownVersion.replaceAll('.', '\\.')}`));
	const sweep = sweepJson({namespace: 'kube-system', mode: 'pod', startedAt: t0, finishedAt: t0 + 20_000, entries: [], nodeCount: 3, measuredOn});
	assert.deepEqual(sweep.measuredOn, measuredOn);
	assert.match(sweepMarkdown(sweep), /Measured on context gke_demo · server https:\/\/10\.0\.0\.1 · namespace kube-system · knockdown /);
	assert.match(knockdownVersion, /^\d+\.\d+\.\d+/);
});

test('the JSON and Markdown timelines are in time order', () => {
	const record = slowDnsRecord();
	const times = experimentJson(record).timeline.map(entry => entry.atMs);
	assert.deepEqual(times, [...times].sort((a, b) => a - b));
	assert.ok(record.measurement.log.some((entry, index, log) => index > 0 && entry.at < log[index - 1].at), 'the arrival order was not');
});

test('the live timeline holds each line until nothing earlier can arrive, then prints in order; a line later than that is marked late', () => {
	const timeline = new OrderedTimeline<{at: number; text: string}>(3500);
	timeline.add({at: 0, text: 'delete'});
	timeline.add({at: 2100, text: 'terminating'});
	assert.deepEqual(timeline.take(3000), []);
	assert.deepEqual(timeline.take(3600), [{entry: {at: 0, text: 'delete'}, late: false}]);
	// Sent at +0.5 s, timed out at +2.5 s, judged a second later.
	timeline.add({at: 500, text: 'end-to-end failing'});
	assert.deepEqual(timeline.take(4000).map(placed => placed.entry.text), ['end-to-end failing']);
	assert.deepEqual(timeline.take(5600).map(placed => placed.entry.text), ['terminating']);
	timeline.add({at: 1000, text: 'very late'});
	timeline.add({at: 9000, text: 'over'});
	assert.deepEqual(timeline.take(6000, true), [{entry: {at: 1000, text: 'very late'}, late: true}, {entry: {at: 9000, text: 'over'}, late: false}]);
});
