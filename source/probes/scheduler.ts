// Runs probes on a fixed schedule and turns what they report into ProbeResults stamped with
// their send time (measurement.md). Knows nothing about Kubernetes: a probe is a function of
// an AbortSignal.
//
// Rules:
// - Slot k is due at start + k·interval. A late timer sends at once and stamps the real send
//   time; slots missed entirely (the event loop was blocked for more than an interval) are not
//   sent late in a burst — sending them now would stamp them with the wrong time.
// - Each probe has a timeout: at timeoutMs it is aborted and becomes a failure (cause
//   "timeout") at its send time. Whatever it reports later is ignored.
// - In-flight limit: at most maxInFlight probes of one kind wait at once. A slot that finds the
//   limit reached is NOT sent (a dead path must not pile up connections). It is still recorded,
//   so the history has one cell per slot and an outage window keeps its resolution: when the
//   oldest waiting probe settles, each slot that waited behind it gets that probe's outcome
//   (ok, slow, fail — a timeout makes them failures, as measurement.md wants for a dead path)
//   and detail, marked notSent, with the time it waited as its latency.
import {answerTimeout, type Clock, type Timer} from '../time/clock.js';
import type {ProbeCause, ProbeLayer, ProbeResult} from './types.js';

/** What a probe found for one layer (the scheduler adds send time and latency). */
export type LayerReport = {
	layer: ProbeLayer;
	outcome: ProbeResult['outcome'];
	detail?: string;
	cause?: ProbeCause;
};

export type ScheduledProbe = {
	/** The in-flight limit counts probes per name. */
	name: string;
	/** The layers this probe reports on; a timeout fails all of them. */
	layers: ProbeLayer[];
	/** An ok answer slower than this is slow. */
	slowMs?: number;
	run(signal: AbortSignal): Promise<LayerReport[]>;
};

export type SchedulerOptions = {
	clock: Clock;
	intervalMs: number;
	timeoutMs: number;
	/** Default 2. */
	maxInFlight?: number;
	/** Read at every slot, so the set of probes can change (e.g. once a guestbook is found). */
	probes: () => ScheduledProbe[];
	onResult: (result: ProbeResult) => void;
};

export type ProbeScheduler = {
	start(): void;
	/** Cancel timers and abort whatever is in flight; nothing is reported after stop. */
	stop(): void;
};

type InFlight = {
	sentAt: number;
	abort: AbortController;
	timer: Timer;
	settled: boolean;
	waitingSlots: number[];
};

export function createProbeScheduler(options: SchedulerOptions): ProbeScheduler {
	const {clock, intervalMs, timeoutMs} = options;
	const maxInFlight = options.maxInFlight ?? 2;
	const inFlight = new Map<string, InFlight[]>();
	let running = false;
	let startedAt = 0;
	let slot = 0;
	let slotTimer: Timer | undefined;

	function emit(result: ProbeResult) {
		if (running) {
			options.onResult(result);
		}
	}

	function runSlot() {
		if (!running) {
			return;
		}

		const now = clock.now();
		for (const probe of options.probes()) {
			send(probe, now);
		}

		// A timer that fired late stands for the latest slot already due: the slots in between
		// are dropped rather than sent in a burst with wrong stamps.
		slot = Math.max(slot, Math.floor((now - startedAt) / intervalMs)) + 1;
		slotTimer = clock.after(Math.max(0, startedAt + slot * intervalMs - now), runSlot);
	}

	function send(probe: ScheduledProbe, sentAt: number) {
		const waiting = inFlight.get(probe.name) ?? [];
		inFlight.set(probe.name, waiting);
		if (waiting.length >= maxInFlight) {
			waiting[0].waitingSlots.push(sentAt);
			return;
		}

		const abort = new AbortController();
		const entry: InFlight = {
			sentAt,
			abort,
			settled: false,
			waitingSlots: [],
			// A stall of this process is not the app's silence: no false outage (see answerTimeout).
			timer: answerTimeout(clock, timeoutMs, () => {
				settle(
					probe,
					entry,
					probe.layers.map(layer => ({
						layer,
						outcome: 'fail',
						cause: 'timeout',
						detail: `no answer within ${formatMs(timeoutMs)}`,
					})),
					clock.now() - sentAt,
				);
				abort.abort();
			}),
		};
		waiting.push(entry);

		let promise: Promise<LayerReport[]>;
		try {
			promise = probe.run(abort.signal);
		} catch (error) {
			promise = Promise.reject(error);
		}

		promise.then(
			reports => {
				settle(probe, entry, reports, clock.now() - sentAt);
			},
			(error: unknown) => {
				// A probe should report, not throw; if it throws anyway it is a view problem, not an outage.
				const message = error instanceof Error ? error.message : String(error);
				settle(
					probe,
					entry,
					probe.layers.map(layer => ({layer, outcome: 'unknown', cause: 'error', detail: `probe failed: ${message}`})),
					clock.now() - sentAt,
				);
			},
		);
	}

	function settle(probe: ScheduledProbe, entry: InFlight, reports: LayerReport[], latencyMs: number) {
		if (entry.settled) {
			return;
		}

		entry.settled = true;
		entry.timer.cancel();
		const waiting = inFlight.get(probe.name) ?? [];
		const index = waiting.indexOf(entry);
		if (index !== -1) {
			waiting.splice(index, 1);
		}

		const settledAt = entry.sentAt + latencyMs;
		const results = reports.map(report => withSlowness(probe, report, latencyMs));
		for (const result of results) {
			emit({...result, sentAt: entry.sentAt, latencyMs});
		}

		for (const slotSentAt of entry.waitingSlots) {
			for (const result of results) {
				emit({
					layer: result.layer,
					sentAt: slotSentAt,
					latencyMs: Math.max(0, settledAt - slotSentAt),
					outcome: result.outcome,
					cause: result.cause,
					detail: result.detail,
					notSent: true,
				});
			}
		}
	}

	return {
		start() {
			if (running) {
				return;
			}

			running = true;
			startedAt = clock.now();
			slot = 0;
			runSlot();
		},
		stop() {
			running = false;
			slotTimer?.cancel();
			slotTimer = undefined;
			for (const waiting of inFlight.values()) {
				for (const entry of waiting) {
					entry.settled = true;
					entry.timer.cancel();
					entry.abort.abort();
				}
			}

			inFlight.clear();
		},
	};
}

function withSlowness(probe: ScheduledProbe, report: LayerReport, latencyMs: number): Omit<ProbeResult, 'sentAt' | 'latencyMs'> {
	if (report.outcome === 'ok' && probe.slowMs !== undefined && latencyMs > probe.slowMs) {
		return {...report, outcome: 'slow', detail: `answered in ${formatMs(latencyMs)}${report.detail ? ` (${report.detail})` : ''}`};
	}

	return report;
}

export function formatMs(ms: number): string {
	if (ms < 1000) {
		return `${Math.round(ms)}ms`;
	}

	const seconds = ms / 1000;
	return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s`;
}
