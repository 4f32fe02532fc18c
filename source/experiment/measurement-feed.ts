// One experiment's measurement as it is folded: the reducer's state, and the listeners told of
// every new state and every new timeline entry. Pod experiments (engine.ts) and node
// experiments (node-experiment.ts) both feed theirs through one of these.
import {initialMeasurement, reduceMeasurement, type Measurement, type MeasurementEvent, type TimelineEntry} from '../model/measurement.js';
import type {Clock} from '../time/clock.js';

export type MeasurementFeed = {
	dispatch(event: MeasurementEvent): void;
	state(): Measurement;
	/** Every state change; returns unsubscribe. */
	subscribe(listener: (state: Measurement) => void): () => void;
	/** Every timeline entry as it becomes known; returns unsubscribe. */
	onEntry(listener: (entry: TimelineEntry, state: Measurement) => void): () => void;
};

export function measurementFeed(): MeasurementFeed {
	const stateListeners = new Set<(state: Measurement) => void>();
	const entryListeners = new Set<(entry: TimelineEntry, state: Measurement) => void>();
	let state: Measurement = initialMeasurement;
	let logged = 0;
	return {
		dispatch(event) {
			const next = reduceMeasurement(state, event);
			if (next === state) {
				return;
			}

			state = next;
			for (; logged < state.log.length; logged++) {
				for (const listener of entryListeners) {
					listener(state.log[logged], state);
				}
			}

			for (const listener of stateListeners) {
				listener(state);
			}
		},
		state: () => state,
		subscribe(listener) {
			stateListeners.add(listener);
			return () => stateListeners.delete(listener);
		},
		onEntry(listener) {
			entryListeners.add(listener);
			return () => entryListeners.delete(listener);
		},
	};
}

/**
 * From t0 on: the measurement ticks every `tickMs` (endings that are a matter of time — settled,
 * the time limit, the API server's grace period — come with a tick), and `over()` is called as
 * soon as it has an ending, at once if it already has one. Returns what stops both.
 */
export function tickUntilEnding(feed: MeasurementFeed, clock: Clock, tickMs: number, over: () => void): () => void {
	const ticker = clock.every(tickMs, () => feed.dispatch({type: 'tick', at: clock.now()}));
	const unsubscribe = feed.subscribe(next => {
		if (next.ending) {
			over();
		}
	});
	if (feed.state().ending) {
		over();
	}

	return () => {
		ticker.cancel();
		unsubscribe();
	};
}
