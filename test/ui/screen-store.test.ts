import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createScreenStore, type PublishInfo} from '../../source/ui/screen-store.js';
import {initialScreen, selectCounts, selectRowList} from '../../source/model/screen.js';
import {fakePod, t0} from './fake-objects.js';
import {eventually} from '../helpers/sim.js';

test('a lone watch update is published at once; a burst right after is folded into one publish', async () => {
	const publishes: PublishInfo[] = [];
	const store = createScreenStore({publishMs: 200, onPublish: info => publishes.push(info)});
	let notified = 0;
	store.subscribe(() => notified++);
	try {
		store.feed({type: 'pod-upserted', pod: fakePod('first')});
		await eventually(() => publishes.length === 1, 'the first publish', 1000, 5);
		assert.ok(publishes[0]!.publishedAt - publishes[0]!.oldestAt < 100, 'not held back: nothing was published just before');
		for (let index = 0; index < 1000; index++) {
			store.feed({type: 'pod-upserted', pod: fakePod(`burst-${index}`)});
		}

		assert.equal(publishes.length, 1, 'held until publishMs after the last publish');
		await eventually(() => publishes.length === 2, 'the burst published', 2000, 5);
		assert.equal(publishes[1]!.actions, 1000);
		assert.equal(notified, 2, 'one render per publish');
		assert.equal(selectCounts(store.getState()).pods, 1001);
	} finally {
		store.stop();
	}
});

test('key presses are applied at once, after what is queued', () => {
	const store = createScreenStore({publishMs: 10_000, now: () => t0});
	try {
		store.feed({type: 'pod-upserted', pod: fakePod('queued')});
		store.dispatch({type: 'cycle-sort'});
		const state = store.getState();
		assert.equal(state.view.sort, 'restarts');
		assert.equal(state.pods.size, 1, 'the queued update went first');
	} finally {
		store.stop();
	}
});

test('the clock ticks while started, and nothing is published after stop()', async () => {
	let now = t0;
	const store = createScreenStore({publishMs: 0, tickMs: 20, now: () => now});
	store.start();
	now = t0 + 5000;
	await eventually(() => store.getState().now === t0 + 5000, 'a tick', 1000, 5);
	store.stop();
	const frozen = store.getState();
	store.feed({type: 'pod-upserted', pod: fakePod('late')});
	store.dispatch({type: 'cycle-sort'});
	// Nothing queued, no timer left: the test process exits by itself.
	assert.equal(store.getState(), frozen);
});

test('a backlog larger than maxBatch is folded in parts, in order, one right after the other', async () => {
	const publishes: PublishInfo[] = [];
	const store = createScreenStore({publishMs: 10_000, maxBatch: 40, onPublish: info => publishes.push(info)});
	const counts: number[] = [];
	store.subscribe(() => counts.push(selectCounts(store.getState()).pods));
	try {
		for (let index = 0; index < 100; index++) {
			store.feed({type: 'pod-upserted', pod: fakePod(`pod-${index}`)});
		}

		store.dispatch({type: 'move', by: 1});
		// Far sooner than publishMs: the parts do not wait for it.
		await eventually(() => publishes.length === 3, 'three parts', 2000, 5);
		assert.deepEqual(publishes.map(info => info.actions), [40, 40, 21]);
		assert.deepEqual(counts, [40, 80, 100]);
		assert.equal(store.getState().view.selectedIndex, 1, 'the key press, queued behind the pods, was applied last');
	} finally {
		store.stop();
	}
});

test('two stores started from the same state remember their rows apart', () => {
	const initial = initialScreen(t0);
	const first = createScreenStore({publishMs: 10_000, now: () => t0, initial});
	const second = createScreenStore({publishMs: 10_000, now: () => t0, initial});
	try {
		second.dispatch({type: 'pod-upserted', pod: fakePod('only-in-the-second'), at: t0});
		const rowsOfFirst = selectRowList(first.getState());
		assert.equal(selectRowList(second.getState()).length, 2);
		assert.equal(selectRowList(first.getState()), rowsOfFirst, 'the second store\'s selection did not replace the first\'s');
		assert.equal(rowsOfFirst.length, 0);
	} finally {
		first.stop();
		second.stop();
	}
});
