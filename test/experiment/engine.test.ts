import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ClusterView} from '../../source/experiment/cluster-view.js';
import {startExperiment, runExperiment} from '../../source/experiment/engine.js';
import {PlanError} from '../../source/experiment/plan.js';
import {ActionError, refuseOtherNamespace, type Deleter} from '../../source/kube/actions.js';
import type {OwnerLike} from '../../source/kube/pod-source.js';
import {outageWindows, verdictOf} from '../../source/model/measurement.js';
import {entryText, verdictWithWhy} from '../../source/report/measurement-text.js';
import type {PodLike} from '../../source/model/pod-status.js';
import type {HealthMonitor, ProbeResult} from '../../source/probes/types.js';
import {manualClock} from '../../source/time/clock.js';
import {advanceSettled, advanceUntil} from '../helpers/clock.js';

const namespace = 'kube-system';

function dnsPod(uid: string, name: string, ready: boolean, extra: {terminating?: boolean; nodeName?: string} = {}): PodLike {
	return {
		metadata: {
			name, namespace, uid,
			labels: {'k8s-app': 'kube-dns', 'pod-template-hash': '7df4cb66cb'},
			ownerReferences: [{kind: 'ReplicaSet', name: 'kube-dns-7df4cb66cb', controller: true}],
			deletionTimestamp: extra.terminating ? new Date().toISOString() : undefined,
		},
		spec: {nodeName: extra.nodeName ?? 'node-a'},
		status: {phase: 'Running', conditions: [{type: 'Ready', status: ready ? 'True' : 'False'}]},
	};
}

function fluentdPod(uid: string, name: string): PodLike {
	return {
		metadata: {name, namespace, uid, ownerReferences: [{kind: 'DaemonSet', name: 'fluentd-gcp-v3.2.0', controller: true}]},
		spec: {nodeName: 'node-a'},
		status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}]},
	};
}

const replicaSet: OwnerLike = {kind: 'ReplicaSet', metadata: {name: 'kube-dns-7df4cb66cb', namespace, uid: 'rs-1', ownerReferences: [{kind: 'Deployment', name: 'kube-dns', controller: true}]}};

function syncedView(): ClusterView {
	const view = new ClusterView(namespace);
	view.apply({type: 'owner-upserted', owner: replicaSet});
	view.apply({type: 'owner-upserted', owner: {kind: 'Deployment', metadata: {name: 'kube-dns', namespace, uid: 'dep-1'}}});
	view.apply({type: 'pod-upserted', pod: dnsPod('a', 'kube-dns-7df4cb66cb-aaaaa', true)});
	view.apply({type: 'pod-upserted', pod: dnsPod('b', 'kube-dns-7df4cb66cb-bbbbb', true)});
	view.apply({type: 'pod-upserted', pod: fluentdPod('f', 'fluentd-gcp-v3.2.0-xyz12')});
	view.apply({type: 'pods-synced'});
	return view;
}

/** A monitor that a test drives by hand. */
function fakeMonitor(): HealthMonitor & {emit(result: ProbeResult): void} {
	const listeners = new Set<(result: ProbeResult) => void>();
	return {
		start() {},
		stop() {},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		emit(result) {
			for (const listener of listeners) {
				listener(result);
			}
		},
	};
}

type Call = {what: string; namespace: string; names: string[]};

function recordingDeleter(onCall: (call: Call) => void, failWith?: string): Deleter {
	const act = async (what: string, ns: string, names: string[]) => {
		refuseOtherNamespace(namespace, ns);
		onCall({what, namespace: ns, names});
		if (failWith) {
			throw new ActionError(failWith);
		}
	};

	return {
		namespace,
		deletePod: async (ns, name) => act('pod', ns, [name]),
		deletePods: async (ns, names) => act('pods', ns, names),
		deleteWorkload: async (ns, kind, name) => act(kind, ns, [name]),
		killMainProcess: async (ns, pod) => act('kill', ns, [pod]),
	};
}

test('an unknown component is refused before anything is deleted, naming the known ones', () => {
	const calls: Call[] = [];
	assert.throws(
		() => startExperiment({view: syncedView(), deleter: recordingDeleter(call => calls.push(call)), namespace, component: 'kube-dnz', mode: 'pods', timeoutMs: 1000, settleMs: 100}),
		(error: unknown) => error instanceof PlanError && error.message === 'unknown component "kube-dnz" in kube-system (known: fluentd-gcp-v3.2.0, kube-dns)',
	);
	assert.deepEqual(calls, []);
});

test('a deleter refuses any namespace but its own', async () => {
	const deleter = recordingDeleter(() => {});
	await assert.rejects(deleter.deletePod('default', 'frontend-1'), /refusing to act in namespace "default"/);
});

test('the engine deletes every pod of the component, follows the replacements and the probes, and ends when settled', async () => {
	const clock = manualClock();
	const view = syncedView();
	const monitor = fakeMonitor();
	const calls: Call[] = [];
	const probe = (outcome: ProbeResult['outcome']) => {
		monitor.emit({layer: 'end-to-end', sentAt: clock.now(), outcome, latencyMs: 1});
	};

	const running = startExperiment({
		view, monitor, namespace, component: 'kube-dns', mode: 'pods', timeoutMs: 5000, settleMs: 150, tickMs: 10, warmupMs: 1000, clock,
		deleter: recordingDeleter(call => calls.push(call)),
	});
	const entries: string[] = [];
	running.onEntry((entry, state) => entries.push(entryText(entry, state)));
	probe('ok');
	await advanceSettled(clock, 0);
	const t0 = clock.now();
	assert.equal(running.state().t0, t0, 'the first end-to-end answer ends the warm-up at once');
	assert.deepEqual(calls[0], {what: 'pods', namespace, names: ['kube-dns-7df4cb66cb-aaaaa', 'kube-dns-7df4cb66cb-bbbbb']});

	view.apply({type: 'pod-upserted', pod: dnsPod('a', 'kube-dns-7df4cb66cb-aaaaa', true, {terminating: true})});
	view.apply({type: 'pod-upserted', pod: dnsPod('b', 'kube-dns-7df4cb66cb-bbbbb', true, {terminating: true})});
	probe('fail');
	view.apply({type: 'pod-upserted', pod: dnsPod('c', 'kube-dns-7df4cb66cb-ccccc', false)});
	view.apply({type: 'pod-upserted', pod: dnsPod('d', 'kube-dns-7df4cb66cb-ddddd', false)});
	view.apply({type: 'pod-deleted', pod: dnsPod('a', 'kube-dns-7df4cb66cb-aaaaa', false)});
	view.apply({type: 'pod-deleted', pod: dnsPod('b', 'kube-dns-7df4cb66cb-bbbbb', false)});
	// A pod of another component changes nothing.
	view.apply({type: 'pod-deleted', pod: fluentdPod('f', 'fluentd-gcp-v3.2.0-xyz12')});
	await advanceSettled(clock, 20);
	probe('fail');
	view.apply({type: 'pod-upserted', pod: dnsPod('c', 'kube-dns-7df4cb66cb-ccccc', true)});
	view.apply({type: 'pod-upserted', pod: dnsPod('d', 'kube-dns-7df4cb66cb-ddddd', true)});
	const prober = clock.every(10, () => probe('ok'));
	try {
		const record = await advanceUntil(clock, running.done, 5000);
		const state = record.measurement;
		assert.equal(record.component.key, 'deployment/kube-dns');
		assert.equal(record.podCount, 2);
		assert.equal(state.victims.length, 2);
		assert.ok(state.victims.every(victim => victim.goneAt !== undefined));
		assert.deepEqual(state.replacements.map(r => r.name), ['kube-dns-7df4cb66cb-ccccc', 'kube-dns-7df4cb66cb-ddddd']);
		assert.ok(state.recoveredAt !== undefined);
		assert.equal(state.ending?.reason, 'settled');
		assert.equal(outageWindows(state, 'end-to-end').length, 1);
		assert.equal(verdictOf(state).verdict, 'service-impact');
		assert.ok(entries.some(text => text.startsWith('delete 2 pods of kube-dns')));
		assert.ok(entries.some(text => text.startsWith('over:')));
		// Exact times: the last replacement Ready and the second failure at +20 ms, the first good answer at +30 ms, over 150 ms (settle) after recovery.
		assert.equal(state.recoveredAt, t0 + 20);
		assert.deepEqual(outageWindows(state, 'end-to-end').map(window => [window.firstFailAt - t0, window.lastFailAt - t0, window.durationMs]), [[0, 20, 30]]);
		assert.equal(state.ending?.at, t0 + 30 + 150);
	} finally {
		prober.cancel();
	}
});

test('a refused delete ends the experiment at once with the sentence', async () => {
	const record = await runExperiment({
		view: syncedView(), namespace, component: 'fluentd-gcp', mode: 'pod', timeoutMs: 5000, settleMs: 100, tickMs: 10,
		deleter: recordingDeleter(() => {}, 'forbidden: pods "fluentd-gcp-v3.2.0-xyz12" is forbidden: User "demo" cannot delete resource "pods"'),
	});
	assert.equal(record.measurement.ending?.reason, 'action-failed');
	assert.match(verdictWithWhy(record.measurement).why!, /^forbidden: /);
});

test('mode workload refuses a static pod, with what to use instead', () => {
	const view = syncedView();
	view.apply({type: 'pod-upserted', pod: {
		metadata: {name: 'kube-proxy-node-a', namespace, uid: 'p', annotations: {'kubernetes.io/config.mirror': 'x'}},
		spec: {nodeName: 'node-a'},
		status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}]},
	}});
	assert.throws(
		() => startExperiment({view, deleter: recordingDeleter(() => {}), namespace, component: 'kube-proxy', mode: 'workload', timeoutMs: 1000, settleMs: 100}),
		/kube-proxy is a static pod.*use --mode pod or pods/,
	);
});

test('a pod named by its own name: only that pod is deleted, even in mode pods', async () => {
	const clock = manualClock();
	const calls: Call[] = [];
	const running = startExperiment({
		view: syncedView(), namespace, component: 'kube-dns-7df4cb66cb-bbbbb', mode: 'pods', timeoutMs: 200, settleMs: 100, tickMs: 10, clock,
		deleter: recordingDeleter(call => calls.push(call)),
	});
	assert.equal(running.plan.component.key, 'deployment/kube-dns');
	const t0 = clock.now();
	const record = await advanceUntil(clock, running.done, 1000);
	assert.deepEqual(calls, [{what: 'pod', namespace, names: ['kube-dns-7df4cb66cb-bbbbb']}]);
	assert.deepEqual([record.measurement.ending?.reason, record.measurement.ending?.at], ['time-limit', t0 + 200], 'nothing came back: over at the time limit');
});

test('interrupted during the warm-up: nothing is deleted, the record says interrupted', async () => {
	const calls: Call[] = [];
	const abort = new AbortController();
	const running = startExperiment({
		view: syncedView(), namespace, component: 'kube-dns', mode: 'pods', timeoutMs: 5000, settleMs: 100, tickMs: 10,
		// The monitor never answers, so the engine sits in its warm-up when Ctrl-C comes.
		monitor: fakeMonitor(), warmupMs: 60_000, signal: abort.signal,
		deleter: recordingDeleter(call => calls.push(call)),
	});
	abort.abort();
	const record = await running.done;
	assert.equal(record.interrupted, true);
	assert.deepEqual(calls, []);
	assert.equal(record.measurement.t0, undefined);
});

test('an already interrupted wait for the pod list ends at once', async () => {
	const view = new ClusterView(namespace);
	const abort = new AbortController();
	abort.abort();
	await assert.rejects(view.waitSynced(60_000, abort.signal), /interrupted/);
});
