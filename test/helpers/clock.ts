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
	const settled = await advanceUntilFound(clock, () => outcome, 'the promise to settle', limitMs);
	if ('error' in settled) {
		throw settled.error;
	}

	return settled.value;
}

/** Advance the clock, one due time at a time, until `find` returns something (returned) or `limitMs` have passed (throws, naming `what`). */
export async function advanceUntilFound<T>(clock: ManualClock, find: () => T | undefined | false, what: string, limitMs: number): Promise<T> {
	const until = clock.now() + limitMs;
	for (;;) {
		await settle();
		const found = find();
		if (found) {
			return found;
		}

		const due = clock.nextDueAt();
		if (due === undefined || due > until) {
			throw new Error(`no ${what} within ${limitMs} ms of the manual clock`);
		}

		clock.advance(Math.max(0, due - clock.now()));
	}
}
