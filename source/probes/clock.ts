// The scheduler's only view of time, so tests can drive it with a fake clock.

export type ProbeTimer = {cancel(): void};

export interface ProbeClock {
	/** Epoch milliseconds. */
	now(): number;
	after(ms: number, fn: () => void): ProbeTimer;
}

/** Wall-clock time. Timers stay ref'd: a headless command awaiting probe results must not
 * exit because only probe timers are pending; monitor.stop() cancels them. */
export const realProbeClock: ProbeClock = {
	now: () => Date.now(),
	after(ms, fn) {
		const handle = setTimeout(fn, Math.max(0, ms));
		return {cancel: () => clearTimeout(handle)};
	},
};
