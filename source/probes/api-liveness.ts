// Is the API server answering at all? Every probe of the guestbook path travels through the
// API server (the Endpoints list, pods/exec for DNS, the service proxy, the metrics API), so
// when it stops answering — a hung process, a dead etcd — every probe times out, and without
// this check those timeouts became outages of the app that the app never had.
//
// One cheap GET /version at a time (public to every user), every intervalMs, given timeoutMs
// to answer. Any HTTP answer means the server answers (a 401 too); no answer in time, or a
// refused/reset connection, means it does not, from that check's send time. With the defaults
// (500 ms, 1 s) a server that stops answering is noticed within 1.5 s.
//
// `silentDuring(from, to)` is what the probes ask about a timed-out probe: did a check sent
// while the probe waited go unanswered? It waits until every check sent by `to` has settled
// (at most timeoutMs), so the answer never depends on which timer fired first.
import {answerTimeout, systemClock, type Clock, type Timer} from '../time/clock.js';
import {ProbeTransportError, type ProbeTransport} from './transport.js';

export type ApiServerState =
	| {answering: true}
	/** Not answering since `since` (epoch ms, the send time of the first check that got no answer). */
	| {answering: false; since: number; reason: string};

export interface ApiLiveness {
	state(): ApiServerState;
	subscribe(listener: (state: ApiServerState) => void): () => void;
	/** The reason the API server did not answer at some moment of [fromMs, toMs], or undefined when it answered throughout. */
	silentDuring(fromMs: number, toMs: number): Promise<string | undefined>;
	stop(): void;
}

export type LivenessOptions = {
	clock?: Clock;
	/** Default 500 ms. */
	intervalMs?: number;
	/** Default 1 s. */
	timeoutMs?: number;
	/** Default /version. */
	path?: string;
};

type Check = {sentAt: number; settled: boolean; failure?: string};

/** How long checks are remembered for silentDuring (a probe timeout is far shorter). */
const historyMs = 10 * 60_000;

export function createApiLiveness(transport: Pick<ProbeTransport, 'get'>, options: LivenessOptions = {}): ApiLiveness {
	const clock = options.clock ?? systemClock();
	const intervalMs = options.intervalMs ?? 500;
	const timeoutMs = options.timeoutMs ?? 1000;
	const path = options.path ?? '/version';
	const listeners = new Set<(state: ApiServerState) => void>();
	const settleWaiters = new Set<() => void>();
	let checks: Check[] = [];
	let state: ApiServerState = {answering: true};
	let stopped = false;
	let next: Timer | undefined;

	const setState = (changed: ApiServerState) => {
		if (changed.answering === state.answering && (changed.answering || (!state.answering && changed.reason === state.reason))) {
			return;
		}

		state = changed.answering || state.answering ? changed : {...changed, since: state.since};
		for (const listener of listeners) {
			listener(state);
		}
	};

	const settle = (check: Check, failure: string | undefined) => {
		if (check.settled) {
			return;
		}

		check.settled = true;
		check.failure = failure;
		if (!stopped) {
			setState(failure === undefined ? {answering: true} : {answering: false, since: check.sentAt, reason: failure});
		}

		for (const waiter of [...settleWaiters]) {
			waiter();
		}

		if (!stopped) {
			// On the interval; a check that timed out already waited longer, so the next goes at once.
			next = clock.after(Math.max(0, check.sentAt + intervalMs - clock.now()), send);
		}
	};

	const send = () => {
		if (stopped) {
			return;
		}

		const check: Check = {sentAt: clock.now(), settled: false};
		checks.push(check);
		if (checks[0] && checks[0].sentAt < check.sentAt - historyMs) {
			checks = checks.filter(kept => kept.sentAt >= check.sentAt - historyMs);
		}

		const abort = new AbortController();
		// A stall of this process is not the server's silence (see answerTimeout).
		let judged: Timer | undefined;
		const timer = answerTimeout(clock, timeoutMs, () => {
			// An answer that came while the timer was due is read in this turn's I/O: judge after it.
			judged = clock.after(0, () => {
				if (!check.settled) {
					settle(check, `no answer to GET ${path} within ${timeoutMs / 1000} s`);
					abort.abort();
				}
			});
		});
		transport.get(path, abort.signal).then(
			() => settle(check, undefined),
			(error: unknown) => {
				if (error instanceof ProbeTransportError && error.failure === 'aborted') {
					return;
				}

				// Refused, reset, unresolvable: not answering. Anything else (a TLS or auth
				// problem of ours) is not the server's silence, but it is not an answer either.
				settle(check, error instanceof Error ? error.message : String(error));
			},
		).finally(() => {
			timer.cancel();
			judged?.cancel();
		});
	};

	/**
	 * The checks that speak for [fromMs, toMs]: the last one sent at or before fromMs, those
	 * sent inside, and, when none was sent inside, the first one after (the server may have
	 * stopped between two checks). One of them unanswered: silent. One still out: wait.
	 */
	const judge = (fromMs: number, toMs: number): string | undefined | 'wait' => {
		const relevant: Check[] = [];
		let before: Check | undefined;
		let after: Check | undefined;
		for (const check of checks) {
			if (check.sentAt <= fromMs) {
				before = check;
			} else if (check.sentAt <= toMs) {
				relevant.push(check);
			} else {
				after = check;
				break;
			}
		}

		if (relevant.length === 0) {
			if (!after) {
				return 'wait';
			}

			relevant.push(after);
		}

		if (before) {
			relevant.unshift(before);
		}

		const failed = relevant.find(check => check.failure !== undefined);
		if (failed) {
			return failed.failure;
		}

		return relevant.some(check => !check.settled) ? 'wait' : undefined;
	};

	send();

	return {
		state: () => state,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		async silentDuring(fromMs, toMs) {
			let verdict = judge(fromMs, toMs);
			while (verdict === 'wait' && !stopped) {
				await new Promise<void>(resolve => {
					const waiter = () => {
						settleWaiters.delete(waiter);
						resolve();
					};

					settleWaiters.add(waiter);
				});
				verdict = judge(fromMs, toMs);
			}

			return verdict === 'wait' ? undefined : verdict;
		},
		stop() {
			stopped = true;
			next?.cancel();
			for (const waiter of [...settleWaiters]) {
				waiter();
			}
		},
	};
}
