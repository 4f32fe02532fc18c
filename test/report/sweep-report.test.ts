import {test} from 'node:test';
import assert from 'node:assert/strict';
import {componentRef} from '../../source/model/component.js';
import {slideTable, sweepJson, sweepMarkdown} from '../../source/report/sweep-report.js';
import {fluentdRecord, kubeDnsRecord, t0} from './records.js';

function report() {
	return sweepJson({
		namespace: 'kube-system',
		mode: 'pods',
		startedAt: t0,
		finishedAt: t0 + 60_000,
		nodeCount: 3,
		entries: [
			{component: componentRef('DaemonSet', 'fluentd-gcp-v3.2.0'), podCount: 3, record: fluentdRecord()},
			{component: componentRef('Deployment', 'kube-dns'), podCount: 2, record: kubeDnsRecord()},
			{component: componentRef('Deployment', 'l7-default-backend'), podCount: 1, note: 'skipped: not in the talk'},
		],
	});
}

test('the sweep keeps the talk\'s order, with kubelet first saying it cannot be stopped through the API', () => {
	const rows = report().rows;
	assert.deepEqual(rows.map(row => row.name), ['kubelet', 'kube-dns', 'fluentd-gcp-v3.2.0', 'l7-default-backend']);
	assert.equal(rows[0].count, 3);
	assert.match(rows[0].serviceImpact, /cannot be stopped through the API/);
	assert.equal(rows[0].experiment, null);
});

test('each measured row holds the talk against the measurement', () => {
	const [, dns, fluentd, backend] = report().rows;
	assert.equal(dns.verdict, 'service-impact');
	assert.equal(dns.verified, 'confirmed');
	assert.equal(dns.serviceImpact, 'service outage 9.0 s ± 0.5 s (DNS)');
	assert.equal(dns.functionImpact, 'DNS down 8.5 s ± 0.5 s');
	assert.equal(dns.firstReplacementReadyMs, 6100);
	assert.equal(dns.recoveredMs, 9300);
	assert.equal(fluentd.verified, 'confirmed');
	assert.equal(fluentd.functionImpact, null);
	assert.equal(backend.verified, 'not-in-talk');
	assert.equal(backend.serviceImpact, 'not measured');
});

test('the Markdown is the talk\'s table split so a slide holds it: no line over 100 characters, every fact kept', () => {
	const markdown = sweepMarkdown(report());
	const lines = markdown.split('\n');
	const widest = lines.reduce((best, line) => (line.length > best.length ? line : best), '');
	assert.ok(widest.length <= 100, `${widest.length}: ${widest}`);
	assert.match(markdown, /^\| Name \| Type \| Count \| Deleted \|$/m);
	assert.match(markdown, /^\| kube-dns \| Deployment \| 2 \| 2 pods deleted \|$/m);
	assert.match(markdown, /^\| kube-dns \| service outage 9\.0 s ± 0\.5 s \(DNS\) \| DNS down 8\.5 s ± 0\.5 s \|$/m);
	assert.match(markdown, /^\| kube-dns \| \+6\.1 s \| \+9\.3 s \|$/m);
	assert.match(markdown, /^\| kube-dns \| kube-dns \| service impact \| \*\*confirmed\*\* \|$/m);
	assert.match(markdown, /^\| fluentd-gcp-v3\.2\.0 \| fluentd-gcp-v\* \| no service impact \| \*\*confirmed\*\* \|$/m);
	assert.match(markdown, /^\| kubelet \| cannot be stopped through the API: a systemd unit on each node, not a pod \| — \|$/m);
	assert.match(markdown, /^- \*\*l7-default-backend\*\*: skipped: not in the talk$/m);
});

test('a cell too wide for the slide becomes a numbered note under the table, with its whole text', () => {
	const notes: string[] = [];
	const long = 'NOT RECOVERED; service outage ≥ 180.0 s, still down (DNS) and a great deal more to say about it';
	const lines = slideTable(['Name', 'Service impact', 'Function impact'], [['kube-dns', long, 'DNS down 180.0 s ± 0.5 s']], notes);
	assert.ok(lines.every(line => line.length <= 100), lines.join('\n'));
	assert.deepEqual(notes, [long]);
	assert.match(lines[2], /^\| kube-dns \| NOT RECOVERED; service outage .*… \[1\] \| DNS down 180\.0 s ± 0\.5 s \|$/);
});
