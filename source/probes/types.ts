// What a probe reports, shared by the health panel, the experiment engine and the reports.

import type {ProbeLayer} from './catalog.js';

export type {ProbeLayer} from './catalog.js';

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
	/** Why a probe did not come back ok, so a verdict can tell a broken path from a broken view of it:
	 * answer — the path answered wrongly (DNS said no, the app said 500);
	 * timeout — no answer within the probe timeout (a failure at its send time);
	 * unreachable — the API server could not be reached (refused, reset, DNS of the API server);
	 * forbidden — RBAC denied the probe (e.g. pods/exec);
	 * no-target — nothing to probe (no guestbook in the namespace, no ready pod to exec into);
	 * error — anything else the transport reported. */
	cause?: ProbeCause;
	/** True when this slot's probe was not sent because the layer already had its in-flight limit
	 * of probes waiting; it then carries the outcome of the probe it waited behind (see scheduler.ts). */
	notSent?: boolean;
};

export type ProbeCause = 'answer' | 'timeout' | 'unreachable' | 'forbidden' | 'no-target' | 'error';

/** A running set of probes. */
export interface HealthMonitor {
	start(): void;
	stop(): void;
	subscribe(listener: (result: ProbeResult) => void): () => void;
}
