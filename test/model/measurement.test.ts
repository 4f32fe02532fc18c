import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	brokenHop,
	currentOutage,
	foldMeasurement,
	functionWindows,
	initialMeasurement,
	isRecovered,
	outageWindows,
	reduceMeasurement,
	type Measurement,
	type MeasurementEvent,
	type PodObservation,
} from '../../source/model/measurement.js';
import type {ProbeLayer, ProbeResult} from '../../source/probes/types.js';
import {entryText, formatOutage, verdictWithWhy} from '../../source/report/measurement-text.js';

const t0 = 100_000;

/** The timeline as it reads, in the order it became known. */
const logged = (state: Measurement) => state.log.map(entry => ({at: entry.at, text: entryText(entry, state)}));

function pod(uid: string, name: string, fields: Partial<PodObservation> = {}): PodObservation {
	return {uid, name, nodeName: 'node-a', phase: 'Running', ready: true, terminating: false, scheduled: true, ...fields};
}

const dnsA = pod('uid-a', 'kube-dns-7df4cb66cb-9ft98');
const dnsB = pod('uid-b', 'kube-dns-7df4cb66cb-wvhpz', {nodeName: 'node-b'});

function startKubeDns(limits = {timeoutMs: 180_000, settleMs: 5000}): MeasurementEvent {
	return {type: 'experiment-started', at: t0, component: 'kube-dns', action: {kind: 'delete-pods'}, pods: [dnsA, dnsB], victims: ['uid-a', 'uid-b'], limits};
}

/** Probe results of one layer, every `every` ms from `from` (relative to t0) up to `to`, failing inside the given ranges. */
function probes(layer: ProbeLayer, from: number, to: number, every: number, failing: Array<[number, number]>): MeasurementEvent[] {
	const events: MeasurementEvent[] = [];
	for (let at = from; at <= to; at += every) {
		const fail = failing.some(([start, end]) => at >= start && at < end);
		const result: ProbeResult = {layer, sentAt: t0 + at, outcome: fail ? 'fail' : 'ok', latencyMs: 5, detail: fail ? 'redis-follower does not resolve' : undefined};
		events.push({type: 'probe-result', at: t0 + at + 5, result});
	}

	return events;
}

/** Replacement pod `uid` of kube-dns going through its steps at the given times (relative to t0). */
function replacement(uid: string, name: string, created: number, ready: number | undefined): MeasurementEvent[] {
	const events: MeasurementEvent[] = [
		{type: 'pod-seen', at: t0 + created, pod: pod(uid, name, {phase: 'Pending', ready: false, scheduled: false, nodeName: undefined})},
		{type: 'pod-seen', at: t0 + created + 100, pod: pod(uid, name, {phase: 'Pending', ready: false})},
		{type: 'pod-seen', at: t0 + created + 1500, pod: pod(uid, name, {ready: false})},
	];
	if (ready !== undefined) {
		events.push({type: 'pod-seen', at: t0 + ready, pod: pod(uid, name)});
	}

	return events;
}

function victimsGo(at: number): MeasurementEvent[] {
	return [
		{type: 'pod-seen', at: t0 + 10, pod: {...dnsA, terminating: true}},
		{type: 'pod-seen', at: t0 + 12, pod: {...dnsB, terminating: true}},
		{type: 'pod-deleted', at: t0 + at, uid: 'uid-a', name: dnsA.name},
		{type: 'pod-deleted', at: t0 + at + 20, uid: 'uid-b', name: dnsB.name},
	];
}

/** Merge event lists in time order, as they would arrive. */
function inOrder(...lists: MeasurementEvent[][]): MeasurementEvent[] {
	return lists.flat().sort((a, b) => a.at - b.at);
}

function ticks(from: number, to: number, every = 100): MeasurementEvent[] {
	const events: MeasurementEvent[] = [];
	for (let at = from; at <= to; at += every) {
		events.push({type: 'tick', at: t0 + at});
	}

	return events;
}

test('one run of failures: window [F0, L1) with the bound F1−F0 … L1−L0, and the hop that broke', () => {
	const before = foldMeasurement(probes('end-to-end', -3000, -500, 500, []));
	const state = foldMeasurement(inOrder(
		[startKubeDns(), {type: 'action-answered', at: t0 + 8}],
		victimsGo(2000),
		replacement('uid-c', 'kube-dns-7df4cb66cb-abcde', 200, 6100),
		replacement('uid-d', 'kube-dns-7df4cb66cb-fghij', 250, 9300),
		probes('end-to-end', 0, 20_000, 500, [[1000, 9500]]),
		probes('dns', 0, 20_000, 500, [[1000, 9000]]),
		ticks(0, 20_000),
	), before);

	const windows = outageWindows(state, 'end-to-end');
	assert.equal(windows.length, 1);
	const [window] = windows;
	assert.equal(window.lastOkBeforeAt, t0 + 500);
	assert.equal(window.firstFailAt, t0 + 1000);
	assert.equal(window.lastFailAt, t0 + 9000);
	assert.equal(window.firstOkAfterAt, t0 + 9500);
	assert.equal(window.durationMs, 8500);
	assert.equal(window.minMs, 8000);
	assert.equal(window.maxMs, 9000);
	assert.equal(window.uncertaintyMs, 500);
	assert.equal(formatOutage(window), '8.5 s ± 0.5 s');
	assert.equal(brokenHop(state, window), 'dns');
	assert.equal(functionWindows(state).length, 1, 'kube-dns has DNS as its function probe');

	assert.equal(state.desired, 2);
	assert.equal(state.answeredAt, t0 + 8);
	assert.deepEqual(state.victims.map(v => [v.terminatingAt, v.goneAt]), [[t0 + 10, t0 + 2000], [t0 + 12, t0 + 2020]]);
	assert.deepEqual(state.replacements.map(r => [r.createdAt, r.scheduledAt, r.runningAt, r.readyAt]), [
		[t0 + 200, t0 + 300, t0 + 1700, t0 + 6100],
		[t0 + 250, t0 + 350, t0 + 1750, t0 + 9300],
	]);
	assert.equal(state.recoveredAt, t0 + 9300, 'recovered when the second replacement is Ready');
	assert.equal(state.ending?.reason, 'settled');
	assert.equal(state.ending?.at, t0 + 9500 + 5000, 'over when the path has been healthy for the settle time');
	assert.deepEqual(verdictWithWhy(state), {verdict: 'service-impact'});
	assert.ok(logged(state).some(entry => entry.text.startsWith('end-to-end failing') && entry.at === t0 + 1000));
	assert.ok(logged(state).some(entry => entry.text === 'end-to-end ok again: outage 8.5 s ± 0.5 s'));
});

test('probes sent into the outage still on their way when the settle time passes: the experiment waits for them', () => {
	// At speed 20 with a 200 ms settle time: the replacements are Ready at +250 ms, but the
	// probes sent at t0 wait out dead DNS servers and come back (failing) only at +500 ms.
	const before = foldMeasurement(probes('end-to-end', -200, -50, 50, []));
	const ready = (uid: string, name: string, at: number): MeasurementEvent => ({type: 'pod-seen', at: t0 + at, pod: pod(uid, name)});
	const slow: MeasurementEvent[] = [0, 50].map(sent => ({
		type: 'probe-result',
		at: t0 + sent + 500,
		result: {layer: 'end-to-end', sentAt: t0 + sent, outcome: 'fail', latencyMs: 500, detail: 'frontend answered 500'},
	}));
	const state = foldMeasurement(inOrder(
		[startKubeDns({timeoutMs: 20_000, settleMs: 200})],
		victimsGo(50),
		[ready('uid-c', 'c', 240), ready('uid-d', 'd', 250)],
		slow,
		probes('end-to-end', 550, 2000, 50, []),
		ticks(0, 2000, 10),
	), before);
	assert.equal(state.recoveredAt, t0 + 250);
	assert.deepEqual(verdictWithWhy(state), {verdict: 'service-impact'}, 'not "no end-to-end probe answered": they had not come back yet');
	assert.deepEqual(outageWindows(state, 'end-to-end').map(w => [w.firstFailAt - t0, w.firstOkAfterAt! - t0]), [[0, 550]]);
	assert.ok(state.ending!.at >= t0 + 550 + 200, `ended at +${state.ending!.at - t0} ms`);
});

test('several runs of failures are several windows', () => {
	const state = foldMeasurement(inOrder(
		[startKubeDns()],
		victimsGo(1000),
		replacement('uid-c', 'c', 200, 3000),
		replacement('uid-d', 'd', 250, 3000),
		probes('end-to-end', -1000, 20_000, 500, [[500, 1500], [4000, 6000]]),
		ticks(0, 20_000),
	));
	const windows = outageWindows(state, 'end-to-end');
	assert.deepEqual(windows.map(w => [w.firstFailAt - t0, w.firstOkAfterAt! - t0, w.durationMs]), [[500, 1500, 1000], [4000, 6000, 2000]]);
	assert.equal(verdictWithWhy(state).verdict, 'service-impact');
	assert.equal(state.ending?.at, t0 + 6000 + 5000, 'the settle time counts from the end of the last window');
});

test('no failures and at least ten probes: no service impact; fewer: unknown, and says why', () => {
	const quiet = foldMeasurement(inOrder(
		[startKubeDns()],
		victimsGo(1000),
		replacement('uid-c', 'c', 200, 2000),
		replacement('uid-d', 'd', 250, 2500),
		probes('end-to-end', -1000, 10_000, 500, []),
		ticks(0, 10_000),
	));
	assert.deepEqual(outageWindows(quiet, 'end-to-end'), []);
	assert.deepEqual(verdictWithWhy(quiet), {verdict: 'no-service-impact'});
	assert.equal(quiet.ending?.at, t0 + 7500);

	const sparse = foldMeasurement(inOrder(
		[startKubeDns()],
		victimsGo(1000),
		replacement('uid-c', 'c', 200, 2000),
		replacement('uid-d', 'd', 250, 2500),
		probes('end-to-end', 0, 3000, 1000, []),
		ticks(0, 181_000, 1000),
	));
	assert.equal(sparse.ending?.reason, 'settled', 'recovered and quiet at the limit is over, not "not recovered"');
	assert.deepEqual(verdictWithWhy(sparse), {verdict: 'unknown', why: 'only 4 end-to-end probes fell inside the experiment (need 10)'});

	const noGuestbook = foldMeasurement(inOrder(
		[startKubeDns()],
		victimsGo(1000),
		replacement('uid-c', 'c', 200, 2000),
		replacement('uid-d', 'd', 250, 2500),
		[{type: 'probe-result', at: t0 + 300, result: {layer: 'end-to-end', sentAt: t0 + 300, outcome: 'unknown', latencyMs: 0, detail: 'no frontend service in default'}}],
		ticks(0, 10_000),
	));
	assert.deepEqual(verdictWithWhy(noGuestbook), {verdict: 'unknown', why: 'probes could not run: no frontend service in default'});
});

test('a probe that times out is a failure at its send time, even when its answer comes after later probes', () => {
	const sent = (at: number, outcome: ProbeResult['outcome'], arrives: number): MeasurementEvent => ({
		type: 'probe-result', at: t0 + arrives, result: {layer: 'end-to-end', sentAt: t0 + at, outcome, latencyMs: arrives - at},
	});
	const state = foldMeasurement([
		startKubeDns(),
		sent(0, 'ok', 5),
		sent(500, 'ok', 505),
		// Sent at +1000, timed out at +3000: arrives after the probes sent at +1500 … +2500.
		sent(1500, 'fail', 1510),
		sent(2000, 'ok', 2005),
		sent(2500, 'ok', 2505),
		sent(1000, 'fail', 3000),
	]);
	const [window] = outageWindows(state, 'end-to-end');
	assert.equal(window.firstFailAt, t0 + 1000);
	assert.equal(window.lastFailAt, t0 + 1500);
	assert.equal(window.lastOkBeforeAt, t0 + 500);
	assert.equal(window.firstOkAfterAt, t0 + 2000);
	assert.equal(window.durationMs, 1000);
	assert.equal(logged(state).filter(entry => entry.text.startsWith('end-to-end failing')).length, 1, 'one run, one line, though its start moved');
	assert.equal(logged(state).find(entry => entry.text.startsWith('end-to-end failing'))?.at, t0 + 1500, 'logged when first known');
});

test('a replacement that never becomes Ready: not recovered at the time limit, saying what is missing', () => {
	const state = foldMeasurement(inOrder(
		[startKubeDns({timeoutMs: 30_000, settleMs: 5000})],
		victimsGo(1000),
		replacement('uid-c', 'c', 200, 3000),
		replacement('uid-d', 'd', 250, undefined),
		probes('end-to-end', 0, 40_000, 500, []),
		ticks(0, 40_000),
	));
	assert.equal(state.recoveredAt, undefined);
	assert.equal(state.ending?.reason, 'time-limit');
	assert.equal(state.ending?.at, t0 + 30_000);
	assert.equal(verdictWithWhy(state).verdict, 'not-recovered');
	assert.match(verdictWithWhy(state).why!, /1 of 2 pods Ready/);
	assert.equal(state.replacements[1].readyAt, undefined);
	assert.equal(state.replacements[1].runningAt, t0 + 1750);
});

test('a mirror pod recreated with the same name is a replacement; recovery waits for the old one to go', () => {
	const proxy = pod('uid-p1', 'kube-proxy-gke-demo-default-pool-0dacde9e-dvbd');
	const state = foldMeasurement(inOrder(
		[{type: 'experiment-started', at: t0, component: 'kube-proxy', action: {kind: 'delete-pod', pod: proxy.name}, pods: [proxy, pod('uid-p2', 'kube-proxy-other', {nodeName: 'node-b'})], victims: ['uid-p1'], limits: {timeoutMs: 180_000, settleMs: 2000}}],
		[{type: 'pod-seen', at: t0 + 5, pod: {...proxy, terminating: true}}],
		[{type: 'pod-deleted', at: t0 + 600, uid: 'uid-p1', name: proxy.name}],
		[{type: 'pod-seen', at: t0 + 900, pod: pod('uid-p3', proxy.name)}],
		probes('end-to-end', 0, 8000, 250, []),
		ticks(0, 8000),
	));
	assert.equal(state.desired, 2);
	assert.equal(state.replacements.length, 1);
	assert.equal(state.replacements[0].name, proxy.name);
	assert.equal(state.replacements[0].sameNameAsVictim, true);
	assert.equal(state.replacements[0].readyAt, t0 + 900, 'a mirror pod appears already running and Ready');
	assert.equal(state.recoveredAt, t0 + 900);
	assert.deepEqual(verdictWithWhy(state), {verdict: 'no-service-impact'});
	assert.ok(logged(state).some(entry => entry.text === `${proxy.name} recreated (same name, new UID)`));
});

test('a deleted workload recreated by the addon manager: recovery and the outage end only after it is back', () => {
	const events = inOrder(
		[{type: 'experiment-started', at: t0, component: 'kube-dns', action: {kind: 'delete-workload', workloadKind: 'Deployment', workloadName: 'kube-dns'}, pods: [dnsA, dnsB], victims: ['uid-a', 'uid-b'], limits: {timeoutMs: 180_000, settleMs: 5000}}],
		[{type: 'workload-gone', at: t0 + 20}],
		victimsGo(2000),
		[{type: 'workload-back', at: t0 + 60_000}],
		replacement('uid-c', 'c', 60_300, 65_000),
		replacement('uid-d', 'd', 60_350, 65_500),
		probes('end-to-end', -1000, 80_000, 500, [[1500, 66_000]]),
		ticks(0, 80_000, 250),
	);
	const midway = foldMeasurement(events.filter(event => event.at < t0 + 30_000));
	assert.equal(isRecovered(midway), false);
	assert.equal(midway.ending, undefined);

	const state = foldMeasurement(events);
	assert.equal(state.workloadGoneAt, t0 + 20);
	assert.equal(state.workloadBackAt, t0 + 60_000);
	assert.equal(state.recoveredAt, t0 + 65_500);
	const [window] = outageWindows(state, 'end-to-end');
	assert.equal(window.firstOkAfterAt, t0 + 66_000);
	assert.ok(window.firstOkAfterAt! > state.workloadBackAt!);
	assert.equal(verdictWithWhy(state).verdict, 'service-impact');
	assert.ok(logged(state).some(entry => entry.text === 'deployment/kube-dns back (recreated)'));
});

test('a refused delete ends the experiment at once with verdict unknown and the reason', () => {
	const state = foldMeasurement([
		startKubeDns(),
		{type: 'action-failed', at: t0 + 5, message: 'forbidden: pods "kube-dns-7df4cb66cb-9ft98" is forbidden'},
		{type: 'tick', at: t0 + 1000},
	]);
	assert.equal(state.ending?.reason, 'action-failed');
	assert.deepEqual(verdictWithWhy(state), {verdict: 'unknown', why: 'forbidden: pods "kube-dns-7df4cb66cb-9ft98" is forbidden'});
});

test('before t0 only the tail since each layer\'s last ok is kept (memory stays bounded)', () => {
	const before = foldMeasurement(probes('end-to-end', -60_000, -500, 500, []));
	assert.equal(before.probes.length, 1);
	const started = reduceMeasurement(before, startKubeDns());
	assert.equal(started.probes[0].sentAt, t0 - 500);
	assert.equal(initialMeasurement.probes.length, 0, 'the initial state is never mutated');
});

test('a layer already failing before t0 neither blocks the end nor counts as this experiment\'s impact', () => {
	const state = foldMeasurement(inOrder(
		probes('end-to-end', -3000, -500, 500, [[-3000, 0]]),
		[startKubeDns({timeoutMs: 60_000, settleMs: 2000})],
		victimsGo(1000),
		replacement('uid-c', 'c', 200, 2000),
		replacement('uid-d', 'd', 250, 2500),
		probes('end-to-end', 0, 30_000, 500, [[0, 60_000]]),
		probes('dns', -3000, 30_000, 500, []),
		ticks(0, 30_000),
	));
	assert.equal(state.ending?.reason, 'settled');
	assert.equal(state.ending?.at, t0 + 4505, 'the tenth probe inside the experiment arrives at +4.505 s');
	assert.deepEqual(verdictWithWhy(state), {verdict: 'unknown', why: 'the end-to-end path was already failing before t0'});
});

test('kill 1 in a container: recovered when the same pod has restarted and is Ready again', () => {
	const victim = pod('uid-a', dnsA.name, {restarts: 2});
	const state = foldMeasurement(inOrder(
		[{type: 'experiment-started', at: t0, component: 'kube-dns', action: {kind: 'kill-container', pod: victim.name, container: 'dnsmasq'}, pods: [victim, dnsB], victims: ['uid-a'], limits: {timeoutMs: 60_000, settleMs: 1000}}],
		[{type: 'pod-seen', at: t0 + 300, pod: {...victim, ready: false}}],
		[{type: 'pod-seen', at: t0 + 1300, pod: {...victim, ready: false, restarts: 3}}],
		[{type: 'pod-seen', at: t0 + 2400, pod: {...victim, restarts: 3}}],
		probes('end-to-end', 0, 6000, 250, []),
		ticks(0, 6000),
	));
	assert.equal(state.victims[0].restartedAt, t0 + 2400);
	assert.equal(state.recoveredAt, t0 + 2400, 'not at t0, although the pod was Ready then');
	assert.equal(state.replacements.length, 0);
});

test('currentOutage counts up while the path is down and is gone once it answers', () => {
	const events = inOrder([startKubeDns()], probes('end-to-end', 0, 5000, 500, [[1000, 4000]]));
	const during = foldMeasurement(events.filter(event => event.at < t0 + 3000));
	const open = currentOutage(during, t0 + 2900);
	assert.equal(open?.elapsedMs, 1900);
	assert.equal(currentOutage(foldMeasurement(events)), undefined);
});

test('hammer: pods deleted again become victims, and recovery is measured from the last round', () => {
	const c = pod('uid-c', 'kube-dns-7df4cb66cb-ccccc');
	const d = pod('uid-d', 'kube-dns-7df4cb66cb-ddddd');
	const state = foldMeasurement(inOrder(
		[startKubeDns({timeoutMs: 60_000, settleMs: 1000})],
		victimsGo(500),
		[{type: 'pod-seen', at: t0 + 1000, pod: c}, {type: 'pod-seen', at: t0 + 1100, pod: d}],
		[{type: 'action-repeated', at: t0 + 1200, pods: [c, d]}],
		[{type: 'pod-deleted', at: t0 + 1700, uid: 'uid-c', name: c.name}, {type: 'pod-deleted', at: t0 + 1800, uid: 'uid-d', name: d.name}],
		[{type: 'pod-seen', at: t0 + 4000, pod: pod('uid-e', 'kube-dns-7df4cb66cb-eeeee')}, {type: 'pod-seen', at: t0 + 4200, pod: pod('uid-f', 'kube-dns-7df4cb66cb-fffff')}],
		probes('end-to-end', 0, 8000, 250, [[250, 4300]]),
		ticks(0, 8000),
	));
	assert.equal(state.repeats, 1);
	assert.deepEqual(state.victims.map(victim => victim.name), [dnsA.name, dnsB.name, c.name, d.name]);
	assert.equal(state.recoveredAt, t0 + 4200, 'the first recovery (+1.1 s) was undone by the hammer');
	assert.ok(logged(state).some(entry => entry.text === `hammer: delete 2 pods again: ${c.name}, ${d.name}`));
});
