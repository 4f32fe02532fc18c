// A node experiment loses the API server as a pod experiment does: after the grace period it is
// over as unknown, "lost the API server", never "not recovered" from silence. Fakes for the
// node's actor and the namespace's view; the manual clock is moved past the grace period.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ClusterView} from '../../source/experiment/cluster-view.js';
import {startNodeExperiment} from '../../source/experiment/node-experiment.js';
import type {NodeActor} from '../../source/kube/node-actions.js';
import {failureText} from '../../source/report/measurement-text.js';
import {apiServerGraceMs} from '../../source/model/measurement.js';
import {manualClock} from '../../source/time/clock.js';
import {advanceSettled} from '../helpers/clock.js';
import {fakePod} from '../ui/fake-objects.js';

test('kill kubelet while the API server goes away: over as unknown after the grace period, not "not recovered"', async () => {
	const clock = manualClock();
	const actor: NodeActor = {
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
		async createHelperPod() {},
		async deleteHelperPod() {},
		watchNode(_node, listener) {
			setImmediate(() => {
				listener({type: 'node', ready: 'True'});
				listener({type: 'synced'});
			});
			return {stop: async () => undefined};
		},
	};
	const view = new ClusterView('kube-system');
	view.apply({type: 'pod-upserted', pod: fakePod('fluentd-x', {node: 'node-a', daemonSet: 'fluentd'})});
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
	});
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
