import {test} from 'node:test';
import assert from 'node:assert/strict';
import {componentRef} from '../../source/model/component.js';
import {sweepJson, sweepMarkdown} from '../../source/report/sweep-report.js';
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

test('the Markdown table has the talk\'s columns and one line per component', () => {
	const markdown = sweepMarkdown(report());
	assert.match(markdown, /^\| Name \| Type \| Count \| Deleted \| Service impact \| Function impact \| First replacement ready \| Recovered \| Verified \(talk\) \|$/m);
	assert.match(markdown, /^\| kube-dns \| Deployment \| 2 \| 2 pods deleted \| service outage 9\.0 s ± 0\.5 s \(DNS\) \| DNS down 8\.5 s ± 0\.5 s \| \+6\.1 s \| \+9\.3 s \| service impact — \*\*confirmed\*\* \|$/m);
	assert.match(markdown, /^\| fluentd-gcp-v3\.2\.0 \(fluentd-gcp-v\*\) \| DaemonSet \| 3 \| 1 pod deleted \| no service impact \(17 probes\) \| — \| \+3\.3 s \| \+3\.3 s \| no service impact — \*\*confirmed\*\* \|$/m);
	assert.match(markdown, /^\| kubelet \| systemd unit \| 3 \| — \| cannot be stopped through the API: a systemd unit on each node, not a pod \|/m);
	assert.match(markdown, /^- \*\*l7-default-backend\*\*: skipped: not in the talk$/m);
});
