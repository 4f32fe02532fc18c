// The health monitor: finds what to probe, runs the layers on the scheduler, folds every
// result into the panel state and hands results to subscribers (the panel, the experiment
// engine). Built on the ProbeTransport port, so tests run it against fakes.
import type {ProbeTarget} from '../config/config.js';
import {systemClock, type Clock} from '../time/clock.js';
import type {ApiLiveness} from './api-liveness.js';
import {inDisplayOrder} from './catalog.js';
import {detectGuestbook, type GuestbookTarget, type ProbeSubject} from './guestbook-detection.js';
import {initialHealthState, reduceHealth, selectHealthSnapshot, type HealthSnapshot, type HealthState} from './health-state.js';
import {
	endpointsReports,
	healthyNodesFirst,
	probeDns,
	probeGuestbookEndToEnd,
	probeMetricsApi,
	probeServiceEndToEnd,
	readyFrontendPods,
	transportReport,
} from './layers.js';
import {createProbeScheduler, type LayerReport, type ScheduledProbe} from './scheduler.js';
import type {EndpointsSummary, ProbeTransport} from './transport.js';
import type {HealthMonitor, ProbeLayer, ProbeResult} from './types.js';

export type MonitorOptions = {
	/** The app namespace (--app-namespace). */
	namespace: string;
	/** --probe-interval (default 500 ms in Config). */
	intervalMs: number;
	/** --probe-timeout (default 2 s in Config). */
	timeoutMs: number;
	/** --probe service/NAME:PORT/PATH: probe only that, end to end. */
	target?: ProbeTarget;
	/** Also probe the metrics API (layer metrics-api), the function probe for metrics-server. */
	metricsApi?: boolean;
	/** An ok answer slower than this is slow. Default: 1 s, or half the timeout if that is less. */
	slowMs?: number;
	/** Probes of one kind waiting at once (default 2). */
	maxInFlight?: number;
	/** How much history the panel keeps (default 3 min). */
	historyMs?: number;
	/**
	 * Whether the API server itself answers. Every probe travels through it, so a probe that
	 * timed out while it did not answer says nothing about the app: unknown, not a failure.
	 */
	apiServer?: ApiLiveness;
	clock?: Clock;
};

export interface GuestbookMonitor extends HealthMonitor {
	/** What the panel draws, as of `now` (default: the monitor's clock). */
	snapshot(now?: number): HealthSnapshot;
	/** The reducer state, for consumers that fold further. */
	state(): HealthState;
	/** Called after every result and every change of what is probed (for a UI to schedule a frame). */
	onChange(listener: () => void): () => void;
}

export function createMonitor(transport: ProbeTransport, options: MonitorOptions): GuestbookMonitor {
	const clock = options.clock ?? systemClock();
	const {namespace} = options;
	const slowMs = options.slowMs ?? Math.min(1000, options.timeoutMs / 2);
	const resultListeners = new Set<(result: ProbeResult) => void>();
	const changeListeners = new Set<() => void>();

	let subject: ProbeSubject | undefined = options.target ? {kind: 'service', namespace, target: options.target} : undefined;
	let endpoints: EndpointsSummary[] = [];
	let pendingList: Promise<EndpointsSummary[]> | undefined;
	let podTurn = 0;
	/** Nodes whose kubelet refused an exec, until when they go last among the DNS probe's pods. */
	const kubeletDownUntil = new Map<string, number>();
	const kubeletDownMemoryMs = 15_000;

	function changed() {
		for (const listener of changeListeners) {
			listener();
		}
	}

	function setSubject(next: ProbeSubject) {
		subject = next;
		const before = state;
		state = reduceHealth(state, {type: 'subject', subject: next, at: clock.now()});
		if (state !== before) {
			changed();
		}
	}

	async function listEndpoints(signal: AbortSignal): Promise<EndpointsSummary[]> {
		const list = transport.listEndpoints(namespace, signal);
		pendingList = list;
		const found = await list;
		endpoints = found;
		setSubject(detectGuestbook(namespace, found) ?? {kind: 'none', namespace});
		return found;
	}

	/** The guestbook as last seen; on the first slot, wait for the endpoints list already on its way. */
	async function currentGuestbook(signal: AbortSignal): Promise<GuestbookTarget | undefined> {
		if (!subject) {
			await (pendingList ?? listEndpoints(signal));
		}

		return subject?.kind === 'guestbook' ? subject : undefined;
	}

	const noGuestbook = (layer: ProbeLayer): LayerReport => ({
		layer,
		outcome: 'unknown',
		cause: 'no-target',
		detail: `no guestbook in namespace ${namespace}`,
	});

	const endpointsProbe: ScheduledProbe = {
		name: 'endpoints',
		layers: ['frontend-endpoints', 'redis-endpoints'],
		async run(signal) {
			try {
				const found = await listEndpoints(signal);
				const guestbook = detectGuestbook(namespace, found);
				return guestbook ? endpointsReports(guestbook, found) : [noGuestbook('frontend-endpoints'), noGuestbook('redis-endpoints')];
			} catch (error) {
				return (['frontend-endpoints', 'redis-endpoints'] as const).map(layer =>
					transportReport(layer, error, {forbidden: 'listing endpoints not permitted'}),
				);
			}
		},
	};

	const dnsProbe: ScheduledProbe = {
		name: 'dns',
		layers: ['dns'],
		slowMs,
		async run(signal) {
			let guestbook: GuestbookTarget | undefined;
			try {
				guestbook = await currentGuestbook(signal);
			} catch (error) {
				return [transportReport('dns', error, {forbidden: 'listing endpoints not permitted'})];
			}

			if (!guestbook) {
				return [noGuestbook('dns')];
			}

			// Take turns among the ready frontend pods, the next ones as fallbacks if one went away;
			// pods on a node whose kubelet refused an exec lately come last.
			const pods = readyFrontendPods(guestbook, endpoints);
			const start = pods.length > 0 ? podTurn++ % pods.length : 0;
			const now = clock.now();
			const ordered = healthyNodesFirst([...pods.slice(start), ...pods.slice(0, start)], node => (kubeletDownUntil.get(node) ?? 0) > now);
			return [await probeDns(transport, guestbook, ordered, signal, node => kubeletDownUntil.set(node, clock.now() + kubeletDownMemoryMs))];
		},
	};

	const endToEndProbe: ScheduledProbe = {
		name: 'end-to-end',
		layers: ['end-to-end'],
		slowMs,
		async run(signal) {
			if (options.target) {
				return [await probeServiceEndToEnd(transport, namespace, options.target, signal)];
			}

			let guestbook: GuestbookTarget | undefined;
			try {
				guestbook = await currentGuestbook(signal);
			} catch (error) {
				return [transportReport('end-to-end', error, {forbidden: 'listing endpoints not permitted'})];
			}

			return [guestbook ? await probeGuestbookEndToEnd(transport, guestbook, signal) : noGuestbook('end-to-end')];
		},
	};

	const metricsProbe: ScheduledProbe = {
		name: 'metrics-api',
		layers: ['metrics-api'],
		slowMs,
		run: async signal => [await probeMetricsApi(transport, signal)],
	};

	const probes: ScheduledProbe[] = [
		...(options.target ? [endToEndProbe] : [endpointsProbe, dnsProbe, endToEndProbe]),
		...(options.metricsApi ? [metricsProbe] : []),
	];
	// The panel's rows are the layers these probes report, in the catalog's order.
	const layers = inDisplayOrder(probes.flatMap(probe => probe.layers));
	let state = initialHealthState({namespace, layers, historyMs: options.historyMs, intervalMs: options.intervalMs});
	if (subject) {
		state = reduceHealth(state, {type: 'subject', subject, at: clock.now()});
	}

	const scheduler = createProbeScheduler({
		clock,
		intervalMs: options.intervalMs,
		timeoutMs: options.timeoutMs,
		maxInFlight: options.maxInFlight,
		probes: () => probes,
		onResult(result) {
			const {apiServer} = options;
			if (!apiServer || (result.cause !== 'timeout' && result.outcome !== 'slow')) {
				deliver(result);
				return;
			}

			// A timeout or a late answer is held until the liveness check can say whether the API
			// server answered meanwhile (at most its timeout); the result keeps its send time. If
			// it did not, the wait was the API server's: a timeout is unknown, a late answer an
			// answer (the app did answer), not slowness of the app.
			// A slot not sent carries the outcome of the probe it waited behind: a timeout means
			// that probe waited the whole timeout up to when this result settled.
			const settledAt = result.sentAt + result.latencyMs;
			const from = result.cause === 'timeout' ? Math.min(result.sentAt, settledAt - options.timeoutMs) : result.sentAt;
			void apiServer.silentDuring(from, settledAt).then(reason => {
				if (!running) {
					return;
				}

				if (!reason) {
					deliver(result);
				} else if (result.outcome === 'slow') {
					deliver({...result, outcome: 'ok', detail: `${result.detail ?? ''}; late because the API server was not answering`});
				} else {
					deliver({...result, outcome: 'unknown', cause: 'unreachable', detail: `API server not answering (${reason})`});
				}
			});
		},
	});

	let running = false;
	function deliver(result: ProbeResult) {
		state = reduceHealth(state, {type: 'probe-result', result});
		for (const listener of resultListeners) {
			listener(result);
		}

		changed();
	}

	return {
		start() {
			running = true;
			scheduler.start();
		},
		stop() {
			running = false;
			scheduler.stop();
		},
		subscribe(listener) {
			resultListeners.add(listener);
			return () => resultListeners.delete(listener);
		},
		onChange(listener) {
			changeListeners.add(listener);
			return () => changeListeners.delete(listener);
		},
		snapshot(now = clock.now()) {
			return selectHealthSnapshot(reduceHealth(state, {type: 'tick', at: now}), now);
		},
		state: () => state,
	};
}
