import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	historyStrip,
	initialHealthState,
	reduceHealth,
	selectHealthSnapshot,
	type HealthAction,
	type HealthState,
} from '../../source/probes/health-state.js';
import {pathLayers} from '../../source/probes/catalog.js';
import type {GuestbookTarget} from '../../source/probes/guestbook-detection.js';
import type {ProbeLayer, ProbeResult} from '../../source/probes/types.js';

const t0 = 1_000_000;
const guestbook: GuestbookTarget = {
	kind: 'guestbook',
	variant: 'gke',
	namespace: 'default',
	frontend: 'frontend',
	writeService: 'redis-leader',
	readService: 'redis-follower',
};

function result(layer: ProbeLayer, at: number, outcome: ProbeResult['outcome'], extra: Partial<ProbeResult> = {}): HealthAction {
	return {type: 'probe-result', result: {layer, sentAt: t0 + at, outcome, latencyMs: 20, ...extra}};
}

/** One round of the four path layers at `at`. */
function round(at: number, outcomes: Partial<Record<ProbeLayer, ProbeResult['outcome']>>, extra: Partial<Record<ProbeLayer, Partial<ProbeResult>>> = {}): HealthAction[] {
	return pathLayers.map(layer => result(layer, at, outcomes[layer] ?? 'ok', extra[layer]));
}

function fold(actions: HealthAction[], state?: HealthState): HealthState {
	return actions.reduce(reduceHealth, state ?? initialHealthState({namespace: 'default', layers: pathLayers}));
}

const withGuestbook: HealthAction = {type: 'subject', subject: guestbook, at: t0};

test('all layers ok → UP', () => {
	const state = fold([withGuestbook, ...round(0, {}), ...round(500, {})]);
	const snapshot = selectHealthSnapshot(state, t0 + 600);
	assert.equal(snapshot.verdict.kind, 'UP');
	assert.deepEqual(
		snapshot.layers.map(layer => layer.status),
		['ok', 'ok', 'ok', 'ok'],
	);
	assert.equal(snapshot.subjectText, 'guestbook (GKE tutorial) in default');
});

test('DNS failing → DOWN, naming DNS (the first failing layer in path order) in words', () => {
	const dnsDown = {dns: 'fail', 'end-to-end': 'fail'} as const;
	const state = fold([
		withGuestbook,
		...round(0, {}),
		...round(500, dnsDown, {
			dns: {cause: 'answer', detail: 'redis-follower does not resolve'},
			'end-to-end': {cause: 'answer', detail: 'frontend answered 500'},
		}),
	]);
	const snapshot = selectHealthSnapshot(state, t0 + 2500);
	assert.equal(snapshot.verdict.kind, 'DOWN');
	assert.equal(snapshot.verdict.layer, 'dns');
	assert.equal(snapshot.verdict.reason, 'DNS: redis-follower does not resolve');
	const dns = snapshot.layers.find(layer => layer.layer === 'dns')!;
	assert.equal(dns.status, 'failing');
	assert.equal(dns.changedAt, t0 + 500);
	assert.equal(dns.sinceMs, 2000);
});

test('a slow layer with nothing failing → SLOW, not DOWN', () => {
	const state = fold([withGuestbook, ...round(0, {dns: 'slow'}, {dns: {detail: 'answered in 5.1s'}})]);
	const snapshot = selectHealthSnapshot(state, t0 + 100);
	assert.equal(snapshot.verdict.kind, 'SLOW');
	assert.equal(snapshot.verdict.reason, 'DNS: answered in 5.1s');
});

test('exec forbidden: DNS unknown with its reason, the rest keeps the verdict UP', () => {
	const state = fold([withGuestbook, ...round(0, {dns: 'unknown'}, {dns: {cause: 'forbidden', detail: 'exec not permitted'}})]);
	const snapshot = selectHealthSnapshot(state, t0 + 100);
	assert.equal(snapshot.verdict.kind, 'UP');
	const dns = snapshot.layers.find(layer => layer.layer === 'dns')!;
	assert.equal(dns.status, 'unknown');
	assert.equal(dns.detail, 'exec not permitted');
});

test('API server away (refused, or the endpoints list times out) → UNKNOWN, not DOWN', () => {
	const refused = fold([
		withGuestbook,
		...round(0, {}),
		...pathLayers.map(layer => result(layer, 500, 'unknown', {cause: 'unreachable', detail: 'API server unreachable: connection refused'})),
	]);
	const refusedVerdict = selectHealthSnapshot(refused, t0 + 600).verdict;
	assert.equal(refusedVerdict.kind, 'UNKNOWN');
	assert.match(refusedVerdict.reason ?? '', /connection refused/);

	const hanging = fold([withGuestbook, ...pathLayers.map(layer => result(layer, 0, 'fail', {cause: 'timeout', detail: 'no answer within 2s'}))]);
	const hangingVerdict = selectHealthSnapshot(hanging, t0 + 2000).verdict;
	assert.equal(hangingVerdict.kind, 'UNKNOWN');
	assert.match(hangingVerdict.reason ?? '', /not answering/);
});

test('end to end timing out while the API server answers the endpoints list is DOWN', () => {
	const state = fold([withGuestbook, ...round(0, {'end-to-end': 'fail'}, {'end-to-end': {cause: 'timeout', detail: 'no answer within 2s'}})]);
	const verdict = selectHealthSnapshot(state, t0 + 2000).verdict;
	assert.equal(verdict.kind, 'DOWN');
	assert.equal(verdict.reason, 'end-to-end: no answer within 2s');
});

test('no guestbook → UNKNOWN, and the snapshot says how to install one', () => {
	const state = fold([{type: 'subject', subject: {kind: 'none', namespace: 'shop'}, at: t0}], initialHealthState({namespace: 'shop', layers: pathLayers}));
	const snapshot = selectHealthSnapshot(state, t0);
	assert.equal(snapshot.verdict.kind, 'UNKNOWN');
	assert.equal(snapshot.verdict.reason, 'no guestbook in shop');
	assert.equal(snapshot.installCommand, 'knockdown guestbook install --app-namespace shop');
});

test('hops before it ok but no end-to-end answer yet: not UP', () => {
	const state = fold([withGuestbook, result('frontend-endpoints', 0, 'ok'), result('redis-endpoints', 0, 'ok')]);
	const verdict = selectHealthSnapshot(state, t0).verdict;
	assert.equal(verdict.kind, 'UNKNOWN');
	assert.equal(verdict.reason, 'waiting for the end-to-end probe');
});

test('before any result the verdict waits', () => {
	const snapshot = selectHealthSnapshot(initialHealthState({namespace: 'default', layers: pathLayers}), t0);
	assert.equal(snapshot.verdict.kind, 'UNKNOWN');
	assert.equal(snapshot.layers[0].status, 'waiting');
});

test('results arriving out of send order land in send order; the latest by send time decides', () => {
	// The probe sent at 0 timed out and reports at 2000, after the one sent at 500 answered ok.
	const state = fold([
		withGuestbook,
		result('end-to-end', 500, 'ok'),
		result('end-to-end', 0, 'fail', {cause: 'timeout', detail: 'no answer within 2s'}),
	]);
	const e2e = selectHealthSnapshot(state, t0 + 2000).layers.find(layer => layer.layer === 'end-to-end')!;
	assert.deepEqual(e2e.cells, ['fail', 'ok']);
	assert.equal(e2e.status, 'ok');
});

test('history keeps only the last historyMs and the strip shows one glyph per probe', () => {
	let state = initialHealthState({namespace: 'default', layers: ['end-to-end'], historyMs: 2000});
	const outcomes: Array<ProbeResult['outcome']> = ['ok', 'ok', 'slow', 'fail', 'fail', 'unknown', 'ok'];
	outcomes.forEach((outcome, index) => {
		state = reduceHealth(state, result('end-to-end', index * 500, outcome));
	});
	const e2e = selectHealthSnapshot(state, t0 + 3000).layers[0];
	assert.deepEqual(e2e.cells, ['slow', 'fail', 'fail', 'unknown', 'ok'], 'sent before 3000 − 2000 = 1000 dropped');
	assert.equal(historyStrip(e2e.cells, 7), '  ▄██?▁');
	assert.equal(historyStrip(e2e.cells, 3), '█?▁');
});

test('with the interval known, strips line up in time across layers; a probe still out is a gap (·)', () => {
	let state = initialHealthState({namespace: 'default', layers: ['dns', 'end-to-end'], intervalMs: 500});
	// end to end answered at 0, 500 (+3 ms late), 1000, 1500; DNS answered at 0 and 1500, its 500 and 1000 probes are still out.
	for (const [at, outcome] of [[0, 'ok'], [503, 'ok'], [1000, 'fail'], [1500, 'fail']] as const) {
		state = reduceHealth(state, result('end-to-end', at, outcome));
	}

	state = reduceHealth(state, result('dns', 0, 'ok'));
	state = reduceHealth(state, result('dns', 1500, 'fail'));
	const [dns, e2e] = selectHealthSnapshot(state, t0 + 1600).layers;
	assert.equal(historyStrip(e2e.cells, 6), '  ▁▁██');
	assert.equal(historyStrip(dns.cells, 6), '  ▁··█');
});

test('the end-to-end answer decides: the app answering again is UP even while an older DNS probe still reports failure', () => {
	const state = fold([
		withGuestbook,
		...round(0, {dns: 'fail', 'end-to-end': 'fail'}, {dns: {cause: 'answer', detail: 'redis-follower does not resolve'}, 'end-to-end': {cause: 'answer', detail: 'frontend answered 500'}}),
		// Later probes: endpoints and end to end ok; the DNS probe sent then is still out.
		result('frontend-endpoints', 500, 'ok'),
		result('redis-endpoints', 500, 'ok'),
		result('end-to-end', 500, 'ok'),
	]);
	const verdict = selectHealthSnapshot(state, t0 + 600).verdict;
	assert.equal(verdict.kind, 'UP');
	assert.equal(verdict.reason, 'but DNS: redis-follower does not resolve');
});

test('end to end failing first, before the slower DNS probe reports: DOWN at end to end, then refined to DNS', () => {
	const early = fold([withGuestbook, ...round(0, {}), result('frontend-endpoints', 500, 'ok'), result('redis-endpoints', 500, 'ok'), result('end-to-end', 500, 'fail', {cause: 'answer', detail: 'frontend answered 500'})]);
	assert.equal(selectHealthSnapshot(early, t0 + 600).verdict.reason, 'end-to-end: frontend answered 500');
	const later = reduceHealth(early, result('dns', 500, 'fail', {cause: 'answer', detail: 'redis-follower does not resolve'}));
	assert.equal(selectHealthSnapshot(later, t0 + 1000).verdict.reason, 'DNS: redis-follower does not resolve');
});
