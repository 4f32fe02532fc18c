// The lab over fakes: the probes start with the first experiment (once), the experiment gets
// the lab's parts, and closing stops the probes before what the caller built.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ClusterView} from '../../source/experiment/cluster-view.js';
import type {Deleter} from '../../source/kube/actions.js';
import {createLab} from '../../source/lab/lab.js';
import type {HealthMonitor} from '../../source/probes/types.js';
import {manualClock} from '../../source/time/clock.js';
import {fakeDeployment, fakePod, fakeReplicaSet, t0} from '../ui/fake-objects.js';

const settings = {namespace: 'kube-system', timeoutMs: 60_000, settleMs: 1000, probeIntervalMs: 500, probeTimeoutMs: 2000};

function parts() {
	const calls: string[] = [];
	const deleter = {
		namespace: 'kube-system',
		async deletePod(namespace: string, name: string) {
			calls.push(`deletePod ${namespace} ${name}`);
		},
	} as Deleter;
	const monitor: HealthMonitor = {
		start: () => calls.push('probes start'),
		stop: () => calls.push('probes stop'),
		subscribe: () => () => undefined,
	};
	const view = new ClusterView('kube-system');
	for (const update of [
		{type: 'owner-upserted', owner: fakeReplicaSet('web-abc', 'web', 1)},
		{type: 'owner-upserted', owner: fakeDeployment('web', 1)},
		{type: 'pod-upserted', pod: fakePod('web-abc-1', {replicaSet: 'web-abc'})},
		{type: 'pods-synced'},
	] as const) {
		view.apply(update);
	}

	return {calls, deleter, monitor, view};
}

test('the probes start with the first experiment, once; the delete goes through the lab\'s deleter; close stops the probes, then the caller\'s parts', async () => {
	const {calls, deleter, monitor, view} = parts();
	const abort = new AbortController();
	const lab = createLab({view, deleter, monitor, clock: manualClock(t0)}, settings, async () => {
		calls.push('watches stop');
	});
	assert.equal(calls.length, 0, 'nothing runs before the first experiment');
	const running = lab.startExperiment({component: 'web', mode: 'pod', podName: 'web-abc-1'}, abort.signal);
	assert.deepEqual(calls.filter(call => call === 'probes start'), ['probes start'], 'started with the experiment');
	lab.startProbing();
	assert.deepEqual(calls.filter(call => call === 'probes start'), ['probes start'], 'and only once');
	assert.equal(running.plan.component.name, 'web');
	abort.abort();
	await running.done;
	await lab.close();
	assert.deepEqual(calls.filter(call => !call.startsWith('deletePod')), ['probes start', 'probes stop', 'watches stop']);
});

test('a node experiment without a node actor is refused with a sentence, before anything starts', async () => {
	const {calls, deleter, monitor, view} = parts();
	const lab = createLab({view, deleter, monitor}, settings);
	await assert.rejects(lab.startNodeExperiment({kind: 'kubelet', node: 'node-a', forMs: 60_000, unit: 'kubelet'}), /node experiments are not available here/);
	assert.deepEqual(calls, []);
});
