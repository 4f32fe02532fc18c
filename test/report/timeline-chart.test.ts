import {test} from 'node:test';
import assert from 'node:assert/strict';
import {timelineChart} from '../../source/report/timeline-chart.js';
import {sessionJson, sessionMarkdown} from '../../source/report/experiment-report.js';
import {initialMeasurement} from '../../source/model/measurement.js';
import {fluentdRecord, kubeDnsRecord, t0} from './records.js';

// kube-dns on an axis from t0 to +14.5 s in 58 columns: 250 ms each.
function chart() {
	const record = kubeDnsRecord();
	return {record, lines: timelineChart(record.measurement, {width: 58, endAt: t0 + 14_500})};
}

function bar(line: string): string {
	return line.slice(line.indexOf('│') + 1, line.lastIndexOf('│'));
}

test('one row per victim, per replacement and per probe layer, on one axis', () => {
	const {lines} = chart();
	assert.deepEqual(lines.map(line => line.split('│')[0].trim()), [
		'✕ kube-dns-7df4cb66cb-9ft98',
		'✕ kube-dns-7df4cb66cb-wvhpz',
		'+ kube-dns-7df4cb66cb-x1',
		'+ kube-dns-7df4cb66cb-x2',
		'DNS',
		'end-to-end',
		'└+0 s    +2 s    +4 s    +6 s    +8 s    +10 s   +12 s   +14 s',
	]);
	assert.ok(lines.slice(0, 6).every(line => bar(line).length === 58));
});

test('the bars change where the times say: 250 ms per column', () => {
	const {lines} = chart();
	const columnOf = (ms: number) => Math.floor(ms / 250);
	const victim = bar(lines[0]);
	assert.equal(victim[0], '█', 'the slot of t0 shows the victim still running');
	assert.equal(victim[columnOf(1000)], '▒');
	assert.equal(victim[columnOf(2100)], ' ', 'gone after +2.0 s');
	const ready = bar(lines[2]);
	assert.equal(ready[columnOf(5800)], '░', 'running, not yet ready');
	assert.equal(ready[columnOf(6000)], '█', 'ready from +6.1 s: the slot a change falls in shows the new state');
	const endToEnd = bar(lines[5]);
	assert.equal(endToEnd[columnOf(400)], '─');
	assert.equal(endToEnd[columnOf(600)], '█', 'the window starts at F0 = +0.5 s');
	assert.equal(endToEnd[columnOf(9400)], '█');
	assert.equal(endToEnd[columnOf(9600)], '─', 'and ends at L1 = +9.5 s');
});

test('nothing to draw before t0', () => {
	assert.deepEqual(timelineChart(initialMeasurement, {width: 40}), []);
});

test('a session report holds every experiment, result lines first', () => {
	const records = [kubeDnsRecord(), fluentdRecord()];
	const markdown = sessionMarkdown(records, t0 + 60_000);
	assert.match(markdown, /^# knockdown session, 2026-03-18T10:01:00\.000Z\n\n- kube-dns · 2 pods deleted · service outage 9\.0 s ± 0\.5 s \(DNS\)[^\n]*\n- fluentd-gcp-v3\.2\.0 · 1 pod deleted · no service impact/);
	assert.match(markdown, /\n## kube-dns \(deployment\/kube-dns, namespace kube-system\)\n/);
	assert.match(markdown, /│\n +└\+0 s/, 'each experiment carries its chart');
	const json = sessionJson(records, t0 + 60_000);
	assert.equal(json.schema, 'knockdown.session/v1');
	assert.deepEqual(json.experiments.map(experiment => experiment.component), ['kube-dns', 'fluentd-gcp-v3.2.0']);
});
