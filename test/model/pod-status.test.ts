import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import type {V1Pod} from '@kubernetes/client-node';
import {
	formatAge,
	podAge,
	podDisplay,
	podReadyCount,
	podRestarts,
	podStatusReason,
	type PodLike,
} from '../../source/model/pod-status.js';
import {copy, loadItem, loadItems} from '../helpers/fixtures.js';

// The support bundle folder is named 2025-08-09T21_08_25 in the collector's local time
// (UTC-5); the newest timestamps in the objects are 02:08:11Z, so this is when it was taken.
const recordedAt = Date.parse('2025-08-10T02:08:25Z');
// A fixed "now" five minutes after the crash pod's last termination, for round numbers.
const now = Date.parse('2025-08-10T02:13:10Z');

const crashPod = () => loadItem<PodLike>('pods-test-crash.json', 'crash-loop-app-67586446fc-2w49s');
const oomPod = () => loadItem<PodLike>('pods-test-oom.json', 'memory-hog-746d6455bc-hd4sc');
// coredns-674b8bbfcf-2w2lv was created 2025-08-09T22:55:12Z: 3h17m58s before `now`.
const corednsPod = () => loadItem<PodLike>('pods-kube-system.json', 'coredns-674b8bbfcf-2w2lv');

// What client-node's deserializer hands an informer: the same object with Date timestamps.
function withDates<T>(value: T): T {
	const timestampKeys = new Set(['creationTimestamp', 'deletionTimestamp', 'startedAt', 'finishedAt', 'lastTransitionTime', 'lastProbeTime', 'startTime', 'time']);
	const walk = (node: unknown): unknown => {
		if (Array.isArray(node)) return node.map(walk);
		if (node && typeof node === 'object') {
			return Object.fromEntries(Object.entries(node).map(([key, child]) => [
				key,
				timestampKeys.has(key) && typeof child === 'string' ? new Date(child) : walk(child),
			]));
		}
		return node;
	};
	return walk(value) as T;
}

describe('formatAge follows apimachinery duration.HumanDuration', () => {
	const cases: Array<[number, string]> = [
		[-2500, '<invalid>'],
		[-1500, '0s'], // up to 2 s of clock skew reads as "now"
		[0, '0s'],
		[999, '0s'],
		[45_000, '45s'],
		[119_999, '119s'],
		[120_000, '2m'],
		[190_000, '3m10s'],
		[(9 * 60 + 59) * 1000, '9m59s'],
		[10 * 60_000 + 30_000, '10m'],
		[70 * 60_000, '70m'],
		[179 * 60_000, '179m'],
		[3 * 3_600_000, '3h'],
		[(3 * 60 + 10) * 60_000, '3h10m'],
		[(7 * 60 + 59) * 60_000, '7h59m'],
		[8 * 3_600_000 + 59 * 60_000, '8h'],
		[47 * 3_600_000, '47h'],
		[49 * 3_600_000, '2d1h'],
		[5 * 24 * 3_600_000, '5d'],
		[(8 * 24 + 2) * 3_600_000, '8d'],
		[367 * 24 * 3_600_000, '367d'],
		[2 * 365 * 24 * 3_600_000, '2y'],
		[(365 * 2 * 24 + 25) * 3_600_000, '2y1d'],
		[(365 * 8 * 24 + 2) * 3_600_000, '8y'],
	];
	for (const [ms, expected] of cases) {
		test(`${ms} ms → ${expected}`, () => assert.equal(formatAge(ms), expected));
	}
});

describe('recorded pods (kind 1.33) print as kubectl prints them', () => {
	test('CrashLoopBackOff pod: 0/1, CrashLoopBackOff, 22 restarts with the age of the last termination', () => {
		// lastState.terminated.finishedAt is 2025-08-10T02:08:10Z, created 2025-08-09T22:57:54Z.
		assert.deepEqual(podDisplay(crashPod(), now), {
			ready: '0/1',
			status: 'CrashLoopBackOff',
			restarts: '22 (5m ago)',
			age: '3h15m',
		});
		assert.equal(podDisplay(crashPod(), recordedAt).restarts, '22 (15s ago)');
	});

	test('the second crash-looping pod finished one second later', () => {
		const pod = loadItem<PodLike>('pods-test-crash.json', 'crash-loop-app-67586446fc-6fgz5');
		assert.equal(podDisplay(pod, recordedAt).restarts, '22 (14s ago)');
		assert.equal(podStatusReason(pod), 'CrashLoopBackOff');
	});

	test('OOMKilled pod: the current state (waiting in back-off) decides STATUS, not the last one', () => {
		// state.waiting.reason is CrashLoopBackOff; OOMKilled is only in lastState.
		const display = podDisplay(oomPod(), now);
		assert.equal(display.status, 'CrashLoopBackOff');
		assert.equal(display.ready, '0/1');
		// lastState.terminated.finishedAt is 2025-08-10T02:07:55Z.
		assert.equal(display.restarts, '22 (5m15s ago)');
	});

	test('OOMKilled shows while the killed container is still in state.terminated', () => {
		// Changed: state is the lastState (terminated, reason OOMKilled), as between kill and back-off.
		const pod = oomPod();
		const status = pod.status!.containerStatuses![0]!;
		status.state = copy(status.lastState!);
		assert.equal(podStatusReason(pod), 'OOMKilled');
	});

	test('every kube-system pod is Running 1/1 with no restarts', () => {
		const pods = loadItems<PodLike>('pods-kube-system.json');
		assert.equal(pods.length, 10);
		for (const pod of pods) {
			const display = podDisplay(pod, now);
			assert.deepEqual([display.ready, display.status, display.restarts], ['1/1', 'Running', '0'], pod.metadata!.name);
		}
	});

	test('AGE of the mirror pods and of coredns', () => {
		const etcd = loadItem<PodLike>('pods-kube-system.json', 'etcd-troubleshoot-test-control-plane');
		// created 2025-08-09T22:55:04Z; 3h13m21s at recording time
		assert.equal(podAge(etcd, recordedAt), '3h13m');
		assert.equal(podAge(corednsPod(), Date.parse('2025-08-09T22:56:00Z')), '48s');
	});

	test('the same objects with Date timestamps (client-node V1Pod) print the same', () => {
		const pod: V1Pod = withDates(crashPod()) as V1Pod;
		assert.ok(pod.metadata?.creationTimestamp instanceof Date);
		assert.deepEqual(podDisplay(pod, now), podDisplay(crashPod(), now));
		assert.deepEqual(podRestarts(pod, now), {count: 22, lastRestartAgoMs: 300_000, text: '22 (5m ago)'});
	});
});

describe('variants of recorded pods (one field changed each)', () => {
	test('Terminating: deletionTimestamp set on a running coredns pod', () => {
		const pod = corednsPod();
		pod.metadata!.deletionTimestamp = '2025-08-10T02:13:00Z';
		assert.deepEqual(podDisplay(pod, now), {ready: '1/1', status: 'Terminating', restarts: '0', age: '3h17m'});
	});

	test('Unknown: deletionTimestamp set and status.reason NodeLost', () => {
		const pod = corednsPod();
		pod.metadata!.deletionTimestamp = '2025-08-10T02:13:00Z';
		pod.status!.reason = 'NodeLost';
		assert.equal(podStatusReason(pod), 'Unknown');
	});

	test('NodeLost without deletionTimestamp shows the pod reason until a container reason overrides it', () => {
		// Changed: status.reason NodeLost, container waiting with no reason (state {}).
		const pod = corednsPod();
		pod.status!.reason = 'NodeLost';
		pod.status!.containerStatuses![0]!.state = {};
		pod.status!.containerStatuses![0]!.ready = false;
		assert.equal(podStatusReason(pod), 'NodeLost');
	});

	test('ContainerCreating: the container waits with reason ContainerCreating', () => {
		const pod = corednsPod();
		const status = pod.status!.containerStatuses![0]!;
		status.state = {waiting: {reason: 'ContainerCreating'}};
		status.ready = false;
		status.started = false;
		pod.status!.phase = 'Pending';
		assert.deepEqual(podReadyCount(pod), {ready: 0, total: 1});
		assert.equal(podStatusReason(pod), 'ContainerCreating');
	});

	test('a ready-but-not-running container is not counted ready', () => {
		// Changed: ready true but state waiting without a reason — kubectl counts only running ones.
		const pod = corednsPod();
		pod.status!.containerStatuses![0]!.state = {waiting: {}};
		assert.deepEqual(podReadyCount(pod), {ready: 0, total: 1});
		assert.equal(podStatusReason(pod), 'Running'); // falls back to the phase
	});

	function withTwoInitContainers(): PodLike {
		// Changed: two init containers added to spec; the first finished, the second running.
		const pod = corednsPod();
		pod.spec!.initContainers = [{name: 'wait-db'}, {name: 'migrate'}];
		pod.status!.phase = 'Pending';
		pod.status!.conditions = [{type: 'Initialized', status: 'False'}];
		pod.status!.initContainerStatuses = [
			{name: 'wait-db', ready: true, restartCount: 0, state: {terminated: {exitCode: 0, reason: 'Completed'}}},
			{name: 'migrate', ready: false, restartCount: 0, state: {running: {startedAt: '2025-08-10T02:12:00Z'}}},
		];
		const main = pod.status!.containerStatuses![0]!;
		main.state = {waiting: {reason: 'PodInitializing'}};
		main.ready = false;
		return pod;
	}

	test('Init:1/2 while the second of two init containers runs', () => {
		assert.deepEqual(podDisplay(withTwoInitContainers(), now), {ready: '0/1', status: 'Init:1/2', restarts: '0', age: '3h17m'});
	});

	test('Init:CrashLoopBackOff counts the init container restarts', () => {
		const pod = withTwoInitContainers();
		// Changed: the second init container crash-loops.
		const migrate = pod.status!.initContainerStatuses![1]!;
		migrate.state = {waiting: {reason: 'CrashLoopBackOff'}};
		migrate.restartCount = 3;
		migrate.lastState = {terminated: {exitCode: 1, reason: 'Error', finishedAt: '2025-08-10T02:12:10Z'}};
		assert.equal(podStatusReason(pod), 'Init:CrashLoopBackOff');
		assert.deepEqual(podRestarts(pod, now), {count: 3, lastRestartAgoMs: 60_000, text: '3 (60s ago)'});
	});

	test('Init:Error, Init:ExitCode:N and Init:Signal:N for a failed init container', () => {
		const pod = withTwoInitContainers();
		const migrate = pod.status!.initContainerStatuses![1]!;
		migrate.state = {terminated: {exitCode: 1, reason: 'Error'}};
		assert.equal(podStatusReason(pod), 'Init:Error');
		migrate.state = {terminated: {exitCode: 2}};
		assert.equal(podStatusReason(pod), 'Init:ExitCode:2');
		migrate.state = {terminated: {exitCode: 137, signal: 9}};
		assert.equal(podStatusReason(pod), 'Init:Signal:9');
	});

	test('Completed: a finished Job-style pod', () => {
		const pod = corednsPod();
		pod.status!.phase = 'Succeeded';
		pod.status!.containerStatuses![0]!.state = {terminated: {exitCode: 0, reason: 'Completed'}};
		pod.status!.containerStatuses![0]!.ready = false;
		assert.deepEqual(podDisplay(pod, now), {ready: '0/1', status: 'Completed', restarts: '0', age: '3h17m'});
		// A terminal pod being deleted keeps its final status.
		pod.metadata!.deletionTimestamp = '2025-08-10T02:13:00Z';
		assert.equal(podStatusReason(pod), 'Completed');
	});

	test('ExitCode:N and Signal:N when the terminated container has no reason', () => {
		const pod = corednsPod();
		pod.status!.containerStatuses![0]!.state = {terminated: {exitCode: 3}};
		assert.equal(podStatusReason(pod), 'ExitCode:3');
		pod.status!.containerStatuses![0]!.state = {terminated: {exitCode: 143, signal: 15}};
		assert.equal(podStatusReason(pod), 'Signal:15');
	});

	test('Evicted: phase Failed with status.reason Evicted, even while being deleted', () => {
		const pod = corednsPod();
		pod.status!.phase = 'Failed';
		pod.status!.reason = 'Evicted';
		pod.status!.containerStatuses![0]!.state = {};
		pod.status!.containerStatuses![0]!.ready = false;
		assert.deepEqual(podDisplay(pod, now), {ready: '0/1', status: 'Evicted', restarts: '0', age: '3h17m'});
		pod.metadata!.deletionTimestamp = '2025-08-10T02:13:00Z';
		assert.equal(podStatusReason(pod), 'Evicted');
	});

	function withCompletedSidecarMix(readyCondition: 'True' | 'False'): PodLike {
		// Changed: a second container that has completed, beside the running coredns container.
		const pod = corednsPod();
		pod.spec!.containers = [{name: 'coredns'}, {name: 'warmup'}];
		pod.status!.containerStatuses!.push({name: 'warmup', ready: false, restartCount: 0, state: {terminated: {exitCode: 0, reason: 'Completed'}}});
		pod.status!.conditions = pod.status!.conditions!.map(condition =>
			condition.type === 'Ready' ? {...condition, status: readyCondition} : condition);
		return pod;
	}

	test('NotReady: one container completed, one running, pod not Ready', () => {
		const pod = withCompletedSidecarMix('False');
		assert.deepEqual(podReadyCount(pod), {ready: 1, total: 2});
		assert.equal(podStatusReason(pod), 'NotReady');
	});

	test('Running: one container completed, one running, pod Ready', () => {
		assert.equal(podStatusReason(withCompletedSidecarMix('True')), 'Running');
	});

	test('a restartable init container (sidecar) counts in READY and RESTARTS', () => {
		// Changed: a sidecar init container (restartPolicy Always) started, ready and restarted twice.
		const pod = corednsPod();
		pod.spec!.initContainers = [{name: 'proxy', restartPolicy: 'Always'}];
		pod.status!.initContainerStatuses = [{
			name: 'proxy',
			ready: true,
			started: true,
			restartCount: 2,
			state: {running: {startedAt: '2025-08-10T02:00:00Z'}},
			lastState: {terminated: {exitCode: 1, reason: 'Error', finishedAt: '2025-08-10T01:13:10Z'}},
		}];
		assert.deepEqual(podDisplay(pod, now), {ready: '2/2', status: 'Running', restarts: '2 (60m ago)', age: '3h17m'});
	});

	test('restarts without a recorded termination time print the bare count', () => {
		const pod = crashPod();
		delete pod.status!.containerStatuses![0]!.lastState;
		assert.deepEqual(podRestarts(pod, now), {count: 22, text: '22'});
	});

	test('RESTARTS uses the latest termination across containers', () => {
		// Changed: a second crash-looping container whose last termination is newer.
		const pod = crashPod();
		pod.spec!.containers = [...pod.spec!.containers!, {name: 'second'}];
		const second = copy(pod.status!.containerStatuses![0]!);
		second.name = 'second';
		second.restartCount = 1;
		second.lastState = {terminated: {exitCode: 1, reason: 'Error', finishedAt: '2025-08-10T02:13:00Z'}};
		pod.status!.containerStatuses!.push(second);
		assert.equal(podDisplay(pod, now).restarts, '23 (10s ago)');
	});

	test('SchedulingGated from the PodScheduled condition', () => {
		const pod = corednsPod();
		pod.status = {phase: 'Pending', conditions: [{type: 'PodScheduled', status: 'False', reason: 'SchedulingGated'}]};
		assert.equal(podStatusReason(pod), 'SchedulingGated');
	});

	test('a pod without status or creationTimestamp prints like kubectl, without throwing', () => {
		assert.deepEqual(podDisplay({metadata: {name: 'bare'}}, now), {ready: '0/0', status: '', restarts: '0', age: '<unknown>'});
	});
});

describe('cases from kubectl\'s own printers_test.go (TestPrintPodWithRestartableInitContainer, TestPrintPodConditions)', () => {
	const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();
	const sidecars = [{name: 'restartable-init-1', restartPolicy: 'Always'}, {name: 'restartable-init-2', restartPolicy: 'Always'}];
	const row = (pod: PodLike) => {
		const display = podDisplay(pod, now);
		return [display.ready, display.status, display.restarts, display.age];
	};

	test('two sidecars, the first running but not started → Init:0/2', () => {
		const pod: PodLike = {
			spec: {initContainers: sidecars, containers: [{name: ''}]},
			status: {
				phase: 'Pending',
				initContainerStatuses: [
					{name: 'restartable-init-1', ready: false, restartCount: 3, state: {running: {}}, started: false, lastState: {terminated: {finishedAt: ago(10)}}},
					{name: 'restartable-init-2', ready: false, state: {waiting: {}}, started: false},
				],
				containerStatuses: [{name: '', ready: false, restartCount: 0, state: {waiting: {}}}],
				conditions: [{type: 'Initialized', status: 'False'}],
			},
		};
		assert.deepEqual(row(pod), ['0/3', 'Init:0/2', '3 (10s ago)', '<unknown>']);
		// Changed: the first sidecar has started and the second runs, not yet started.
		pod.status!.initContainerStatuses![0]!.started = true;
		pod.status!.initContainerStatuses![1]!.state = {running: {}};
		assert.deepEqual(row(pod), ['0/3', 'Init:1/2', '3 (10s ago)', '<unknown>']);
	});

	test('two sidecars started and the app container running → Running, restarts of both', () => {
		const pod: PodLike = {
			spec: {initContainers: sidecars, containers: [{name: ''}]},
			status: {
				phase: 'Running',
				initContainerStatuses: [
					{name: 'restartable-init-1', ready: false, restartCount: 3, state: {running: {}}, started: true, lastState: {terminated: {finishedAt: ago(10)}}},
					{name: 'restartable-init-2', ready: false, state: {running: {}}, started: true},
				],
				containerStatuses: [{name: '', ready: true, restartCount: 4, state: {running: {}}, lastState: {terminated: {finishedAt: ago(20)}}}],
				conditions: [{type: 'Initialized', status: 'True'}],
			},
		};
		assert.deepEqual(row(pod), ['1/3', 'Running', '7 (10s ago)', '<unknown>']);
	});

	test('sidecars killed after the app container completed → Completed', () => {
		const pod: PodLike = {
			spec: {initContainers: sidecars, containers: [{name: ''}]},
			status: {
				phase: 'Succeeded',
				initContainerStatuses: [
					{name: 'restartable-init-1', ready: false, restartCount: 3, state: {terminated: {reason: 'Error', exitCode: 137}}, started: false, lastState: {terminated: {finishedAt: ago(10)}}},
					{name: 'restartable-init-2', ready: false, state: {terminated: {reason: 'Error', exitCode: 137}}, started: false},
				],
				containerStatuses: [{name: '', ready: false, restartCount: 4, state: {terminated: {reason: 'Completed', exitCode: 0}}, lastState: {terminated: {finishedAt: ago(20)}}}],
				conditions: [{type: 'Initialized', status: 'True'}],
			},
		};
		assert.deepEqual(row(pod), ['0/3', 'Completed', '7 (10s ago)', '<unknown>']);
	});

	test('statuses for containers that are not in the spec', () => {
		const pod: PodLike = {
			spec: {
				initContainers: [{name: 'init1'}, {name: 'sidecar1', restartPolicy: 'Always'}],
				containers: [{name: 'container1'}],
			},
			status: {
				phase: 'Running',
				initContainerStatuses: [{name: 'initinvalid'}, {name: 'init1'}, {name: 'sidecar1'}],
				containerStatuses: [{name: 'containerinvalid'}, {name: 'container1'}],
			},
		};
		assert.deepEqual(row(pod), ['0/2', 'Init:0/2', '0', '<unknown>']);
	});

	test('the phase is the status when no container says otherwise', () => {
		const twoContainers = (phase: string): PodLike => ({
			spec: {containers: [{name: 'a'}, {name: 'b'}]},
			status: {phase, containerStatuses: [
				{name: 'a', ready: true, restartCount: 3, state: {running: {}}},
				{name: 'b', restartCount: 3},
			]},
		});
		assert.deepEqual(row(twoContainers('Running')), ['1/2', 'Running', '6', '<unknown>']);
		assert.deepEqual(row(twoContainers('Succeeded')), ['1/2', 'Succeeded', '6', '<unknown>']);
		assert.deepEqual(row(twoContainers('Failed')), ['1/2', 'Failed', '6', '<unknown>']);
	});
});
