// The API server's liveness check on a fake clock and a fake /version: when it says "not
// answering", and how it judges a probe's wait.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createApiLiveness, type ApiServerState} from '../../source/probes/api-liveness.js';
import {createMonitor} from '../../source/probes/monitor.js';
import {ProbeTransportError, type HttpAnswer, type ProbeTransport} from '../../source/probes/transport.js';
import type {ProbeResult} from '../../source/probes/types.js';
import {manualClock} from '../../source/time/clock.js';
import {advanceSettled, settle} from '../helpers/clock.js';

/** A /version that answers at once, or (hung) never until its signal aborts. */
function versionEndpoint() {
	let hung = false;
	let refused = false;
	const get = async (_path: string, signal: AbortSignal): Promise<HttpAnswer> => {
		if (refused) {
			throw new ProbeTransportError('unreachable', 'connection refused');
		}

		if (!hung) {
			return {status: 200, body: '{}'};
		}

		return new Promise((_resolve, reject) => {
			signal.addEventListener('abort', () => reject(new ProbeTransportError('aborted', 'aborted')), {once: true});
		});
	};

	return {
		get,
		hang(value: boolean) {
			hung = value;
		},
		refuse(value: boolean) {
			refused = value;
		},
	};
}

test('a hung API server is "not answering" within interval + timeout (1.5 s), from the first check that got no answer; answering again at the next answer', async () => {
	const clock = manualClock(1_000_000);
	const endpoint = versionEndpoint();
	const liveness = createApiLiveness(endpoint, {clock});
	const states: Array<ApiServerState & {at: number}> = [];
	liveness.subscribe(state => states.push({...state, at: clock.now()}));
	await advanceSettled(clock, 2000);
	assert.deepEqual(liveness.state(), {answering: true});
	const hungAt = clock.now();
	endpoint.hang(true);
	await advanceSettled(clock, 1500);
	const state = liveness.state();
	assert.equal(state.answering, false, 'noticed within 1.5 s');
	assert.ok(!state.answering && state.since >= hungAt && state.since <= hungAt + 500, 'since the first unanswered check');
	assert.match(!state.answering ? state.reason : '', /no answer to GET \/version within 1 s/);
	await advanceSettled(clock, 5000);
	assert.equal(states.length, 1, 'one change while it hangs, not one per check');
	endpoint.hang(false);
	await advanceSettled(clock, 1000);
	assert.deepEqual(liveness.state(), {answering: true});
	liveness.stop();
});

test('a stalled client is not a silent server: a timeout that runs long after it was due gives the check its time again; a server that stays silent is still noticed', async () => {
	const clock = manualClock(1_000_000);
	let answer: (() => void) | undefined;
	const endpoint = {
		get: async (_path: string, signal: AbortSignal): Promise<HttpAnswer> => new Promise((resolve, reject) => {
			answer = () => resolve({status: 200, body: '{}'});
			signal.addEventListener('abort', () => reject(new ProbeTransportError('aborted', 'aborted')), {once: true});
		}),
	};
	const liveness = createApiLiveness(endpoint, {clock});
	const sentAt = clock.now();
	// The process did not run for 3 s (its timers could not fire); the answer came meanwhile and is read now.
	clock.jump(3000);
	await advanceSettled(clock, 0);
	assert.deepEqual(liveness.state(), {answering: true}, 'not judged on a timer that ran 2 s late');
	answer!();
	await advanceSettled(clock, 100);
	assert.deepEqual(liveness.state(), {answering: true});
	// Silent from here on, the clock running normally: not answering, one timeout after the re-armed one.
	await advanceSettled(clock, 2500);
	const state = liveness.state();
	assert.equal(state.answering, false);
	assert.ok(!state.answering && state.since > sentAt, 'since the check that went unanswered on time');
	liveness.stop();
});

test('a refused connection is not answering too, and checks keep their interval (no tight loop)', async () => {
	const clock = manualClock(1_000_000);
	const endpoint = versionEndpoint();
	let calls = 0;
	const liveness = createApiLiveness({get: async (path, signal) => {
		calls++;
		return endpoint.get(path, signal);
	}}, {clock});
	endpoint.refuse(true);
	await advanceSettled(clock, 5000);
	assert.equal(liveness.state().answering, false);
	assert.ok(calls <= 11, `${calls} checks in 5 s`);
	liveness.stop();
});

test('silentDuring: a wait that overlapped an unanswered check is the API server\'s; one while it answered is not; it waits for the checks still out', async () => {
	const clock = manualClock(1_000_000);
	const endpoint = versionEndpoint();
	const liveness = createApiLiveness(endpoint, {clock});
	await advanceSettled(clock, 3000);
	const quietFrom = clock.now() - 2000;
	assert.equal(await liveness.silentDuring(quietFrom, clock.now() - 100), undefined);
	endpoint.hang(true);
	const hungFrom = clock.now();
	let verdict: string | undefined | 'pending' = 'pending';
	void liveness.silentDuring(hungFrom, hungFrom + 200).then(reason => {
		verdict = reason;
	});
	await advanceSettled(clock, 300);
	assert.equal(verdict, 'pending', 'a check sent in the wait is still out');
	await advanceSettled(clock, 1500);
	assert.match(String(verdict), /no answer/);
	liveness.stop();
});

test('the monitor: probes timing out while the API server hangs are unknown, not failures; a timeout while it answers stays a failure', async () => {
	const clock = manualClock(1_000_000);
	const endpoint = versionEndpoint();
	const liveness = createApiLiveness(endpoint, {clock});
	let appHangs = false;
	const hangUntilAbort = async (signal: AbortSignal) => new Promise<never>((_resolve, reject) => {
		signal.addEventListener('abort', () => reject(new ProbeTransportError('aborted', 'aborted')), {once: true});
	});
	const transport: ProbeTransport = {
		async listEndpoints() {
			return [];
		},
		async exec() {
			return {stdout: '', stderr: '', exitCode: 0};
		},
		async proxyGet() {
			throw new Error('unused');
		},
		async get(_path, signal) {
			// The API server hangs (freeze) or the app behind it (metrics-server) does not answer.
			return endpoint.get('/version', signal).then(async answer => (appHangs ? hangUntilAbort(signal) : answer));
		},
	};
	const monitor = createMonitor(transport, {namespace: 'default', intervalMs: 500, timeoutMs: 2000, target: undefined, metricsApi: true, apiServer: liveness, clock});
	const results: ProbeResult[] = [];
	monitor.subscribe(result => {
		if (result.layer === 'metrics-api') {
			results.push(result);
		}
	});
	monitor.start();
	await advanceSettled(clock, 2000);
	endpoint.hang(true);
	const frozenAt = clock.now();
	await advanceSettled(clock, 6000);
	const duringFreeze = results.filter(result => result.sentAt > frozenAt);
	assert.ok(duringFreeze.length > 0);
	assert.deepEqual(new Set(duringFreeze.map(result => result.outcome)), new Set(['unknown']));
	assert.ok(duringFreeze.every(result => result.cause === 'unreachable' && /API server not answering/.test(result.detail ?? '')));
	endpoint.hang(false);
	await advanceSettled(clock, 3000);
	appHangs = true;
	const appHangsFrom = clock.now();
	await advanceSettled(clock, 4000);
	const appTimeouts = results.filter(result => result.sentAt > appHangsFrom && result.sentAt <= appHangsFrom + 1000);
	assert.ok(appTimeouts.length > 0);
	assert.ok(appTimeouts.every(result => result.outcome === 'fail' && result.cause === 'timeout'), JSON.stringify(appTimeouts));
	monitor.stop();
	liveness.stop();
	await settle();
});
