// The store on a manual clock: when a publish happens, and what it folds, at exact times.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createScreenStore, type PublishInfo} from '../../source/ui/screen-store.js';
import {initialScreen, selectCounts, selectRowList} from '../../source/model/screen.js';
import {manualClock} from '../../source/time/clock.js';
import {fakePod, t0} from './fake-objects.js';

test('a lone watch update is published at once; a burst right after is folded into one publish, publishMs after the last', () => {
	const clock = manualClock(t0);
	const publishes: PublishInfo[] = [];
	const store = createScreenStore({clock, publishMs: 200, initial: {...initialScreen(t0), podsSynced: true}, onPublish: info => publishes.push(info)});
	let notified = 0;
	store.subscribe(() => notified++);
	try {
		store.feed({type: 'pod-upserted', pod: fakePod('first')});
		assert.equal(publishes.length, 0, 'not inside feed: after what else is waiting');
		clock.advance(0);
		assert.deepEqual(publishes, [{actions: 1, oldestAt: t0, publishedAt: t0}], 'not held back: nothing was published just before');
		clock.advance(50);
		for (let index = 0; index < 1000; index++) {
			store.feed({type: 'pod-upserted', pod: fakePod(`burst-${index}`)});
		}

		clock.advance(149);
		assert.equal(publishes.length, 1, 'held until publishMs after the last publish');
		clock.advance(1);
		assert.deepEqual(publishes[1], {actions: 1000, oldestAt: t0 + 50, publishedAt: t0 + 200});
		assert.equal(notified, 2, 'one render per publish');
		assert.equal(selectCounts(store.getState()).pods, 1001);
	} finally {
		store.stop();
	}
});

test('while the first list arrives its pods are published every firstListMs, and its end at once', () => {
	const clock = manualClock(t0);
	const publishes: PublishInfo[] = [];
	const store = createScreenStore({clock, publishMs: 30, firstListMs: 500, onPublish: info => publishes.push(info)});
	try {
		for (let index = 0; index < 30; index++) {
			store.feed({type: 'pod-upserted', pod: fakePod(`listed-${index}`)});
			clock.advance(20);
		}

		// 600 ms of the list: published at once (nothing before), then 500 ms later.
		assert.deepEqual(publishes.map(info => [info.actions, info.publishedAt - t0]), [[1, 0], [24, 500]]);
		store.feed({type: 'pods-synced'});
		clock.advance(0);
		assert.deepEqual(publishes.slice(2).map(info => [info.actions, info.publishedAt - t0]), [[6, 600]], 'the rest and the end: not held to firstListMs');
		assert.equal(store.getState().podsSynced, true);
		store.feed({type: 'pod-upserted', pod: fakePod('after-the-list')});
		clock.advance(29);
		assert.equal(publishes.length, 3, 'after the list: publishMs again');
		clock.advance(1);
		assert.deepEqual(publishes[3], {actions: 1, oldestAt: t0 + 600, publishedAt: t0 + 630});
	} finally {
		store.stop();
	}
});

test('during the first list, what is not its pods (the connection, the clock) is not held with them', () => {
	const clock = manualClock(t0);
	const publishes: PublishInfo[] = [];
	const store = createScreenStore({clock, publishMs: 30, firstListMs: 500, onPublish: info => publishes.push(info)});
	try {
		store.feed({type: 'pod-upserted', pod: fakePod('listed-0')});
		clock.advance(10);
		store.feed({type: 'pod-upserted', pod: fakePod('listed-1')});
		clock.advance(10);
		store.feed({type: 'connection', state: {phase: 'reconnecting', since: t0 + 20, reason: 'connection reset'}});
		clock.advance(10);
		assert.deepEqual(publishes.map(info => [info.actions, info.publishedAt - t0]), [[1, 0], [2, 30]], 'publishMs after the last publish, the pod queued before it too');
		assert.equal(store.getState().connection.phase, 'reconnecting');
	} finally {
		store.stop();
	}
});

test('key presses are applied at once, after what is queued', () => {
	const store = createScreenStore({clock: manualClock(t0), publishMs: 10_000});
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

test('the clock ticks on each whole tickMs (2 ms late) while started, and nothing is published after stop()', () => {
	// 700 ms into a second.
	const clock = manualClock(t0 + 700);
	const store = createScreenStore({clock, publishMs: 0, tickMs: 1000});
	store.start();
	clock.advance(301);
	assert.equal(store.getState().now, t0 + 700, 'not before the second (+2 ms)');
	clock.advance(1);
	assert.equal(store.getState().now, t0 + 1002, 'the tick, published at once');
	clock.advance(1000);
	assert.equal(store.getState().now, t0 + 2002, 'the next second');
	store.stop();
	const frozen = store.getState();
	store.feed({type: 'pod-upserted', pod: fakePod('late')});
	store.dispatch({type: 'cycle-sort'});
	clock.advance(5000);
	assert.equal(store.getState(), frozen);
	assert.equal(clock.pendingCount, 0, 'no timer left');
});

test('a backlog larger than maxBatch is folded in parts, in order, one right after the other, and drawn at most every backlogDrawMs and after the last', () => {
	const clock = manualClock(t0);
	const publishes: PublishInfo[] = [];
	const store = createScreenStore({clock, publishMs: 10_000, maxBatch: 40, onPublish: info => publishes.push(info)});
	const counts: number[] = [];
	store.subscribe(() => counts.push(selectCounts(store.getState()).pods));
	try {
		for (let index = 0; index < 100; index++) {
			store.feed({type: 'pod-upserted', pod: fakePod(`pod-${index}`)});
		}

		store.dispatch({type: 'move', by: 1});
		assert.deepEqual(publishes.map(info => info.actions), [40], 'the key press publishes the first part at once');
		// The parts do not wait for publishMs: each right after whatever else is waiting.
		clock.advance(0);
		assert.deepEqual(publishes.map(info => [info.actions, info.publishedAt - t0]), [[40, 0], [40, 0], [21, 0]]);
		assert.deepEqual(counts, [40, 100], 'the second part came within backlogDrawMs of the first: not drawn');
		assert.equal(store.getState().view.selectedIndex, 1, 'the key press, queued behind the pods, was applied last');
	} finally {
		store.stop();
	}
});

test('two stores started from the same state remember their rows apart', () => {
	const initial = initialScreen(t0);
	const first = createScreenStore({clock: manualClock(t0), publishMs: 10_000, initial});
	const second = createScreenStore({clock: manualClock(t0), publishMs: 10_000, initial});
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
