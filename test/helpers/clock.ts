// Driving code that awaits between timers (probes, the experiment engine) on the manual
// clock: each timer runs at its due time, and the promises it resolved settle before the next.
import type {ManualClock} from '../../source/time/clock.js';

/** Let resolved promises run their callbacks. */
export async function settle(): Promise<void> {
	for (let i = 0; i < 10; i++) {
		await Promise.resolve();
	}
}

/** Move the clock `ms` forward one due time at a time, letting promises settle after each. */
export async function advanceSettled(clock: ManualClock, ms: number): Promise<void> {
	const until = clock.now() + ms;
	for (;;) {
		await settle();
		const due = clock.nextDueAt();
		if (due === undefined || due > until) {
			break;
		}

		clock.advance(Math.max(0, due - clock.now()));
	}

	clock.advance(until - clock.now());
	await settle();
}

/** Advance the clock, one due time at a time, until `promise` settles (its value) or `limitMs` have passed (throws). */
export async function advanceUntil<T>(clock: ManualClock, promise: Promise<T>, limitMs: number): Promise<T> {
	let outcome: {value: T} | {error: unknown} | undefined;
	promise.then(value => {
		outcome = {value};
	}, (error: unknown) => {
		outcome = {error};
	});
	const until = clock.now() + limitMs;
	for (;;) {
		await settle();
		if (outcome) {
			if ('error' in outcome) {
				throw outcome.error;
			}

			return outcome.value;
		}

		const due = clock.nextDueAt();
		if (due === undefined || due > until) {
			throw new Error(`still waiting after ${limitMs} ms of the manual clock`);
		}

		clock.advance(Math.max(0, due - clock.now()));
	}
}
