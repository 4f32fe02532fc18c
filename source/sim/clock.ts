// The simulator's controllers wait on this clock, never on setTimeout directly, so that
// `--speed 20` makes every delay 20 times shorter and `stop()` cancels everything pending.
// Object timestamps stay on the wall clock (kubectl's AGE column reads them).

export type Timer = {cancel(): void};

export interface SimClock {
	/** Wall-clock epoch milliseconds. */
	now(): number;
	/** Run `fn` after `ms` of simulated time (ms / speed of real time). */
	after(ms: number, fn: () => void): Timer;
	/** Run `fn` every `ms` of simulated time. */
	every(ms: number, fn: () => void): Timer;
	readonly speed: number;
	/** Cancel every pending timer. */
	stop(): void;
}

export function realClock(speed = 1): SimClock {
	const pending = new Set<NodeJS.Timeout>();
	return {
		speed,
		now: () => Date.now(),
		after(ms, fn) {
			const handle = setTimeout(() => {
				pending.delete(handle);
				fn();
			}, Math.max(0, ms / speed));
			handle.unref?.();
			pending.add(handle);
			return {
				cancel() {
					clearTimeout(handle);
					pending.delete(handle);
				},
			};
		},
		every(ms, fn) {
			const handle = setInterval(fn, Math.max(1, ms / speed));
			handle.unref?.();
			pending.add(handle);
			return {
				cancel() {
					clearInterval(handle);
					pending.delete(handle);
				},
			};
		},
		stop() {
			for (const handle of pending) {
				clearTimeout(handle);
			}

			pending.clear();
		},
	};
}

/**
 * A clock that only moves when a test says so: `advance(ms)` runs every timer due by then,
 * in order, with `now()` set to each timer's due time.
 */
export type ManualClock = SimClock & {advance(ms: number): void; readonly pendingCount: number};

export function manualClock(startMs = Date.UTC(2026, 0, 1)): ManualClock {
	let current = startMs;
	let sequence = 0;
	type Entry = {due: number; seq: number; fn: () => void; repeat?: number; cancelled: boolean};
	const timers: Entry[] = [];
	const schedule = (entry: Entry): Timer => {
		timers.push(entry);
		return {
			cancel() {
				entry.cancelled = true;
			},
		};
	};

	return {
		speed: 1,
		now: () => current,
		after: (ms, fn) => schedule({due: current + Math.max(0, ms), seq: sequence++, fn, cancelled: false}),
		every: (ms, fn) => schedule({due: current + ms, seq: sequence++, fn, repeat: Math.max(1, ms), cancelled: false}),
		stop() {
			for (const timer of timers) {
				timer.cancelled = true;
			}

			timers.length = 0;
		},
		get pendingCount() {
			return timers.filter(timer => !timer.cancelled).length;
		},
		advance(ms) {
			const target = current + ms;
			for (;;) {
				let next: Entry | undefined;
				for (const timer of timers) {
					if (!timer.cancelled && timer.due <= target && (!next || timer.due < next.due || (timer.due === next.due && timer.seq < next.seq))) {
						next = timer;
					}
				}

				if (!next) {
					break;
				}

				current = next.due;
				if (next.repeat) {
					next.due += next.repeat;
					next.seq = sequence++;
				} else {
					next.cancelled = true;
					timers.splice(timers.indexOf(next), 1);
				}

				next.fn();
			}

			current = target;
		},
	};
}
