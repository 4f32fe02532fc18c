// The port the live screen and the experiment engine (through ClusterView) read the cluster
// through: pods, their owners (ReplicaSets, Deployments, DaemonSets, StatefulSets: pod →
// ReplicaSet → Deployment is how a pod finds its component) and Events of one namespace,
// plus the state of the connection. The real adapter (watch-pod-source.ts) is informers;
// tests pass a fake that pushes updates.
import type {PodLike, Timestamp} from '../model/pod-status.js';

/** The part of a workload object the screen reads. */
export type OwnerLike = {
	kind?: string;
	metadata?: {
		name?: string;
		namespace?: string;
		uid?: string;
		labels?: Record<string, string> | null;
		ownerReferences?: Array<{kind: string; name: string; uid?: string; controller?: boolean | null}> | null;
	} | null;
	spec?: {replicas?: number | null} | null;
	status?: {
		replicas?: number | null;
		readyReplicas?: number | null;
		desiredNumberScheduled?: number | null;
		numberReady?: number | null;
	} | null;
};

/** A core/v1 Event, as much of it as the events panel shows. */
export type EventLike = {
	metadata?: {name?: string; namespace?: string; uid?: string; creationTimestamp?: Timestamp | null} | null;
	type?: string | null;
	reason?: string | null;
	message?: string | null;
	count?: number | null;
	involvedObject?: {kind?: string | null; name?: string | null; namespace?: string | null} | null;
	firstTimestamp?: Timestamp | null;
	lastTimestamp?: Timestamp | null;
	eventTime?: Timestamp | null;
};

export type ConnectionState =
	| {phase: 'connecting'}
	/** Watching. `note`: a secondary stream (events, owners) that is refused, e.g. "events: forbidden". */
	| {phase: 'live'; note?: string}
	/** Lost the API server at `since` (epoch ms); retrying with backoff. */
	| {phase: 'reconnecting'; since: number; reason: string}
	/** The API server holds the connections but answers nothing (hung) since `since`. */
	| {phase: 'not-answering'; since: number; reason: string}
	/** The server answers but refuses (forbidden, not found); retried slowly. */
	| {phase: 'failed'; since: number; reason: string};

export type FeedUpdate =
	| {type: 'pod-upserted'; pod: PodLike}
	| {type: 'pod-deleted'; pod: PodLike}
	| {type: 'owner-upserted'; owner: OwnerLike}
	| {type: 'owner-deleted'; owner: OwnerLike}
	| {type: 'event-seen'; event: EventLike}
	/** The pod list has been applied: pods seen after this are new to the viewer. */
	| {type: 'pods-synced'}
	| {type: 'connection'; state: ConnectionState};

export interface PodSource {
	/** Start watching; updates arrive on `listener` in the order they happened. */
	start(listener: (update: FeedUpdate) => void): void;
	/** Stop every watch; no update arrives after the promise resolves. */
	stop(): Promise<void>;
}
