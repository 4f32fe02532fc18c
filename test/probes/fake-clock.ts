// A clock that only moves when a test says so; timers due by then run in time order.
import type {ProbeClock} from '../../source/probes/clock.js';

export type FakeClock = ProbeClock & {
	/** Move time forward, running every timer due on the way (and letting promises settle in between). */
	advance(ms: number): Promise<void>;
	/** Move time without running timers: an event loop that was blocked. */
	jump(ms: number): void;
	pendingTimers(): number;
};

export function fakeClock(start = 1_000_000): FakeClock {
	let now = start;
	let nextId = 0;
	const timers = new Map<number, {at: number; id: number; fn: () => void}>();
	return {
		now: () => now,
		after(ms, fn) {
			const id = nextId++;
			timers.set(id, {at: now + Math.max(0, ms), id, fn});
			return {cancel: () => timers.delete(id)};
		},
		pendingTimers: () => timers.size,
		jump(ms) {
			now += ms;
		},
		async advance(ms) {
			const until = now + ms;
			for (;;) {
				await settle();
				const due = [...timers.values()].filter(timer => timer.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
				if (!due) {
					break;
				}

				timers.delete(due.id);
				now = Math.max(now, due.at);
				due.fn();
			}

			now = until;
			await settle();
		},
	};
}

/** Let resolved promises run their callbacks. */
export async function settle() {
	for (let i = 0; i < 10; i++) {
		await Promise.resolve();
	}
}
