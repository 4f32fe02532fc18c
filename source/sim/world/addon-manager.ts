// The addon manager (reconciles kube-system addons to their manifests, like `kubectl apply`
// each minute) and the kube-dns-autoscaler (sizes kube-dns by node count while its pod runs).
import type {KubeObject, Resource} from '../store.js';
import {createDefaulted, withDefaults} from './defaults.js';
import {isReady, isTerminating} from './pods.js';
import {deepEqual} from './util.js';
import type {World} from './world.js';

export function runAddonManager(world: World): void {
	const reconcile = (resource: Resource, manifest: KubeObject) => {
		const {namespace, name} = manifest.metadata;
		const current = world.store.get(resource, namespace, name);
		if (!current) {
			createDefaulted(world, resource, structuredClone(manifest));
			return;
		}

		if (isTerminating(current)) {
			return;
		}

		// `kubectl apply` of the manifest: the fields it names are reset, others stay.
		const wanted = withDefaults(world, resource, structuredClone(manifest), false);
		const merged = mergeInto(structuredClone(current.spec), wanted.spec);
		if (!deepEqual(merged, current.spec)) {
			world.store.update(resource, namespace, name, draft => {
				draft.spec = merged;
			});
		}
	};

	for (const manifest of world.manifests.services) {
		reconcile('services', manifest);
	}

	for (const manifest of world.manifests.deployments) {
		reconcile('deployments', manifest);
	}

	for (const manifest of world.manifests.daemonsets) {
		reconcile('daemonsets', manifest);
	}
}

export function runKubeDnsAutoscaler(world: World): void {
	const running = world.podsMatching('kube-system', {'k8s-app': 'kube-dns-autoscaler'}).some(pod => isReady(pod) && !isTerminating(pod));
	const kubeDns = world.store.get('deployments', 'kube-system', 'kube-dns');
	if (!running || !kubeDns || isTerminating(kubeDns)) {
		return;
	}

	if (!world.profile.kubeDnsReplicas) {
		return;
	}

	const wanted = world.profile.kubeDnsReplicas(world.nodeNames.length);
	if (kubeDns.spec.replicas !== wanted) {
		world.store.update('deployments', 'kube-system', 'kube-dns', draft => {
			draft.spec.replicas = wanted;
		});
	}
}

/** Objects merge field by field; arrays and scalars of `patch` replace those of `target`. */
function mergeInto(target: any, patch: any): any {
	if (!patch || typeof patch !== 'object' || Array.isArray(patch) || !target || typeof target !== 'object' || Array.isArray(target)) {
		return structuredClone(patch);
	}

	for (const [key, value] of Object.entries(patch)) {
		target[key] = value && typeof value === 'object' && !Array.isArray(value) ? mergeInto(target[key], value) : structuredClone(value);
	}

	return target;
}
