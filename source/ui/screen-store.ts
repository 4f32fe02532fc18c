// Between the watches and React: updates are stamped with the time they arrived, queued,
// and folded into the screen state in batches at most every `publishMs` (33 ms), so a
// burst of thousands of watch events costs one state copy and one render per frame, and a
// lone event still reaches the screen within one publish period. Key presses are applied at
// once (after whatever is queued, to keep the order). A tick moves the clock, once a second
// on the second: everything on screen that moves with time (the clock, ages, "for 8 s")
// moves by whole seconds, so a tick in between would draw the same text again. Time and
// timers come from the Clock it is given (the composition root's; a manual one in tests).
import {applyActions, initialScreen, screenOfItsOwn, type ScreenAction, type ScreenState} from '../model/screen.js';
import type {FeedUpdate} from '../kube/pod-source.js';
import type {Clock, Timer} from '../time/clock.js';

export type PublishInfo = {
	/** How many actions this publish folded. */
	actions: number;
	/** When the oldest of them arrived (epoch ms). */
	oldestAt: number;
	/** When the new state was published. */
	publishedAt: number;
};

export type ScreenStore = {
	getState(): ScreenState;
	subscribe(listener: () => void): () => void;
	/** Apply now (key presses, resizes). */
	dispatch(action: ScreenAction): void;
	/** Queue a watch update; it is published within publishMs. */
	feed(update: FeedUpdate): void;
	/** Start the clock tick. */
	start(): void;
	/** Stop every timer. */
	stop(): void;
};

export type ScreenStoreOptions = {
	clock: Clock;
	/** Longest a watch update waits to be published. Default 33 ms (30 publishes a second). */
	publishMs?: number;
	/** Clock tick (header clock, marks expiring, gone pods dropped), on multiples of it. Default 1000 ms. */
	tickMs?: number;
	onPublish?(info: PublishInfo): void;
	initial?: ScreenState;
	/**
	 * Most actions one publish folds (default 1000). A first list of 20,000 pods is folded
	 * (and drawn) a thousand at a time with the event loop free in between, so keys, probes
	 * and the watch keep flowing instead of waiting for one long block.
	 */
	maxBatch?: number;
	/**
	 * While a backlog is folded in parts, the screen is drawn at most this often (default
	 * 100 ms), and always after the last part. Drawn after every part, the first list of
	 * 20,000 pods drew 21 frames in a row, and drawing was most of the time it took.
	 */
	backlogDrawMs?: number;
	/**
	 * Until the first pod list is in, what has come of it is published at most this often
	 * (default 500 ms). The list's pods are handed on as they are read; published every 33 ms
	 * and drawn every 100 ms, a list of 20,000 pods arriving over two seconds spent a third
	 * of that time drawing rows that the next part moved again.
	 */
	firstListMs?: number;
};

function actionFor(update: FeedUpdate, at: number): ScreenAction {
	switch (update.type) {
		case 'pod-upserted': {
			return {type: 'pod-upserted', pod: update.pod, at};
		}

		case 'pod-deleted': {
			return {type: 'pod-deleted', pod: update.pod, at};
		}

		case 'owner-upserted': {
			return {type: 'owner-upserted', owner: update.owner, at};
		}

		case 'owner-deleted': {
			return {type: 'owner-deleted', owner: update.owner, at};
		}

		case 'event-seen': {
			return {type: 'event-seen', event: update.event, at};
		}

		case 'pods-synced': {
			return {type: 'pods-synced', at};
		}

		case 'connection': {
			return {type: 'connection', state: update.state, at};
		}
	}
}

export function createScreenStore(options: ScreenStoreOptions): ScreenStore {
	const {clock} = options;
	const now = () => clock.now();
	const publishMs = options.publishMs ?? 33;
	const tickMs = options.tickMs ?? 1000;
	const maxBatch = options.maxBatch ?? 1000;
	const backlogDrawMs = options.backlogDrawMs ?? 100;
	const firstListMs = options.firstListMs ?? 500;
	// Memos of its own even when started from a state another store has (see ScreenMemo).
	let state = options.initial ? screenOfItsOwn(options.initial) : initialScreen(now());
	const listeners = new Set<() => void>();
	let pending: ScreenAction[] = [];
	let oldestPendingAt = 0;
	let lastPublishAt = 0;
	let lastDrawAt = Number.NEGATIVE_INFINITY;
	let publishTimer: Timer | undefined;
	let publishDueAt = 0;
	/** Publish `period` after the last publish, unless one is already due sooner. */
	const schedulePublish = (period: number) => {
		const dueAt = Math.max(now(), lastPublishAt + period);
		if (publishTimer && publishDueAt <= dueAt) {
			return;
		}

		publishTimer?.cancel();
		publishDueAt = dueAt;
		publishTimer = clock.after(dueAt - now(), publish);
	};

	let tickTimer: Timer | undefined;
	// On the next multiple of tickMs; 2 ms late, as a timer may fire a moment early and 2 ms
	// later is still the same second on screen.
	const scheduleTick = () => {
		tickTimer = clock.after(tickMs - (now() % tickMs) + 2, () => {
			enqueue({type: 'tick', at: now()});
			scheduleTick();
		});
	};

	let stopped = false;

	const publish = () => {
		publishTimer?.cancel();
		publishTimer = undefined;
		if (pending.length === 0) {
			return;
		}

		const batch = pending.length > maxBatch ? pending.splice(0, maxBatch) : pending;
		if (batch === pending) {
			pending = [];
		}

		state = applyActions(state, batch);
		lastPublishAt = now();
		options.onPublish?.({actions: batch.length, oldestAt: oldestPendingAt, publishedAt: lastPublishAt});
		if (pending.length === 0 || lastPublishAt - lastDrawAt >= backlogDrawMs) {
			lastDrawAt = lastPublishAt;
			for (const listener of listeners) {
				listener();
			}
		}

		if (pending.length > 0 && !stopped) {
			// The rest of a backlog: right after whatever else is waiting for the loop.
			publishDueAt = now();
			publishTimer = clock.after(0, publish);
		}
	};

	const enqueue = (action: ScreenAction) => {
		if (stopped) {
			return;
		}

		if (pending.length === 0) {
			oldestPendingAt = now();
		}

		pending.push(action);
		// The first list's pods wait up to firstListMs; everything else (its end, the clock, the
		// connection) is published within publishMs, sooner than pods queued before it.
		const ofTheFirstList = !state.podsSynced && (action.type === 'pod-upserted' || action.type === 'pod-deleted');
		schedulePublish(ofTheFirstList ? firstListMs : publishMs);
	};

	return {
		getState: () => state,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		dispatch(action) {
			if (stopped) {
				return;
			}

			pending.push(action);
			if (pending.length === 1) {
				oldestPendingAt = now();
			}

			publish();
		},
		feed(update) {
			enqueue(actionFor(update, now()));
		},
		start() {
			stopped = false;
			tickTimer?.cancel();
			scheduleTick();
		},
		stop() {
			stopped = true;
			tickTimer?.cancel();
			publishTimer?.cancel();
			publishTimer = undefined;
			pending = [];
		},
	};
}
