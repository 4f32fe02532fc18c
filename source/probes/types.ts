// What a probe reports, shared by the health panel, the experiment engine and the reports.

/** The layers of the guestbook path, in the order a request crosses them, plus function probes. */
export type ProbeLayer = 'frontend-endpoints' | 'redis-endpoints' | 'dns' | 'end-to-end' | 'metrics-api';

export type ProbeResult = {
	layer: ProbeLayer;
	/** Epoch ms when the probe was sent: measurement.md stamps every probe with its send time. */
	sentAt: number;
	/** ok: answered correctly; slow: answered correctly but late; fail: answered wrongly or timed out;
	 * unknown: could not be asked (no guestbook, exec forbidden, API server away). */
	outcome: 'ok' | 'slow' | 'fail' | 'unknown';
	latencyMs: number;
	/** For fail/unknown: one sentence, e.g. "redis-follower does not resolve". */
	detail?: string;
};

/** A running set of probes. */
export interface HealthMonitor {
	start(): void;
	stop(): void;
	subscribe(listener: (result: ProbeResult) => void): () => void;
}
