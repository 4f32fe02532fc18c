// The simulator's controllers wait on this clock, never on setTimeout directly, so that
// `--speed 20` makes every delay 20 times shorter and `stop()` cancels everything pending.
// It is the one Clock (time/clock.ts) it is given, with speed and cancel-all on top: tests
// give it a manual clock. Object timestamps stay on the base clock's time (kubectl's AGE
// column reads them).
import type {Clock, Timer} from '../time/clock.js';

export type {Timer} from '../time/clock.js';

export type SimClock = Clock & {
	/** Cancel every pending timer. */
	stop(): void;
};

export function simClock(base: Clock, speed = 1): SimClock {
	const pending = new Set<Timer>();
	const track = (schedule: (forget: () => void) => Timer): Timer => {
		const timer = schedule(() => pending.delete(timer));
		pending.add(timer);
		return {
			cancel() {
				timer.cancel();
				pending.delete(timer);
			},
		};
	};

	return {
		now: () => base.now(),
		after: (ms, fn) => track(forget => base.after(ms / speed, () => {
			forget();
			fn();
		})),
		every: (ms, fn) => track(() => base.every(ms / speed, fn)),
		stop() {
			for (const timer of pending) {
				timer.cancel();
			}

			pending.clear();
		},
	};
}
