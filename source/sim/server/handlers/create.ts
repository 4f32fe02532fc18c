// POST to a collection: the object as sent, checked as the API server checks it (kind,
// namespace, Pod Security for pods), then made by the world.
import type {KubeObject} from '../../store.js';
import {groupVersionOf} from '../api-resources.js';
import type {ResourceHandler} from '../exchange.js';
import {admitPodSecurity} from '../forbid.js';
import {ApiError, methodNotAllowed, toApiError} from '../status.js';

export const create: ResourceHandler = async (api, exchange, {info, namespace}) => {
	if (info.namespaced && namespace === undefined) {
		throw methodNotAllowed();
	}

	const body = (await exchange.readJson()) as KubeObject;
	if (!body || typeof body !== 'object' || typeof body.metadata !== 'object') {
		throw new ApiError(400, 'the body of the request was in an unknown format - accepted media types include: application/json');
	}

	if (body.kind && body.kind !== info.kind) {
		throw new ApiError(400, `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${groupVersionOf(info)})`);
	}

	if (info.resource === 'pods') {
		// `--forbid create:pods/privileged`: Pod Security admission at level baseline.
		admitPodSecurity(api.authorize, body, namespace);
	}

	if (info.namespaced) {
		if (body.metadata.namespace && body.metadata.namespace !== namespace) {
			throw new ApiError(400, 'the namespace of the provided object does not match the namespace sent on the request');
		}

		body.metadata.namespace = namespace;
		if (!api.cluster.store.get('namespaces', undefined, namespace!)) {
			throw new ApiError(404, `namespaces "${namespace}" not found`, 'NotFound', {name: namespace, kind: 'namespaces'});
		}
	}

	body.apiVersion = groupVersionOf(info);
	body.kind = info.kind;
	let created: KubeObject;
	try {
		created = api.cluster.create(info.resource, body);
	} catch (error) {
		throw toApiError(error, {name: body.metadata.name, group: info.group, kind: info.resource});
	}

	exchange.sendJson(201, created);
};
