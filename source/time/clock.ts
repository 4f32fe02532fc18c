// The one source of time. The simulator, the probes, the experiment engine and the screen
// read the time and wait through a Clock they are given, never through Date.now() or
// setTimeout directly, so that a test drives all of them together with one manualClock
// and asserts exact times, whatever else the machine is doing.

export type Timer = {cancel(): void};

export interface Clock {
	/** Epoch milliseconds. */
	now(): number;
	/** Run `fn` once, `ms` from now. */
	after(ms: number, fn: () => void): Timer;
	/** Run `fn` every `ms`, the first time `ms` from now. */
	every(ms: number, fn: () => void): Timer;
}

/**
 * Wall-clock time. Timers keep the process alive unless `unref` is set: a headless command
 * awaiting a probe or an experiment must not exit because only timers are pending, while a
 * server's housekeeping (the simulator's controllers) must not hold a finished process.
 */
export function systemClock({unref = false}: {unref?: boolean} = {}): Clock {
	const hold = (handle: NodeJS.Timeout) => {
		if (unref) {
			handle.unref();
		}

		return handle;
	};

	return {
		now: () => Date.now(),
		after(ms, fn) {
			const handle = hold(setTimeout(fn, Math.max(0, ms)));
			return {cancel: () => clearTimeout(handle)};
		},
		every(ms, fn) {
			const handle = hold(setInterval(fn, Math.max(1, ms)));
			return {cancel: () => clearInterval(handle)};
		},
	};
}

/** A timeout that runs this much after its due time says this process was stalled. */
export const stallMs = 250;

/**
 * Wait `waitMs` for an answer without blaming the other side for this process's own stall.
 * If the timer runs more than stallMs after it was due, this process did not run meanwhile (a
 * busy machine, a long frame) and an answer may be sitting unread: the wait starts again. On
 * time, `onTimeout` runs. The caller checks whether the answer came.
 */
export function answerTimeout(clock: Clock, waitMs: number, onTimeout: () => void): Timer {
	let timer: Timer;
	const arm = (dueAt: number) => {
		timer = clock.after(Math.max(0, dueAt - clock.now()), () => {
			if (clock.now() - dueAt > stallMs) {
				arm(clock.now() + waitMs);
				return;
			}

			onTimeout();
		});
	};

	arm(clock.now() + waitMs);
	return {
		cancel() {
			timer.cancel();
		},
	};
}

/**
 * A clock that only moves when a test says so: `advance(ms)` runs every timer due by then,
 * in order of due time (then of scheduling), with `now()` set to each timer's due time.
 */
export type ManualClock = Clock & {
	advance(ms: number): void;
	/** Move time without running timers, as an event loop blocked that long: what was due runs late, at the next advance. */
	jump(ms: number): void;
	/** When the earliest pending timer is due (epoch ms), if any: a test that lets promises settle between timers steps to it. */
	nextDueAt(): number | undefined;
	/** Timers scheduled and not yet run or cancelled. */
	readonly pendingCount: number;
};

export function manualClock(startMs = Date.UTC(2026, 0, 1)): ManualClock {
	let current = startMs;
	let sequence = 0;
	type Entry = {due: number; seq: number; fn: () => void; repeat?: number; cancelled: boolean};
	const timers: Entry[] = [];
	const schedule = (entry: Entry): Timer => {
		timers.push(entry);
		return {
			cancel() {
				if (!entry.cancelled) {
					entry.cancelled = true;
					timers.splice(timers.indexOf(entry), 1);
				}
			},
		};
	};

	return {
		now: () => current,
		after: (ms, fn) => schedule({due: current + Math.max(0, ms), seq: sequence++, fn, cancelled: false}),
		every: (ms, fn) => schedule({due: current + Math.max(1, ms), seq: sequence++, fn, repeat: Math.max(1, ms), cancelled: false}),
		get pendingCount() {
			return timers.length;
		},
		jump(ms) {
			current += ms;
		},
		nextDueAt() {
			let due: number | undefined;
			for (const timer of timers) {
				due = due === undefined ? timer.due : Math.min(due, timer.due);
			}

			return due;
		},
		advance(ms) {
			const target = current + ms;
			for (;;) {
				let next: Entry | undefined;
				for (const timer of timers) {
					if (timer.due <= target && (!next || timer.due < next.due || (timer.due === next.due && timer.seq < next.seq))) {
						next = timer;
					}
				}

				if (!next) {
					break;
				}

				// Late after a jump: it runs now, and a repeating one is due a period after that (as setInterval).
				current = Math.max(current, next.due);
				if (next.repeat) {
					next.due = current + next.repeat;
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
