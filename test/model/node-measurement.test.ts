// A kubelet experiment folded from explicit events: node NotReady → Ready, the node's pods
// marked not ready, a deletion that hangs, a pod that cannot start, and recovery only once
// all of that has settled.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {foldMeasurement, missing, type MeasurementEvent, type PodObservation} from '../../source/model/measurement.js';
import {experimentJson} from '../../source/report/experiment-report.js';
import {missingTexts} from '../../source/report/measurement-text.js';

const T0 = 1_000_000;
const pod = (name: string, extra: Partial<PodObservation> = {}): PodObservation => ({
	uid: `uid-${name}`, name, nodeName: 'n1', phase: 'Running', ready: true, terminating: false, scheduled: true, ...extra,
});
const ok = (at: number): MeasurementEvent => ({type: 'probe-result', at, result: {layer: 'end-to-end', sentAt: at, outcome: 'ok', latencyMs: 5}});

const started: MeasurementEvent = {
	type: 'experiment-started',
	at: T0,
	component: 'kubelet/n1',
	action: {kind: 'stop-kubelet', node: 'n1', forMs: 60_000},
	pods: [pod('default/redis-leader'), pod('kube-system/fluentd')],
	victims: [],
	limits: {timeoutMs: 300_000, settleMs: 5000, minProbes: 1},
};

const during: MeasurementEvent[] = [
	ok(T0 - 100),
	started,
	{type: 'helper-seen', at: T0 + 1600, phase: 'Running'},
	{type: 'node-seen', at: T0 + 41_600, ready: 'Unknown'},
	{type: 'pod-seen', at: T0 + 41_700, pod: pod('default/redis-leader', {ready: false})},
	{type: 'pod-seen', at: T0 + 41_700, pod: pod('kube-system/fluentd', {ready: false})},
	{type: 'pod-seen', at: T0 + 45_000, pod: pod('default/redis-leader', {ready: false, terminating: true})},
	{type: 'pod-seen', at: T0 + 50_000, pod: pod('default/new-one', {phase: 'Pending', ready: false})},
];

test('NotReady, pods marked not ready, a hanging delete and an unstarted pod are recorded; nothing is recovered while they last', () => {
	const state = foldMeasurement([...during, ok(T0 + 55_000), {type: 'tick', at: T0 + 60_000}]);
	assert.equal(state.node?.stopRunningAt, T0 + 1600);
	assert.equal(state.node?.notReadyAt, T0 + 41_600);
	assert.deepEqual(state.node?.podsNotReady.map(entry => [entry.name, entry.at]), [['default/redis-leader', T0 + 41_700], ['kube-system/fluentd', T0 + 41_700]]);
	assert.deepEqual(state.node?.hangingDeletes, [{name: 'default/redis-leader', since: T0 + 45_000, duringNotReady: true}]);
	assert.deepEqual(state.node?.unstarted, [{name: 'default/new-one', since: T0 + 50_000}]);
	assert.equal(state.recoveredAt, undefined);
	assert.deepEqual(missingTexts(missing(state), state), ['kubelet on n1 not back', 'node n1 not Ready', '2 pods on n1 not Ready', '1 deletion still hanging', '1 pod not started']);
});

test('the kubelet back: Ready again, the deletion completes, the pod starts, the others are Ready: recovered, then over after the settle time', () => {
	const state = foldMeasurement([
		...during,
		{type: 'node-seen', at: T0 + 62_000, ready: 'True'},
		{type: 'helper-seen', at: T0 + 62_000, phase: 'Succeeded'},
		{type: 'pod-seen', at: T0 + 62_100, pod: pod('kube-system/fluentd')},
		{type: 'pod-deleted', at: T0 + 63_700, uid: 'uid-default/redis-leader', name: 'default/redis-leader'},
		{type: 'pod-seen', at: T0 + 63_000, pod: pod('default/new-one', {phase: 'Running', ready: false})},
		{type: 'pod-seen', at: T0 + 64_000, pod: pod('default/new-one')},
		ok(T0 + 64_500),
		{type: 'tick', at: T0 + 70_000},
	]);
	assert.equal(state.node?.readyAgainAt, T0 + 62_000);
	assert.equal(state.node?.kubeletBackAt, T0 + 62_000);
	assert.equal(state.node?.hangingDeletes[0].goneAt, T0 + 63_700);
	assert.equal(state.node?.unstarted[0].runningAt, T0 + 63_000);
	assert.equal(state.recoveredAt, T0 + 64_000);
	assert.equal(state.ending?.reason, 'settled');
	const json = experimentJson({namespace: 'kube-system', component: {kind: 'Node', name: 'kubelet/n1', key: 'node/n1'} as any, mode: 'pods', podCount: 2, measurement: state, interrupted: false});
	assert.equal(json.action, 'stop-kubelet');
	assert.deepEqual({notReady: json.node?.notReadyMs, ready: json.node?.readyAgainMs, back: json.node?.kubeletBackMs}, {notReady: 41_600, ready: 62_000, back: 62_000});
	assert.deepEqual(json.node?.hangingDeletes, [{name: 'default/redis-leader', sinceMs: 45_000, goneMs: 63_700, duringNotReady: true}]);
});

test('a helper that fails ends the experiment at once with its message: nothing was stopped', () => {
	const state = foldMeasurement([started, {type: 'helper-seen', at: T0 + 1600, phase: 'Failed', exitCode: 5, message: 'Failed to stop k3s.service: Unit k3s.service not loaded.'}]);
	assert.equal(state.ending?.reason, 'action-failed');
	assert.match(state.ending?.reason === 'action-failed' ? state.ending.message : '', /Unit k3s.service not loaded/);
});
