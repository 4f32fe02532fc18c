// A refused action is reported as failed, never as done: the result line (screen banner,
// `kill`), the sweep's Deleted column, after a 403 and after a 404 alike.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {ExperimentRecord} from '../../source/experiment/engine.js';
import {componentRef} from '../../source/model/component.js';
import {foldMeasurement, type ExperimentAction, type MeasurementEvent} from '../../source/model/measurement.js';
import {resultLine, whatWasDone} from '../../source/report/experiment-report.js';
import {sweepJson} from '../../source/report/sweep-report.js';
import {pod, probes, t0, ticks} from './records.js';

function refused(message: string, action: ExperimentAction = {kind: 'delete-pods'}, answered = false): ExperimentRecord {
	const a = pod('a', 'kube-dns-7df4cb66cb-9ft98');
	const b = pod('b', 'kube-dns-7df4cb66cb-wvhpz');
	const events: MeasurementEvent[] = [
		{type: 'experiment-started', at: t0, component: 'kube-dns', action, pods: [a, b], victims: ['a', 'b'], limits: {timeoutMs: 180_000, settleMs: 5000}},
		...(answered ? [{type: 'action-answered', at: t0 + 10} as const] : []),
		...probes('end-to-end', 0, 400, 100).filter(event => event.at < t0 + 500),
		{type: 'action-failed', at: t0 + 500, message},
		...ticks(600),
	];
	return {namespace: 'kube-system', component: componentRef('Deployment', 'kube-dns'), mode: 'pods', podCount: 2, measurement: foldMeasurement(events), interrupted: false};
}

const forbidden = 'forbidden: pods "kube-dns-7df4cb66cb-9ft98" is forbidden: User "u" cannot delete resource "pods"';
const notFound = 'pods "kube-dns-7df4cb66cb-9ft98" not found';

test('a refused delete: "delete failed: …", never "2 pods deleted"', () => {
	assert.equal(resultLine(refused(forbidden)), `kube-dns · delete failed: ${forbidden}`);
	assert.equal(resultLine(refused(notFound)), `kube-dns · delete failed: ${notFound}`);
	assert.equal(whatWasDone(refused(forbidden, {kind: 'delete-workload', workloadKind: 'Deployment', workloadName: 'kube-dns'}).measurement), `delete of deployment/kube-dns failed: ${forbidden}`);
	assert.equal(whatWasDone(refused('exec not permitted', {kind: 'kill-container', pod: 'kube-dns-7df4cb66cb-9ft98'}).measurement), 'kill 1 in kube-dns-7df4cb66cb-9ft98 failed: exec not permitted');
});

test('a later request that failed (the hammer\'s) after the first was answered: done, then failed', () => {
	assert.equal(resultLine(refused(forbidden, {kind: 'delete-pods'}, true)), `kube-dns · 2 pods deleted · then failed: ${forbidden}`);
});

test('the sweep\'s Deleted column says the delete failed, after a 403 and after a 404', () => {
	for (const message of [forbidden, notFound]) {
		const report = sweepJson({
			namespace: 'kube-system', mode: 'pods', startedAt: t0, finishedAt: t0 + 1000, nodeCount: 3,
			entries: [{component: componentRef('Deployment', 'kube-dns'), podCount: 2, record: refused(message)}],
		});
		const row = report.rows.find(candidate => candidate.name === 'kube-dns');
		assert.equal(row?.deleted, `delete failed: ${message}`);
	}
});
