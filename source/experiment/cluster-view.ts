// The namespace as the watches show it (pods and the workloads that own them), kept
// current from a PodSource's updates and shared by every experiment of a sweep. The
// engine needs it to know t0's state the moment it sends a delete, so it is started, and
// synced, before anything is deleted.
import {componentOf, groupByComponent, ownerIndexFromReplicaSets, type ComponentGroup, type ComponentRef, type OwnerIndex} from '../model/component.js';
import {podUid, type PodLike} from '../model/pod-status.js';
import type {ConnectionState, FeedUpdate, OwnerLike, PodSource} from '../kube/pod-source.js';
import {systemClock, type Clock} from '../time/clock.js';

export type ViewListener = (update: FeedUpdate) => void;

export class ClusterView {
	readonly pods = new Map<string, PodLike>();
	/** By `Kind/name`. */
	readonly owners = new Map<string, OwnerLike>();
	connection: ConnectionState = {phase: 'connecting'};
	private synced = false;
	/** Built on first use after a ReplicaSet changed: the engine asks componentOf on every pod event. */
	private cachedOwnerIndex?: OwnerIndex;
	private readonly listeners = new Set<ViewListener>();
	private readonly syncWaiters = new Set<() => void>();

	/** `clock` times waitSynced's limit. */
	constructor(readonly namespace: string, private readonly clock: Clock = systemClock()) {}

	/** Apply one update from a PodSource, then tell the subscribers. */
	apply(update: FeedUpdate): void {
		switch (update.type) {
			case 'pod-upserted': {
				this.pods.set(podUid(update.pod), update.pod);
				break;
			}

			case 'pod-deleted': {
				this.pods.delete(podUid(update.pod));
				break;
			}

			case 'owner-upserted': {
				this.owners.set(ownerKey(update.owner), update.owner);
				this.forgetOwnerIndexIfReplicaSet(update.owner);
				break;
			}

			case 'owner-deleted': {
				this.owners.delete(ownerKey(update.owner));
				this.forgetOwnerIndexIfReplicaSet(update.owner);
				break;
			}

			case 'pods-synced': {
				this.synced = true;
				for (const waiter of this.syncWaiters) {
					waiter();
				}

				this.syncWaiters.clear();
				break;
			}

			case 'connection': {
				this.connection = update.state;
				break;
			}

			case 'event-seen': {
				break;
			}
		}

		for (const listener of this.listeners) {
			listener(update);
		}
	}

	subscribe(listener: ViewListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	get isSynced(): boolean {
		return this.synced;
	}

	/** Resolves once the pod list has been applied; rejects with one sentence after timeoutMs. */
	async waitSynced(timeoutMs: number, signal?: AbortSignal): Promise<void> {
		if (this.synced) {
			return;
		}

		await new Promise<void>((resolve, reject) => {
			const timer = this.clock.after(timeoutMs, () => {
				this.syncWaiters.delete(done);
				const reason = 'reason' in this.connection ? `: ${this.connection.reason}` : '';
				reject(new Error(`could not list the pods of ${this.namespace} within ${Math.round(timeoutMs / 1000)} s${reason}`));
			});
			const done = () => {
				timer.cancel();
				resolve();
			};

			if (signal?.aborted) {
				timer.cancel();
				reject(new Error('interrupted'));
				return;
			}

			signal?.addEventListener('abort', () => {
				timer.cancel();
				this.syncWaiters.delete(done);
				reject(new Error('interrupted'));
			}, {once: true});
			this.syncWaiters.add(done);
		});
	}

	ownerIndex(): OwnerIndex {
		this.cachedOwnerIndex ??= ownerIndexFromReplicaSets([...this.owners.values()].filter(owner => owner.kind === 'ReplicaSet'));
		return this.cachedOwnerIndex;
	}

	components(): Array<ComponentGroup<PodLike>> {
		return groupByComponent(this.pods.values(), this.ownerIndex());
	}

	componentOf(pod: PodLike): ComponentRef {
		return componentOf(pod, this.ownerIndex());
	}

	podsOf(component: ComponentRef): PodLike[] {
		const index = this.ownerIndex();
		return [...this.pods.values()].filter(pod => componentOf(pod, index).key === component.key);
	}

	owner(kind: string, name: string): OwnerLike | undefined {
		return this.owners.get(`${kind}/${name}`);
	}

	// Only ReplicaSets resolve a pod to its component (pod → ReplicaSet → Deployment).
	private forgetOwnerIndexIfReplicaSet(owner: OwnerLike): void {
		if (owner.kind === 'ReplicaSet') {
			this.cachedOwnerIndex = undefined;
		}
	}
}

function ownerKey(owner: OwnerLike): string {
	return `${owner.kind ?? ''}/${owner.metadata?.name ?? ''}`;
}

/** Start a PodSource feeding a new ClusterView, then `onUpdate` (the screen's store) with each update; stop() stops the source. */
export function startClusterView(source: PodSource, namespace: string, clock?: Clock, onUpdate?: (update: FeedUpdate) => void): {view: ClusterView; stop(): Promise<void>} {
	const view = new ClusterView(namespace, clock);
	source.start(update => {
		view.apply(update);
		onUpdate?.(update);
	});
	return {view, stop: async () => source.stop()};
}
