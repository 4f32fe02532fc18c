// The garbage collector: owner deletion with Background, Foreground (the owner waits on a
// foregroundDeletion finalizer until its dependents are gone) and Orphan propagation, and
// namespace deletion (everything in it goes, then the namespace once its pods have).
import {StoreError, type KubeObject, type Resource} from '../store.js';
import {isTerminating} from './pods.js';
import {iso} from './util.js';
import type {World} from './world.js';


export function deleteDependents(world: World, ownerUid: string, policy: 'Background' | 'Foreground'): void {
	for (const ref of world.dependentRefs(ownerUid)) {
		const object = world.store.get(ref.resource, ref.namespace, ref.name);
		if (!object) {
			continue;
		}

		// Only dependents that are owned by nothing else alive go.
		if (ref.resource === 'pods') {
			world.deletePod(object, undefined);
		} else if (!isTerminating(object)) {
			world.delete(ref.resource, ref.namespace, ref.name, {propagationPolicy: policy});
		}
	}
}

export function orphanDependents(world: World, ownerUid: string): void {
	for (const ref of world.dependentRefs(ownerUid)) {
		if (world.store.get(ref.resource, ref.namespace, ref.name)) {
			world.store.update(ref.resource, ref.namespace, ref.name, draft => {
				draft.metadata.ownerReferences = draft.metadata.ownerReferences?.filter(owner => owner.uid !== ownerUid);
				if (draft.metadata.ownerReferences?.length === 0) {
					delete draft.metadata.ownerReferences;
				}
			});
		}
	}
}

/** Foreground deletion: an owner waiting on its dependents goes when the last one has. */
export function checkForegroundOwners(world: World, object: KubeObject): void {
	for (const owner of object.metadata.ownerReferences ?? []) {
		const ownerObject = world.byUid(owner.uid);
		if (ownerObject?.metadata.finalizers?.includes('foregroundDeletion') && !world.dependents.get(owner.uid)?.size) {
			const {resource, namespace, name} = world.refByUid.get(owner.uid)!;
			world.soon(`fg:${owner.uid}`, 0, () => {
				const current = world.store.get(resource, namespace, name);
				if (current?.metadata.uid === owner.uid && !world.dependents.get(owner.uid)?.size) {
					const gone = world.store.remove(resource, namespace, name);
					checkForegroundOwners(world, gone);
				}
			});
		}
	}
}

export function deleteNamespace(world: World, namespace: KubeObject): KubeObject {
	const name = namespace.metadata.name;
	if (['default', 'kube-system', 'kube-public'].includes(name)) {
		throw new StoreError(422, 'Invalid', `namespaces "${name}" is forbidden: this namespace may not be deleted`);
	}

	const marked = world.store.update('namespaces', undefined, name, draft => {
		draft.metadata.deletionTimestamp = iso(world.clock.now());
		draft.status = {phase: 'Terminating'};
	});
	world.soon(`ns:${name}`, 100, () => {
		for (const resource of ['deployments', 'daemonsets', 'replicasets', 'services', 'endpoints', 'configmaps', 'events'] as Resource[]) {
			for (const object of world.store.list(resource, name)) {
				if (world.store.get(resource, name, object.metadata.name)) {
					world.store.remove(resource, name, object.metadata.name);
				}
			}
		}

		for (const pod of world.store.list('pods', name)) {
			world.deletePod(pod, undefined);
		}

		const finish = () => {
			if (world.store.list('pods', name).length === 0) {
				if (world.store.get('namespaces', undefined, name)) {
					world.store.remove('namespaces', undefined, name);
				}
			} else {
				world.clock.after(1000, finish);
			}
		};

		finish();
	});
	return marked;
}
