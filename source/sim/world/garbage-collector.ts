// The garbage collector: owner deletion with Background, Foreground (the owner waits on a
// foregroundDeletion finalizer until its dependents are gone) and Orphan propagation, and
// namespace deletion (everything in it goes, then the namespace once its pods have).
// The pod garbage collector is here too: it removes the pods of a node that is gone.
import {StoreError, type KubeObject, type Resource} from '../store.js';
import type {Change, Controller, ControllerContext} from './controller.js';
import {isTerminating} from './pods.js';
import {between, iso} from './util.js';

export class GarbageCollector implements Controller {
	constructor(private readonly context: ControllerContext) {}

	onChange({type, object}: Change): void {
		if (type === 'DELETED' || object.metadata.ownerReferences?.length) {
			checkForegroundOwners(this.context, object);
		}
	}

	/** Foreground: the owner is marked with the foregroundDeletion finalizer and goes once its dependents have. */
	deleteInForeground(resource: Resource, owner: KubeObject): KubeObject {
		const {store, schedule} = this.context;
		const uid = owner.metadata.uid!;
		const marked = store.update(resource, owner.metadata.namespace, owner.metadata.name, draft => {
			this.markDeleted(draft, 'foregroundDeletion');
		});
		schedule.soon(`gc:${uid}`, 50, () => {
			deleteDependents(this.context, uid, 'Foreground');
		});
		return marked;
	}

	/** Orphan: the dependents lose their owner reference, then the owner goes. */
	deleteOrphaning(resource: Resource, owner: KubeObject): KubeObject {
		const {store, schedule} = this.context;
		const {namespace, name} = owner.metadata;
		const uid = owner.metadata.uid!;
		const marked = store.update(resource, namespace, name, draft => {
			this.markDeleted(draft, 'orphan');
		});
		schedule.soon(`gc:${uid}`, 50, () => {
			orphanDependents(this.context, uid);
			if (store.get(resource, namespace, name)?.metadata.uid === uid) {
				store.remove(resource, namespace, name);
			}
		});
		return marked;
	}

	/** Background: the owner is gone; its dependents follow shortly. */
	deleteDependentsSoon(ownerUid: string): void {
		this.context.schedule.soon(`gc:${ownerUid}`, between(this.context.random, 50, 150), () => {
			deleteDependents(this.context, ownerUid, 'Background');
		});
	}

	private markDeleted(draft: KubeObject, finalizer: string): void {
		draft.metadata.deletionTimestamp = iso(this.context.clock.now());
		draft.metadata.deletionGracePeriodSeconds = 0;
		draft.metadata.finalizers = [...(draft.metadata.finalizers ?? []), finalizer];
	}

	deleteNamespace(namespace: KubeObject): KubeObject {
		return deleteNamespace(this.context, namespace);
	}

	/** A node was deleted: its pods go (their kubelet timers with them). */
	collectPodsOf(nodeName: string): void {
		const {schedule, indexes, store} = this.context;
		schedule.soon(`podgc:${nodeName}`, 500, () => {
			for (const key of [...indexes.podsOnNode.get(nodeName) ?? []]) {
				const pod = indexes.podByKey(key);
				if (pod) {
					schedule.cancel(pod.metadata.uid!);
					store.remove('pods', pod.metadata.namespace, pod.metadata.name);
				}
			}
		});
	}
}

function deleteDependents(context: ControllerContext, ownerUid: string, policy: 'Background' | 'Foreground'): void {
	for (const ref of context.indexes.dependentRefs(ownerUid)) {
		const object = context.store.get(ref.resource, ref.namespace, ref.name);
		if (!object) {
			continue;
		}

		// Only dependents that are owned by nothing else alive go.
		if (ref.resource === 'pods') {
			context.api.deletePod(object, undefined);
		} else if (!isTerminating(object)) {
			context.api.delete(ref.resource, ref.namespace, ref.name, {propagationPolicy: policy});
		}
	}
}

function orphanDependents(context: ControllerContext, ownerUid: string): void {
	for (const ref of context.indexes.dependentRefs(ownerUid)) {
		if (context.store.get(ref.resource, ref.namespace, ref.name)) {
			context.store.update(ref.resource, ref.namespace, ref.name, draft => {
				draft.metadata.ownerReferences = draft.metadata.ownerReferences?.filter(owner => owner.uid !== ownerUid);
				if (draft.metadata.ownerReferences?.length === 0) {
					delete draft.metadata.ownerReferences;
				}
			});
		}
	}
}

/** Foreground deletion: an owner waiting on its dependents goes when the last one has. */
function checkForegroundOwners(context: ControllerContext, object: KubeObject): void {
	for (const owner of object.metadata.ownerReferences ?? []) {
		const ownerObject = context.indexes.byUid(owner.uid);
		if (ownerObject?.metadata.finalizers?.includes('foregroundDeletion') && !context.indexes.dependents.get(owner.uid)?.size) {
			const {resource, namespace, name} = context.indexes.refByUid.get(owner.uid)!;
			context.schedule.soon(`fg:${owner.uid}`, 0, () => {
				const current = context.store.get(resource, namespace, name);
				if (current?.metadata.uid === owner.uid && !context.indexes.dependents.get(owner.uid)?.size) {
					const gone = context.store.remove(resource, namespace, name);
					checkForegroundOwners(context, gone);
				}
			});
		}
	}
}

function deleteNamespace(context: ControllerContext, namespace: KubeObject): KubeObject {
	const name = namespace.metadata.name;
	if (['default', 'kube-system', 'kube-public'].includes(name)) {
		throw new StoreError(422, 'Invalid', `namespaces "${name}" is forbidden: this namespace may not be deleted`);
	}

	const marked = context.store.update('namespaces', undefined, name, draft => {
		draft.metadata.deletionTimestamp = iso(context.clock.now());
		draft.status = {phase: 'Terminating'};
	});
	context.schedule.soon(`ns:${name}`, 100, () => {
		for (const resource of ['deployments', 'daemonsets', 'replicasets', 'services', 'endpoints', 'configmaps', 'events'] as Resource[]) {
			for (const object of context.store.list(resource, name)) {
				if (context.store.get(resource, name, object.metadata.name)) {
					context.store.remove(resource, name, object.metadata.name);
				}
			}
		}

		for (const pod of context.store.list('pods', name)) {
			context.api.deletePod(pod, undefined);
		}

		const finish = () => {
			if (context.store.list('pods', name).length === 0) {
				if (context.store.get('namespaces', undefined, name)) {
					context.store.remove('namespaces', undefined, name);
				}
			} else {
				context.clock.after(1000, finish);
			}
		};

		finish();
	});
	return marked;
}
