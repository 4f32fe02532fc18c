// What the handlers of one object (get, update, patch) share: the Scale view of a
// Deployment and a replace that words the world's refusals as the API server does.
import type {KubeObject} from '../../store.js';
import type {ResourceInfo} from '../api-resources.js';
import type {ApiContext} from '../exchange.js';
import {toApiError} from '../status.js';

export function replaceObject(api: ApiContext, info: ResourceInfo, namespace: string | undefined, name: string, object: KubeObject): KubeObject {
	try {
		return api.cluster.replace(info.resource, namespace, name, object);
	} catch (error) {
		throw toApiError(error, {name, group: info.group, kind: info.resource});
	}
}

/** A Deployment as its `scale` subresource (autoscaling/v1 Scale). */
export function toScale(object: KubeObject): KubeObject {
	const selector = object.spec?.selector?.matchLabels ?? {};
	return {
		kind: 'Scale',
		apiVersion: 'autoscaling/v1',
		metadata: {
			name: object.metadata.name,
			namespace: object.metadata.namespace,
			uid: object.metadata.uid,
			resourceVersion: object.metadata.resourceVersion,
			creationTimestamp: object.metadata.creationTimestamp,
		},
		spec: {replicas: object.spec?.replicas ?? 0},
		status: {
			replicas: object.status?.replicas ?? 0,
			selector: Object.keys(selector).sort().map(key => `${key}=${selector[key]}`).join(','),
		},
	};
}
