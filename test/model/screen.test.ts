import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {
	applyActions,
	eventsKept,
	goneKeepMs,
	initialScreen,
	newMarkMs,
	podKey,
	podMarks,
	restartFlashMs,
	screenReducer,
	selectCounts,
	selectRowList,
	selectRows,
	selectSelectedComponent,
	selectSelectedRow,
	selectWindow,
	type Row,
	type ScreenAction,
	type ScreenState,
} from '../../source/model/screen.js';
import {fakeDaemonSet, fakeDeployment, fakeEvent, fakePod, fakeReplicaSet, t0} from '../ui/fake-objects.js';

const fold = (actions: ScreenAction[], from: ScreenState = initialScreen(t0)) => actions.reduce(screenReducer, from);

/** The rows as short strings: `[deployment/kube-dns 2/2]` for a component, the pod's name for a pod. */
function names(state: ScreenState): string[] {
	return selectRows(state).map(row => row.type === 'component'
		? `[${row.summary.component.key} ${row.summary.ready}/${row.summary.desired}]`
		: row.entry.name);
}

function podRow(state: ScreenState, name: string): Extract<Row, {type: 'pod'}> | undefined {
	return selectRows(state).find((row): row is Extract<Row, {type: 'pod'}> => row.type === 'pod' && row.entry.name === name);
}

const dnsA = fakePod('kube-dns-7df4cb66cb-9ft98', {replicaSet: 'kube-dns-7df4cb66cb', containers: 4});
const dnsB = fakePod('kube-dns-7df4cb66cb-wvhpz', {replicaSet: 'kube-dns-7df4cb66cb', containers: 4});
const proxyA = fakePod('kube-proxy-node-a', {mirrorOn: 'node-a'});
const proxyB = fakePod('kube-proxy-node-b', {mirrorOn: 'node-b'});
const fluentdA = fakePod('fluentd-gcp-v3.2.0-6gq6r', {daemonSet: 'fluentd-gcp-v3.2.0', node: 'node-a'});

/** A synced namespace at t0: kube-dns (2), kube-proxy (2 static), fluentd (1 of a 2-node DaemonSet). */
function synced(): ScreenState {
	return fold([
		{type: 'owner-upserted', owner: fakeReplicaSet('kube-dns-7df4cb66cb', 'kube-dns', 2), at: t0},
		{type: 'owner-upserted', owner: fakeDeployment('kube-dns', 2), at: t0},
		{type: 'owner-upserted', owner: fakeDaemonSet('fluentd-gcp-v3.2.0', 2), at: t0},
		...[dnsA, dnsB, proxyA, proxyB, fluentdA].map(pod => ({type: 'pod-upserted' as const, pod, at: t0})),
		{type: 'pods-synced', at: t0},
	]);
}

describe('grouping', () => {
	test('pods sit under their component: Deployment through its ReplicaSet, DaemonSet, static pods by prefix', () => {
		assert.deepEqual(names(synced()), [
			'[daemonset/fluentd-gcp-v3.2.0 1/2]',
			'fluentd-gcp-v3.2.0-6gq6r',
			'[deployment/kube-dns 2/2]',
			'kube-dns-7df4cb66cb-9ft98',
			'kube-dns-7df4cb66cb-wvhpz',
			'[static/kube-proxy 2/2]',
			'kube-proxy-node-a',
			'kube-proxy-node-b',
		]);
	});

	test('component lines carry the role of known components and none for unknown ones', () => {
		const state = fold([{type: 'pod-upserted', pod: fakePod('my-thing'), at: t0}], synced());
		const roles = new Map(selectRows(state).flatMap(row => row.type === 'component' ? [[row.summary.component.name, row.summary.role]] : []));
		assert.equal(roles.get('kube-dns'), 'DNS inside the cluster');
		assert.equal(roles.get('kube-proxy'), 'manages network traffic');
		assert.equal(roles.get('my-thing'), undefined);
	});

	test('ready counts only Ready pods; the header counts pods and components', () => {
		const state = fold([{type: 'pod-upserted', pod: fakePod(dnsB.metadata!.name!, {replicaSet: 'kube-dns-7df4cb66cb', ready: false}), at: t0 + 1}], synced());
		assert.ok(names(state).includes('[deployment/kube-dns 1/2]'));
		assert.deepEqual(selectCounts(state), {pods: 5, components: 3});
	});
});

describe('changes are visible', () => {
	test('pods of the first list are not new; a pod that appears after it is new for a few seconds', () => {
		let state = synced();
		assert.equal(podMarks(podRow(state, dnsA.metadata!.name!)!.entry, t0).isNew, false);
		const replacement = fakePod('kube-dns-7df4cb66cb-zzzzz', {replicaSet: 'kube-dns-7df4cb66cb', createdAt: t0 + 1000});
		state = fold([{type: 'pod-upserted', pod: replacement, at: t0 + 1000}], state);
		const entry = podRow(state, 'kube-dns-7df4cb66cb-zzzzz')!.entry;
		assert.equal(podMarks(entry, t0 + 1000).isNew, true);
		assert.equal(podMarks(entry, t0 + 1000 + newMarkMs - 1).isNew, true);
		assert.equal(podMarks(entry, t0 + 1000 + newMarkMs).isNew, false);
	});

	test('before the first list is in, only pods created moments ago are new', () => {
		const state = fold([
			{type: 'pod-upserted', pod: fakePod('old', {createdAt: t0 - 3_600_000}), at: t0},
			{type: 'pod-upserted', pod: fakePod('fresh', {createdAt: t0 - 1000}), at: t0},
		]);
		assert.equal(podMarks(podRow(state, 'old')!.entry, t0).isNew, false);
		assert.equal(podMarks(podRow(state, 'fresh')!.entry, t0).isNew, true);
	});

	test('a restart count that goes up flashes, and stops flashing', () => {
		let state = synced();
		state = fold([{type: 'pod-upserted', pod: fakePod(dnsA.metadata!.name!, {replicaSet: 'kube-dns-7df4cb66cb', restarts: 1}), at: t0 + 2000}], state);
		const entry = podRow(state, dnsA.metadata!.name!)!.entry;
		assert.equal(entry.restartCount, 1);
		assert.equal(podMarks(entry, t0 + 2000).flashing, true);
		assert.equal(podMarks(entry, t0 + 2000 + restartFlashMs).flashing, false);
		// The same count again (another update of the pod) does not flash anew.
		state = fold([{type: 'pod-upserted', pod: fakePod(dnsA.metadata!.name!, {replicaSet: 'kube-dns-7df4cb66cb', restarts: 1, ready: false}), at: t0 + 9000}], state);
		assert.equal(podMarks(podRow(state, dnsA.metadata!.name!)!.entry, t0 + 9000).flashing, false);
	});

	test('a deleted pod stays, marked gone, then is dropped by the clock', () => {
		let state = fold([{type: 'pod-deleted', pod: dnsA, at: t0 + 1000}], synced());
		assert.equal(podMarks(podRow(state, dnsA.metadata!.name!)!.entry, t0 + 1000).gone, true);
		assert.deepEqual(selectCounts(state), {pods: 4, components: 3}, 'gone pods are not counted');
		assert.ok(names(state).includes('[deployment/kube-dns 1/2]'));
		state = fold([{type: 'tick', at: t0 + 1000 + goneKeepMs - 1}], state);
		assert.ok(podRow(state, dnsA.metadata!.name!), 'still shown just before goneKeepMs');
		state = fold([{type: 'tick', at: t0 + 1000 + goneKeepMs}], state);
		assert.equal(podRow(state, dnsA.metadata!.name!), undefined);
		assert.equal(state.goneKeys?.size, 0, 'nothing left for the next tick to look at');
	});

	test('the tick looks only at the gone pods, in the same fold as the deletion too', () => {
		// A second DELETED for a gone pod does not move its time: it goes goneKeepMs after the first.
		let state = fold([{type: 'pod-deleted', pod: dnsA, at: t0 + 1000}, {type: 'pod-deleted', pod: dnsB, at: t0 + 1000}], synced());
		assert.deepEqual([...state.goneKeys ?? []].sort(), [podKey(dnsA), podKey(dnsB)].sort());
		state = applyActions(state, [
			{type: 'pod-deleted', pod: dnsA, at: t0 + 2000},
			{type: 'tick', at: t0 + 1000 + goneKeepMs},
		]);
		assert.equal(podRow(state, dnsA.metadata!.name!), undefined, 'dropped by a tick in the fold');
		assert.equal(podRow(state, dnsB.metadata!.name!), undefined);
		assert.equal(state.goneKeys?.size, 0);
		const other = fakePod('other', {uid: 'uid-other'});
		state = applyActions(state, [{type: 'pod-upserted', pod: other, at: t0 + 9000}, {type: 'pod-deleted', pod: other, at: t0 + 9000}, {type: 'tick', at: t0 + 9000 + goneKeepMs}]);
		assert.equal(podRow(state, 'other'), undefined, 'added, deleted and dropped in one fold');
	});

	test('a mirror pod recreated under its name with a new uid: the old one is gone, the new one new', () => {
		const recreated = fakePod('kube-proxy-node-a', {mirrorOn: 'node-a', uid: 'uid-proxy-a-2', createdAt: t0 + 500});
		const state = fold([{type: 'pod-upserted', pod: recreated, at: t0 + 600}], synced());
		const rows = selectRows(state).filter((row): row is Extract<Row, {type: 'pod'}> => row.type === 'pod' && row.entry.name === 'kube-proxy-node-a');
		assert.equal(rows.length, 2);
		assert.deepEqual(rows.map(row => podMarks(row.entry, t0 + 600)), [
			{isNew: false, flashing: false, gone: true},
			{isNew: true, flashing: false, gone: false},
		]);
	});

	test('a tick changes nothing but the time when nothing expires, so the rows are not regrouped', () => {
		const state = synced();
		const rows = selectRows(state);
		const later = fold([{type: 'tick', at: t0 + 100}], state);
		assert.equal(later.now, t0 + 100);
		assert.equal(selectRows(later), rows);
	});
});

describe('sort and filter', () => {
	const busy = () => fold([
		{type: 'pod-upserted', pod: fakePod('kube-proxy-node-b', {mirrorOn: 'node-b', restarts: 7}), at: t0 + 1},
		{type: 'pod-upserted', pod: fakePod('fluentd-gcp-v3.2.0-6gq6r', {daemonSet: 'fluentd-gcp-v3.2.0', node: 'node-a', restarts: 2}), at: t0 + 1},
		{type: 'pod-upserted', pod: fakePod('kube-dns-7df4cb66cb-new01', {replicaSet: 'kube-dns-7df4cb66cb', createdAt: t0 - 1000}), at: t0 + 1},
	], synced());

	test('s cycles component → restarts → age → component', () => {
		let state = busy();
		assert.equal(state.view.sort, 'component');
		state = fold([{type: 'cycle-sort'}], state);
		assert.equal(state.view.sort, 'restarts');
		assert.deepEqual(names(state).slice(0, 4), ['[static/kube-proxy 2/2]', 'kube-proxy-node-b', 'kube-proxy-node-a', '[daemonset/fluentd-gcp-v3.2.0 1/2]']);
		state = fold([{type: 'cycle-sort'}], state);
		assert.equal(state.view.sort, 'age');
		assert.deepEqual(names(state).slice(0, 2), ['[deployment/kube-dns 3/2]', 'kube-dns-7df4cb66cb-new01']);
		state = fold([{type: 'cycle-sort'}], state);
		assert.equal(state.view.sort, 'component');
	});

	test('the filter keeps pods whose name matches, and every pod of a component whose name matches', () => {
		let state = fold([{type: 'filter-open'}, {type: 'filter-set', text: 'node-b'}], busy());
		assert.equal(state.view.mode, 'filter');
		assert.deepEqual(names(state), ['[static/kube-proxy 2/2]', 'kube-proxy-node-b']);
		state = fold([{type: 'filter-set', text: 'KUBE-DNS'}, {type: 'filter-accept'}], state);
		assert.equal(state.view.mode, 'table');
		assert.deepEqual(names(state), ['[deployment/kube-dns 3/2]', 'kube-dns-7df4cb66cb-9ft98', 'kube-dns-7df4cb66cb-new01', 'kube-dns-7df4cb66cb-wvhpz']);
		state = fold([{type: 'filter-clear'}], state);
		assert.equal(state.view.filter, '');
		assert.equal(names(state).length, 9);
	});
});

describe('selection and windowing', () => {
	// 1 component line + 30 pods.
	const many = () => fold([
		{type: 'viewport', rows: 5},
		...Array.from({length: 30}, (_, index) => ({
			type: 'pod-upserted' as const,
			pod: fakePod(`kube-proxy-node-${String(index).padStart(2, '0')}`, {mirrorOn: `node-${String(index).padStart(2, '0')}`}),
			at: t0,
		})),
		{type: 'pods-synced', at: t0},
	]);

	test('only the rows that fit are in the window, and moving down scrolls it', () => {
		let state = many();
		let window = selectWindow(state);
		assert.equal(window.total, 31);
		assert.equal(window.rows.length, 5);
		assert.equal(window.top, 0);
		state = fold([{type: 'move', by: 1}, {type: 'move', by: 1}, {type: 'move', by: 1}, {type: 'move', by: 1}, {type: 'move', by: 1}], state);
		window = selectWindow(state);
		assert.equal(window.selected, 5);
		assert.equal(window.top, 1);
		assert.equal((window.rows.at(-1) as Extract<Row, {type: 'pod'}>).entry.name, 'kube-proxy-node-04');
	});

	test('G goes to the last row, g to the first, PgDn moves a page less one', () => {
		let state = fold([{type: 'move-to', position: 'last'}], many());
		assert.equal(selectWindow(state).selected, 30);
		assert.equal(selectWindow(state).top, 26);
		state = fold([{type: 'move-to', position: 'first'}], state);
		assert.deepEqual([selectWindow(state).selected, selectWindow(state).top], [0, 0]);
		state = fold([{type: 'page', direction: 1}], state);
		assert.equal(selectWindow(state).selected, 4);
		state = fold([{type: 'page', direction: -1}, {type: 'move', by: -5}], state);
		assert.equal(selectWindow(state).selected, 0, 'clamped at the top');
	});

	test('the selection stays on its pod when a row appears above it', () => {
		let state = fold([{type: 'move', by: 3}], many());
		const selected = selectSelectedRow(state);
		assert.equal(selected?.type === 'pod' && selected.entry.name, 'kube-proxy-node-02');
		state = fold([{type: 'pod-upserted', pod: fakePod('kube-proxy-node-00a', {mirrorOn: 'node-00a'}), at: t0 + 1}], state);
		const after = selectSelectedRow(state);
		assert.equal(after?.type === 'pod' && after.entry.name, 'kube-proxy-node-02');
		assert.equal(selectWindow(state).selected, 4);
		assert.equal(selectSelectedComponent(state)?.key, 'static/kube-proxy');
	});

	test('when the selected pod is dropped, the selection stays where it was', () => {
		let state = fold([{type: 'move', by: 3}, {type: 'pod-deleted', pod: fakePod('kube-proxy-node-02', {mirrorOn: 'node-02'}), at: t0 + 1}], many());
		state = fold([{type: 'tick', at: t0 + 1 + goneKeepMs}], state);
		const row = selectSelectedRow(state);
		assert.equal(row?.type === 'pod' && row.entry.name, 'kube-proxy-node-03');
	});

	test('a smaller viewport still shows the selection', () => {
		let state = fold([{type: 'move', by: 20}], many());
		state = fold([{type: 'viewport', rows: 3}], state);
		const window = selectWindow(state);
		assert.ok(window.selected >= window.top && window.selected < window.top + 3);
	});
});

describe('events', () => {
	test('newest first, an update moves an event to the top, and the panel is bounded', () => {
		let state = fold([
			{type: 'event-seen', event: fakeEvent('a', 'Scheduled', t0 - 3000), at: t0},
			{type: 'event-seen', event: fakeEvent('b', 'Pulled', t0 - 2000), at: t0},
			{type: 'event-seen', event: fakeEvent('c', 'Killing', t0 - 1000), at: t0},
		]);
		assert.deepEqual(state.events.map(entry => entry.event.reason), ['Killing', 'Pulled', 'Scheduled']);
		state = fold([{type: 'event-seen', event: fakeEvent('a', 'Scheduled', t0), at: t0}], state);
		assert.deepEqual(state.events.map(entry => entry.event.reason), ['Scheduled', 'Killing', 'Pulled']);
		state = applyActions(state, Array.from({length: eventsKept + 20}, (_, index) => ({
			type: 'event-seen' as const,
			event: fakeEvent(`many-${index}`, 'Started', t0 + index),
			at: t0 + index,
		})));
		assert.equal(state.events.length, eventsKept);
		assert.equal(state.events[0]!.key, `uid-ev-many-${eventsKept + 19}`);
	});
});

describe('connection', () => {
	test('the last known pods stay while the connection is away', () => {
		const state = fold([{type: 'connection', state: {phase: 'reconnecting', since: t0 + 10, reason: 'connection refused'}, at: t0 + 10}, {type: 'tick', at: t0 + 60_000}], synced());
		assert.equal(state.connection.phase, 'reconnecting');
		assert.deepEqual(selectCounts(state), {pods: 5, components: 3});
	});
});

test('a batch gives the same state as folding one action at a time', () => {
	const actions: ScreenAction[] = [
		{type: 'pod-upserted', pod: fakePod('x', {createdAt: t0}), at: t0 + 1},
		{type: 'move', by: 2},
		{type: 'pod-deleted', pod: fakePod('x'), at: t0 + 2},
		{type: 'pod-upserted', pod: fakePod('y'), at: t0 + 3},
		{type: 'cycle-sort'},
	];
	const one = fold(actions, synced());
	const batch = applyActions(synced(), actions);
	assert.deepEqual(names(batch), names(one));
	assert.deepEqual(batch.view, one.view);
	assert.equal(batch.now, one.now);
});

test('rows moved by each publish\'s changes are the rows built from scratch, in every sort, across pods coming, going, restarting and new components', () => {
	// The same pods in a map the row index has never seen, with no record of what changed: built from scratch.
	const scratch = (state: ScreenState): ScreenState => ({...state, pods: new Map(state.pods), podChanges: undefined});
	const summaries = (state: ScreenState) => selectRows(state).map(row => row.type === 'component'
		? `[${row.summary.component.key} ${row.summary.ready}/${row.summary.desired} ${row.summary.podCount}]`
		: `${row.entry.name} ${row.entry.restartCount}${row.entry.goneAt === undefined ? '' : ' gone'}`);
	let state = synced();
	let at = t0;
	const steps: ScreenAction[][] = [
		[{type: 'pod-upserted', pod: fakePod('fluentd-gcp-v3.2.0-zzzzz', {daemonSet: 'fluentd-gcp-v3.2.0', node: 'node-b', createdAt: t0 + 5}), at: t0 + 5}],
		[{type: 'pod-upserted', pod: fakePod('kube-dns-7df4cb66cb-9ft98', {replicaSet: 'kube-dns-7df4cb66cb', restarts: 3}), at: t0 + 6}],
		[{type: 'pod-deleted', pod: proxyA, at: t0 + 7}, {type: 'pod-upserted', pod: fakePod('a-bare-pod'), at: t0 + 7}],
		[{type: 'cycle-sort'}, {type: 'pod-upserted', pod: fakePod('kube-proxy-node-a', {mirrorOn: 'node-a', uid: 'uid-proxy-again'}), at: t0 + 8}],
		[{type: 'tick', at: t0 + 7 + goneKeepMs}],
		[{type: 'pod-deleted', pod: fakePod('a-bare-pod'), at: t0 + 9000}, {type: 'cycle-sort'}],
		[{type: 'tick', at: t0 + 9000 + goneKeepMs}, {type: 'pod-upserted', pod: fakePod('kube-dns-7df4cb66cb-wvhpz', {replicaSet: 'kube-dns-7df4cb66cb', ready: false}), at: t0 + 9000 + goneKeepMs}],
		// A workload's counts change: the same components, other desired counts.
		[{type: 'owner-upserted', owner: fakeDaemonSet('fluentd-gcp-v3.2.0', 3), at: t0 + 15_000}, {type: 'owner-upserted', owner: fakeDeployment('kube-dns', 3), at: t0 + 15_000}],
		// A pod whose ReplicaSet is not known yet, then its ReplicaSet: the pod moves to the Deployment.
		[{type: 'pod-upserted', pod: fakePod('web-5d8f7c9b4-abcde', {replicaSet: 'web-5d8f7c9b4'}), at: t0 + 16_000}],
		[{type: 'owner-upserted', owner: fakeReplicaSet('web-5d8f7c9b4', 'web', 1), at: t0 + 17_000}, {type: 'owner-upserted', owner: fakeDeployment('web', 1), at: t0 + 17_000}],
	];
	for (const step of steps) {
		selectRows(state);
		state = applyActions(state, step);
		at = state.now;
		assert.deepEqual(summaries(state), summaries(scratch(state)), `after ${JSON.stringify(step.map(action => action.type))} at ${at - t0}`);
		assert.deepEqual(selectCounts(state), selectCounts(scratch(state)));
		assert.deepEqual(selectWindow(state), selectWindow(scratch(state)));
	}

	// A backlog is folded in parts and drawn only now and then: the parts nobody drew carry
	// their changes on, and the rows drawn next are still the rows built from scratch.
	for (const drawEvery of [2, 3]) {
		state = synced();
		for (const [number, step] of steps.entries()) {
			state = applyActions(state, step);
			if (number % drawEvery === drawEvery - 1) {
				assert.deepEqual(summaries(state), summaries(scratch(state)), `drawn every ${drawEvery} publishes, after step ${number}`);
				assert.deepEqual(selectCounts(state), selectCounts(scratch(state)));
				// What the screen drew last (the scratch rows above took the memo).
				selectRows(state);
			}
		}
	}
});

describe('memos belong to one store', () => {
	test('selecting another store\'s rows does not evict this one\'s: the same list comes back', () => {
		const a = synced();
		const b = fold([{type: 'pod-upserted', pod: fakePod('other-store-pod'), at: t0}]);
		const rowsOfA = selectRowList(a);
		assert.equal(selectRowList(b).length, 2, 'the other store has its own rows');
		assert.equal(selectRowList(a), rowsOfA, 'not rebuilt from every pod because another store selected in between');
		assert.deepEqual(names(a).slice(0, 2), ['[daemonset/fluentd-gcp-v3.2.0 1/2]', 'fluentd-gcp-v3.2.0-6gq6r']);
	});

	test('two stores folding in turn each keep moving their own rows along', () => {
		let a = synced();
		let b = fold([{type: 'pod-upserted', pod: fakePod('other-store-pod'), at: t0}]);
		const rowsOfA = selectRowList(a);
		b = screenReducer(b, {type: 'pod-upserted', pod: fakePod('another-pod'), at: t0 + 1000});
		selectRowList(b);
		assert.equal(selectRowList(a), rowsOfA);
		a = screenReducer(a, {type: 'cycle-sort'});
		assert.notEqual(selectRowList(a), rowsOfA, 'a change of its own makes new rows');
		assert.equal(selectRowList(b).length, 4, 'each pod its own component here');
	});
});
