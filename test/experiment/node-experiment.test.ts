// A node experiment loses the API server as a pod experiment does: after the grace period it is
// over as unknown, "lost the API server", never "not recovered" from silence. Fakes for the
// node's actor and the namespace's view; the manual clock is moved past the grace period.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ClusterView} from '../../source/experiment/cluster-view.js';
import {startNodeExperiment} from '../../source/experiment/node-experiment.js';
import type {Deleter} from '../../source/kube/actions.js';
import type {NodeActor, NodeFeedUpdate} from '../../source/kube/node-actions.js';
import type {PodLike} from '../../source/model/pod-status.js';
import {failureText} from '../../source/report/measurement-text.js';
import {apiServerGraceMs} from '../../source/model/measurement.js';
import {manualClock, type ManualClock} from '../../source/time/clock.js';
import {advanceSettled} from '../helpers/clock.js';
import {fakePod} from '../ui/fake-objects.js';

/**
 * One Ready node, node-a, with no pods; its watch says so once opened. With helperStarts the
 * helper pod is then seen Running: the kubelet is being stopped.
 */
function oneNodeActor(options: {helperStarts?: boolean} = {}): NodeActor {
	let feed: ((update: NodeFeedUpdate) => void) | undefined;
	return {
		namespace: 'kube-system',
		async readNode() {
			return 'True';
		},
		async listNodeNames() {
			return ['node-a'];
		},
		async podsOnNode() {
			return [];
		},
		async helperPods() {
			return [];
		},
		async createHelperPod(_namespace, pod) {
			if (options.helperStarts) {
				setImmediate(() => {
					feed?.({type: 'pod-upserted', pod: {...(pod as PodLike), status: {phase: 'Running'}}});
				});
			}
		},
		async deleteHelperPod() {},
		watchNode(_node, listener) {
			feed = listener;
			setImmediate(() => {
				listener({type: 'node', ready: 'True'});
				listener({type: 'synced'});
			});
			return {stop: async () => undefined};
		},
	};
}

/** The kubelet of node-a stopped for 60 s, with one pod of the namespace on it, live. */
async function stopKubeletOfNodeA(clock: ManualClock, actor: NodeActor, pod: PodLike, alsoDelete?: {deleter: Deleter; pod: string}) {
	const view = new ClusterView('kube-system');
	view.apply({type: 'pod-upserted', pod});
	view.apply({type: 'pods-synced'});
	view.apply({type: 'connection', state: {phase: 'live'}});
	const running = await startNodeExperiment({
		actor,
		view,
		namespace: 'kube-system',
		stop: {kind: 'kubelet', node: 'node-a', forMs: 60_000, unit: 'kubelet'},
		image: 'docker.io/library/alpine:3.20',
		timeoutMs: 180_000,
		settleMs: 1000,
		clock,
		tickMs: 10,
		alsoDelete,
	});
	return {running, view};
}

test('kill kubelet while the API server goes away: over as unknown after the grace period, not "not recovered"', async () => {
	const clock = manualClock();
	const {running, view} = await stopKubeletOfNodeA(clock, oneNodeActor(), fakePod('fluentd-x', {node: 'node-a', daemonSet: 'fluentd'}));
	await new Promise<void>(resolve => {
		const stop = running.subscribe(state => {
			if (state.t0 !== undefined) {
				stop();
				resolve();
			}
		});
	});
	view.apply({type: 'connection', state: {phase: 'not-answering', since: clock.now(), reason: 'no answer to GET /version within 1 s'}});
	const lostAt = clock.now();
	await advanceSettled(clock, 11_000);
	const record = await running.done;
	assert.equal(record.measurement.ending?.reason, 'api-server-lost');
	const {ending} = record.measurement;
	assert.match(ending?.reason === 'api-server-lost' ? failureText(ending, record.measurement) : '', /lost the API server/);
	assert.equal(record.measurement.ending?.at, lostAt + apiServerGraceMs, 'over at the tick that ends the grace period');
	await running.cleanup;
});

test('kill kubelet with a pod to delete while it is away: a refused delete is said after the end, not passed over in silence', async () => {
	const clock = manualClock();
	const actor = oneNodeActor({helperStarts: true});
	const deleted: string[] = [];
	const deleter: Deleter = {
		namespace: 'kube-system',
		async deletePod(_namespace, name) {
			deleted.push(name);
			throw new Error('pods "metrics-server-x" is forbidden');
		},
		async deletePods() {},
		async deleteWorkload() {},
		async killMainProcess() {},
	};
	const {running, view} = await stopKubeletOfNodeA(clock, actor, fakePod('metrics-server-x', {node: 'node-a'}), {deleter, pod: 'metrics-server-x'});
	await new Promise<void>(resolve => {
		const stop = running.subscribe(state => {
			if (state.node?.stopRunningAt !== undefined) {
				stop();
				resolve();
			}
		});
	});
	view.apply({type: 'connection', state: {phase: 'not-answering', since: clock.now(), reason: 'no answer to GET /version within 1 s'}});
	await advanceSettled(clock, 11_000);
	const record = await running.done;
	assert.deepEqual(deleted, ['metrics-server-x'], 'deleted once, after the kubelet was stopped');
	assert.equal(record.measurement.node?.hangingDeletes.length, 0);
	const notes = await running.cleanup;
	assert.equal(notes[0], 'could not delete kube-system/metrics-server-x while the kubelet was away: pods "metrics-server-x" is forbidden');
});
