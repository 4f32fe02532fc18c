// The addon manager (reconciles kube-system addons to their manifests, like `kubectl apply`
// each minute) and the kube-dns-autoscaler (sizes kube-dns by node count while its pod runs).
import type {Timer} from '../clock.js';
import type {KubeObject, Resource} from '../store.js';
import type {Controller, ControllerContext} from './controller.js';
import type {Defaults} from './defaults.js';
import {isReady, isTerminating} from './pods.js';
import {addonIntervalMs, autoscalerPollMs} from './timing.js';
import {deepEqual} from './util.js';

/** Both run on their own period once the world starts, when the profile has them. */
export class AddonManager implements Controller {
	private readonly intervals: Timer[] = [];

	constructor(private readonly context: ControllerContext, private readonly defaults: Defaults) {}

	start(): void {
		const {clock, profile} = this.context;
		if (profile.addonManager) {
			this.intervals.push(clock.every(addonIntervalMs, () => {
				this.reconcileAddons();
			}));
		}

		if (profile.kubeDnsReplicas) {
			this.intervals.push(clock.every(autoscalerPollMs, () => {
				this.scaleKubeDns();
			}));
		}
	}

	stop(): void {
		for (const timer of this.intervals) {
			timer.cancel();
		}

		this.intervals.length = 0;
	}

	private reconcileAddons(): void {
		const {store, profile} = this.context;
		const reconcile = (resource: Resource, manifest: KubeObject) => {
			const {namespace, name} = manifest.metadata;
			const current = store.get(resource, namespace, name);
			if (!current) {
				this.defaults.create(resource, structuredClone(manifest));
				return;
			}

			if (isTerminating(current)) {
				return;
			}

			// `kubectl apply` of the manifest: the fields it names are reset, others stay.
			const wanted = this.defaults.withDefaults(resource, structuredClone(manifest), false);
			const merged = mergeInto(structuredClone(current.spec), wanted.spec);
			if (!deepEqual(merged, current.spec)) {
				store.update(resource, namespace, name, draft => {
					draft.spec = merged;
				});
			}
		};

		for (const manifest of profile.addons.services) {
			reconcile('services', manifest);
		}

		for (const manifest of profile.addons.deployments) {
			reconcile('deployments', manifest);
		}

		for (const manifest of profile.addons.daemonsets) {
			reconcile('daemonsets', manifest);
		}
	}

	/** The kube-dns-autoscaler: kube-dns replicas by node count, while its own pod runs. */
	private scaleKubeDns(): void {
		const {store, profile, indexes} = this.context;
		const running = indexes.podsMatching('kube-system', {'k8s-app': 'kube-dns-autoscaler'}).some(pod => isReady(pod) && !isTerminating(pod));
		const kubeDns = store.get('deployments', 'kube-system', 'kube-dns');
		if (!running || !kubeDns || isTerminating(kubeDns)) {
			return;
		}

		if (!profile.kubeDnsReplicas) {
			return;
		}

		const wanted = profile.kubeDnsReplicas(indexes.nodeNames.length);
		if (kubeDns.spec.replicas !== wanted) {
			store.update('deployments', 'kube-system', 'kube-dns', draft => {
				draft.spec.replicas = wanted;
			});
		}
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
