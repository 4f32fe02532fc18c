import {test} from 'node:test';
import assert from 'node:assert/strict';
import {experimentJson, experimentMarkdown, formatTimelineEntry, resultLine} from '../../source/report/experiment-report.js';
import {entryText} from '../../source/report/measurement-text.js';
import {fluentdRecord, kubeDnsRecord, t0} from './records.js';

test('the one-line result names the component, what was deleted, the outage with its bound and hop, and the times', () => {
	assert.equal(
		resultLine(kubeDnsRecord()),
		'kube-dns · 2 pods deleted · service outage 9.0 s ± 0.5 s (DNS) · first replacement ready +6.1 s · recovered +9.3 s',
	);
	assert.equal(
		resultLine(fluentdRecord()),
		'fluentd-gcp-v3.2.0 · 1 pod deleted · no service impact (17 probes) · first replacement ready +3.3 s · recovered +3.3 s',
	);
});

test('the JSON document holds every key of the stable interface, times relative to t0', () => {
	const json = experimentJson(kubeDnsRecord());
	assert.equal(json.schema, 'knockdown.experiment/v1');
	assert.equal(json.component, 'kube-dns');
	assert.equal(json.action, 'delete-pods');
	assert.equal(json.t0, t0);
	assert.equal(json.verdict, 'service-impact');
	assert.equal(json.recoveredMs, 9300);
	assert.equal(json.firstReplacementReadyMs, 6100);
	assert.equal(json.serviceOutageMs, 9000);
	assert.equal(json.brokenHop, 'dns');
	const endToEnd = json.outages.find(outage => outage.layer === 'end-to-end');
	assert.deepEqual(
		endToEnd && {start: endToEnd.startMs, end: endToEnd.endMs, duration: endToEnd.durationMs, uncertainty: endToEnd.uncertaintyMs},
		{start: 500, end: 9500, duration: 9000, uncertainty: 500},
	);
	assert.deepEqual(json.victims.map(victim => [victim.name, victim.terminatingMs, victim.goneMs]), [
		['kube-dns-7df4cb66cb-9ft98', 20, 2000],
		['kube-dns-7df4cb66cb-wvhpz', 21, 2100],
	]);
	assert.deepEqual(json.replacements[0], {
		name: 'kube-dns-7df4cb66cb-x1', uid: 'c', node: 'node-a', createdMs: 200, scheduledMs: 300, runningMs: 2000, readyMs: 6100, sameNameAsVictim: false,
	});
	assert.equal('workloadGoneMs' in json, false, 'workload times only when the workload was deleted');
	// It survives a round trip: nothing in it that JSON cannot hold.
	assert.deepEqual(JSON.parse(JSON.stringify(json)), json);
});

test('the Markdown report carries the result line, the windows and each pod\'s steps', () => {
	const markdown = experimentMarkdown(kubeDnsRecord());
	assert.match(markdown, /\*\*kube-dns · 2 pods deleted · service outage 9\.0 s ± 0\.5 s \(DNS\)/);
	assert.match(markdown, /\| end-to-end \| \+0\.5 s \| \+9\.5 s \| 9\.0 s ± 0\.5 s \| 8\.5 s … 9\.5 s \|/);
	assert.match(markdown, /\| kube-dns-7df4cb66cb-x1 \| replacement \| \+0\.2 s \| \+0\.3 s \| \+2\.0 s \| \+6\.1 s \| \| \|/);
	assert.match(markdown, /- function: DNS down 8\.5 s ± 0\.5 s/);
});

test('timeline entries print with their time from t0', () => {
	const record = kubeDnsRecord();
	const state = record.measurement;
	const ready = state.log.find(entry => entryText(entry, state) === 'kube-dns-7df4cb66cb-x1 ready')!;
	assert.equal(formatTimelineEntry(state, ready), '   +6.1 s  kube-dns-7df4cb66cb-x1 ready');
});
