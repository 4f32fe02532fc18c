// What a simulated controller is given and what it gives back, as client-node's informers
// and Kubernetes' controllers work: it owns its state, hears every store change (after the
// world's indexes took it in) and reacts through the clock — never by changing the store
// inside the notification, so that watchers see changes in order. The world (world.ts)
// builds one context, constructs each controller with it and registers it; nothing here
// knows the world.
import type {SimClock} from '../clock.js';
import type {DeleteOptions, DeleteResult} from '../cluster.js';
import type {KubeObject, Resource, Store, StoreEvent} from '../store.js';
import type {Addresses} from './addresses.js';
import type {EventRecorder} from './events.js';
import type {Indexes} from './indexes.js';
import type {ProfileDefinition} from './profiles.js';

/** A store change as controllers hear it: `previous` is undefined for ADDED. */
export type Change = {resource: Resource; type: StoreEvent['type']; object: KubeObject; previous: KubeObject | undefined};

export interface Controller {
	/** Every change but Events, once the world is built, in registration order. Schedule work; do not write the store here. */
	onChange?(change: Change): void;
	/** The world starts: periodic work begins. */
	start?(): void;
	/** The world stops: cancel own periodic work (the world cancels what was put on the schedule). */
	stop?(): void;
}

/** Work for later, on the world's clock. */
export interface Schedule {
	/** Run `fn` once after `ms`; further requests with the same key before then are merged into it. */
	soon(key: string, ms: number, fn: () => void): void;
	/** A timer in a named group (a pod's kubelet work, a node's lifecycle) that can be cancelled together. */
	after(group: string, ms: number, fn: () => void): void;
	cancel(group: string): void;
}

/** What controllers ask of the API server, as real ones do over HTTP. */
export interface ApiServer {
	/** DELETE with propagation (and, for a pod, graceful termination). */
	delete(resource: Resource, namespace: string | undefined, name: string, options: DeleteOptions): DeleteResult;
	/** A pod's graceful deletion, given the pod as the caller last saw it. */
	deletePod(pod: KubeObject, gracePeriodSeconds: number | undefined): KubeObject;
}

export type ControllerContext = {
	readonly store: Store;
	readonly clock: SimClock;
	/** Source of randomness for delays (tests may pass a fixed one). */
	readonly random: () => number;
	readonly events: EventRecorder;
	readonly indexes: Indexes;
	readonly addresses: Addresses;
	readonly profile: ProfileDefinition;
	/** This world's salt for pod-template hashes. */
	readonly salt: string;
	readonly schedule: Schedule;
	readonly api: ApiServer;
};

/** A new object, or a new generation of its spec (status-only updates do not count). */
export function specChanged({type, object, previous}: Change): boolean {
	return type === 'ADDED' || (type === 'MODIFIED' && previous?.metadata.generation !== object.metadata.generation);
}
