// The real PodSource: one resilient informer per resource of the namespace (pods, the
// workloads that own them, events), their states folded into one connection state.
import type {KubernetesObject} from '@kubernetes/client-node';
import type {ApiServerState} from '../probes/api-liveness.js';
import {acquireApiLiveness} from './api-liveness.js';
import type {Connection} from './connect.js';
import {startInformer, type InformerState, type RunningInformer} from './informer.js';
import {listStreamed} from './list-stream.js';
import type {ConnectionState, EventLike, FeedUpdate, OwnerLike, PodSource} from './pod-source.js';
import type {PodLike} from '../model/pod-status.js';
import {slimEvent, slimOwner, slimPod} from '../model/slim.js';

export type WatchPodSourceOptions = {
	/** See InformerOptions.silenceMs. */
	silenceMs?: number;
	backoff?: {initialMs: number; maxMs: number};
	now?: () => number;
};

type Stream = {
	name: string;
	path: string;
	/** Keeps what is read of each object (list and watch): the caches hold only that. */
	slim(object: any): KubernetesObject;
	upsert(object: KubernetesObject): FeedUpdate;
	remove?(object: KubernetesObject): FeedUpdate;
	isPods?: boolean;
};

// Workloads (the component lines) before pods, so pods arrive with their owners known; events last.
function streamsFor(namespace: string): Stream[] {
	const ns = encodeURIComponent(namespace);
	const owner = (kind: string) => ({
		slim: slimOwner,
		upsert: (object: KubernetesObject): FeedUpdate => ({type: 'owner-upserted', owner: withKind(object, kind) as OwnerLike}),
		remove: (object: KubernetesObject): FeedUpdate => ({type: 'owner-deleted', owner: withKind(object, kind) as OwnerLike}),
	});
	return [
		{name: 'deployments', path: `/apis/apps/v1/namespaces/${ns}/deployments`, ...owner('Deployment')},
		{name: 'daemonsets', path: `/apis/apps/v1/namespaces/${ns}/daemonsets`, ...owner('DaemonSet')},
		{name: 'statefulsets', path: `/apis/apps/v1/namespaces/${ns}/statefulsets`, ...owner('StatefulSet')},
		{name: 'replicasets', path: `/apis/apps/v1/namespaces/${ns}/replicasets`, ...owner('ReplicaSet')},
		{
			name: 'pods',
			path: `/api/v1/namespaces/${ns}/pods`,
			slim: slimPod,
			upsert: object => ({type: 'pod-upserted', pod: object as PodLike}),
			remove: object => ({type: 'pod-deleted', pod: object as PodLike}),
			isPods: true,
		},
		{
			name: 'events',
			path: `/api/v1/namespaces/${ns}/events`,
			slim: slimEvent,
			upsert: object => ({type: 'event-seen', event: object as EventLike}),
		},
	] as Stream[];
}

// List items carry no kind (the List has it); watch events do. The screen needs it on both.
function withKind(object: KubernetesObject, kind: string): KubernetesObject {
	return object.kind ? object : {...object, kind};
}

/** `events is forbidden: User "…" cannot list …` → `forbidden`: a header has one line. */
function shortReason(reason: string): string {
	if (/forbidden/i.test(reason)) {
		return 'forbidden';
	}

	if (/not found/i.test(reason)) {
		return 'not found';
	}

	return reason;
}

type NamedState<S extends InformerState = InformerState> = {name: string; state: S};

function inPhase<P extends InformerState['phase']>(states: NamedState[], phase: P): Array<NamedState<Extract<InformerState, {phase: P}>>> {
	return states.filter((s): s is NamedState<Extract<InformerState, {phase: P}>> => s.state.phase === phase);
}

/**
 * Fold the informers' states: the worst wins; "reconnecting" counts from the earliest loss.
 * Only the pods stream failing is a failure of the screen; a refused secondary stream
 * (events, owners) leaves it live, with a note.
 */
export function combineStates(states: NamedState[], apiServer: ApiServerState = {answering: true}): ConnectionState {
	const combined = combineInformerStates(states);
	// Open watches of a hung server look live for as long as it hangs (nothing errors); the
	// liveness check is what notices. A refused connection says more, and stays as it is.
	if (!apiServer.answering && (combined.phase === 'live' || combined.phase === 'connecting')) {
		return {phase: 'not-answering', since: apiServer.since, reason: apiServer.reason};
	}

	return combined;
}

function combineInformerStates(states: NamedState[]): ConnectionState {
	const failed = inPhase(states, 'failed');
	const podsFailed = failed.find(s => s.name === 'pods');
	if (podsFailed) {
		return {phase: 'failed', since: podsFailed.state.since, reason: `pods: ${podsFailed.state.reason}`};
	}

	const away = inPhase(states, 'reconnecting');
	if (away.length > 0) {
		const since = Math.min(...away.map(s => s.state.since));
		// The pods stream says it best; otherwise the first one that is away.
		const voice = away.find(s => s.name === 'pods') ?? away[0]!;
		return {phase: 'reconnecting', since, reason: voice.state.reason};
	}

	if (states.some(s => s.state.phase === 'connecting')) {
		return {phase: 'connecting'};
	}

	if (failed.length > 0) {
		return {phase: 'live', note: failed.map(s => `${s.name}: ${shortReason(s.state.reason)}`).join(', ')};
	}

	return {phase: 'live'};
}

/** The longest a list may take while its bytes keep coming. */
const listArrivingMs = 5 * 60_000;

export function watchPodSource(connection: Connection, namespace: string, options: WatchPodSourceOptions = {}): PodSource {
	let informers: RunningInformer[] = [];
	let stopped = false;
	let releaseLiveness = () => {};
	return {
		start(listener) {
			const streams = streamsFor(namespace);
			const states: NamedState[] = streams.map(stream => ({name: stream.name, state: {phase: 'connecting'}}));
			let combined: ConnectionState = {phase: 'connecting'};
			const emit = (update: FeedUpdate) => {
				if (!stopped) {
					listener(update);
				}
			};

			const {liveness, release} = acquireApiLiveness(connection.kubeConfig);
			const recombine = () => {
				const next = combineStates(states, liveness.state());
				if (JSON.stringify(next) !== JSON.stringify(combined)) {
					combined = next;
					emit({type: 'connection', state: next});
				}
			};

			const unsubscribe = liveness.subscribe(recombine);
			releaseLiveness = () => {
				unsubscribe();
				release();
			};

			informers = streams.map((stream, index) => startInformer({
				kubeConfig: connection.kubeConfig,
				path: stream.path,
				list: async (each, signal) => listStreamed(connection.kubeConfig, stream.path, stream.slim, each, {signal}),
				// A list that is arriving is not hung (listStreamed gives up after 15 s of silence):
				// 20,000 pods from a busy API server can take longer than that in all.
				listTimeoutMs: listArrivingMs,
				slim: stream.slim,
				onUpsert: object => emit(stream.upsert(object)),
				onDelete(object) {
					if (stream.remove) {
						emit(stream.remove(object));
					}
				},
				onSynced: stream.isPods ? () => emit({type: 'pods-synced'}) : undefined,
				onState(state) {
					states[index]!.state = state;
					recombine();
				},
				silenceMs: options.silenceMs,
				backoff: options.backoff,
				now: options.now,
			}));
		},
		async stop() {
			stopped = true;
			releaseLiveness();
			await Promise.all(informers.map(async informer => informer.stop()));
		},
	};
}
