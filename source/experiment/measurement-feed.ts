// One experiment's measurement as it is folded: the reducer's state, and the listeners told of
// every new state and every new timeline entry. Pod experiments (engine.ts) and node
// experiments (node-experiment.ts) both feed theirs through one of these.
import {initialMeasurement, reduceMeasurement, type Measurement, type MeasurementEvent, type TimelineEntry} from '../model/measurement.js';

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
