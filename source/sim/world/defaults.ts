// Defaulting: what the API server fills in on create (and, for the addon manager's apply,
// on update): metadata, pod template and pod spec defaults, Service cluster IPs.
import {StoreError, type KubeObject, type Resource} from '../store.js';
import {defaultPodSpec, isMirrorPod, qosClassOf} from './pods.js';
import type {ControllerContext} from './controller.js';

export class Defaults {
	/** The next service IP to try: the allocator walks the profile's service range. */
	private nextClusterIp = 20;

	constructor(private readonly context: Pick<ControllerContext, 'store' | 'profile' | 'indexes'>) {}

	/** Create an object as the API server does, with its defaults filled in. */
	create(resource: Resource, object: KubeObject): KubeObject {
		return this.context.store.create(resource, withDefaults(resource, object, true, this));
	}

	/** The object with the API server's defaults (on update: without those only a create sets). */
	withDefaults(resource: Resource, object: KubeObject, forCreate: boolean): KubeObject {
		return withDefaults(resource, object, forCreate, this);
	}

	usedClusterIp(ip: string): boolean {
		return this.context.indexes.usedClusterIps.has(ip);
	}

	allocateClusterIp(): string {
		for (;;) {
			const ip = this.context.profile.serviceIp(this.nextClusterIp++);
			if (!this.usedClusterIp(ip)) {
				return ip;
			}
		}
	}
}

function withDefaults(resource: Resource, object: KubeObject, forCreate: boolean, ips: Defaults): KubeObject {
	object.metadata ??= {name: ''};
	switch (resource) {
		case 'deployments': {
			object.apiVersion ??= 'apps/v1';
			object.kind ??= 'Deployment';
			object.spec ??= {};
			if (forCreate) {
				object.spec.replicas ??= 1;
			}

			object.spec.strategy ??= {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: '25%', maxSurge: '25%'}};
			object.spec.revisionHistoryLimit ??= 10;
			object.spec.progressDeadlineSeconds ??= 600;
			defaultTemplate(object);
			if (forCreate) {
				object.status = {};
			}

			break;
		}

		case 'replicasets': {
			object.apiVersion ??= 'apps/v1';
			object.kind ??= 'ReplicaSet';
			object.spec ??= {};
			if (forCreate) {
				object.spec.replicas ??= 1;
				object.status = {replicas: 0};
			}

			defaultTemplate(object);
			break;
		}

		case 'daemonsets': {
			object.apiVersion ??= 'apps/v1';
			object.kind ??= 'DaemonSet';
			object.spec ??= {};
			object.spec.updateStrategy ??= {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 1}};
			object.spec.revisionHistoryLimit ??= 10;
			defaultTemplate(object);
			if (forCreate) {
				object.status = {currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0};
			}

			break;
		}

		case 'services': {
			object.apiVersion ??= 'v1';
			object.kind ??= 'Service';
			object.spec ??= {};
			object.spec.type ??= 'ClusterIP';
			object.spec.sessionAffinity ??= 'None';
			object.spec.ports = (object.spec.ports ?? []).map((port: any) => ({protocol: 'TCP', targetPort: port.port, ...port}));
			if (forCreate) {
				if (object.spec.clusterIP && object.spec.clusterIP !== 'None' && ips.usedClusterIp(object.spec.clusterIP)) {
					throw new StoreError(422, 'Invalid', `Service "${object.metadata.name}" is invalid: spec.clusterIP: Invalid value: "${object.spec.clusterIP}": provided IP is already allocated`);
				}

				object.spec.clusterIP ??= ips.allocateClusterIp();
				object.status = {loadBalancer: {}};
			}

			break;
		}

		case 'pods': {
			object.apiVersion ??= 'v1';
			object.kind ??= 'Pod';
			object.spec = defaultPodSpec(object.spec ?? {});
			if (forCreate && !isMirrorPod(object)) {
				object.status = {phase: 'Pending', qosClass: qosClassOf(object.spec)};
			}

			break;
		}

		case 'namespaces': {
			object.apiVersion ??= 'v1';
			object.kind ??= 'Namespace';
			object.spec ??= {finalizers: ['kubernetes']};
			object.status = {phase: 'Active'};
			break;
		}

		default: {
			object.apiVersion ??= 'v1';
		}
	}

	return object;
}

function defaultTemplate(object: KubeObject): void {
	const template = object.spec.template;
	if (template?.spec) {
		template.spec = defaultPodSpec(template.spec);
		// The pod-level priority is resolved at pod creation, not stored in templates.
		delete template.spec.priority;
	}
}
