// The boundary between the simulator's HTTP server (sim/server) and its world
// (sim/world: objects, controllers, network). The server speaks the Kubernetes wire
// protocol; the world decides what a delete, an exec or a proxied request does.
import type {Clock} from '../time/clock.js';
import type {SimClock} from './clock.js';
import type {KubeObject, Resource, Store} from './store.js';

export type DeleteOptions = {
	gracePeriodSeconds?: number;
	propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
};

/** What the API returns for a DELETE: the object itself (pods, Foreground/Orphan) or a Success Status. */
export type DeleteResult =
	| {kind: 'object'; object: KubeObject}
	| {kind: 'status'; details: {name: string; group?: string; kind: string; uid: string}};

export type ExecResult = {stdout: string; stderr: string; exitCode: number};

export type ProxyResult = {status: number; contentType: string; body: string};

/** [startMs, endMs) in epoch milliseconds; endMs is undefined while the outage goes on. */
export type TruthInterval = {startMs: number; endMs?: number};

export type Truth = {
	/** The guestbook `get` path (frontend → DNS → redis-follower) was down. */
	guestbook: TruthInterval[];
	/** Cluster DNS did not resolve names (from the frontend pods' point of view). */
	dns: TruthInterval[];
	/** By node name: when the node was not Ready (its kubelet stopped posting status). Only nodes that ever were. */
	nodesNotReady: Record<string, TruthInterval[]>;
};

export type Profile = 'gke-1.11' | 'kind';

export type ClusterOptions = {
	profile?: Profile;
	nodes?: number;
	/** The time the world runs on: the wall clock, or a test's manual clock. */
	clock: Clock;
	/** Controllers' delays run this many times faster than `clock` (default 1). */
	speed?: number;
};

export interface SimCluster {
	readonly store: Store;
	readonly clock: SimClock;
	/** Start the controllers (kubelets, ReplicaSet/DaemonSet controllers, addon manager, …). */
	start(): void;
	stop(): void;
	/** POST: create an object; controllers react to it as to any created object. Throws StoreError. */
	create(resource: Resource, object: KubeObject): KubeObject;
	/** PUT: replace an object (spec/metadata/labels); throws StoreError. */
	replace(resource: Resource, namespace: string | undefined, name: string, object: KubeObject): KubeObject;
	/** DELETE with graceful termination, finalizers and garbage collection. Throws StoreError. */
	delete(resource: Resource, namespace: string | undefined, name: string, options: DeleteOptions): DeleteResult;
	/** Run a command in a container (the few commands the simulated images know). Throws StoreError. */
	exec(namespace: string, pod: string, container: string | undefined, command: string[]): Promise<ExecResult>;
	/** The API server's service proxy: /api/v1/namespaces/NS/services/NAME[:PORT]/proxy/PATH. */
	proxyService(namespace: string, service: string, port: string | undefined, pathAndQuery: string): Promise<ProxyResult>;
	/** Why the API server cannot reach a node's kubelet (exec, logs), or undefined when it can. */
	kubeletUnreachable(nodeName: string | undefined): string | undefined;
	/** Whether the aggregated metrics API (metrics.k8s.io) has a ready backend. */
	metricsAvailable(): boolean;
	truth(): Truth;
}
