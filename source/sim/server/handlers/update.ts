// PUT of one object, its status or (Deployments) its scale: a replace, refused when the body
// carries another name or an older resourceVersion.
import type {KubeObject} from '../../store.js';
import type {ResourceHandler} from '../exchange.js';
import {ApiError, conflict, notFound} from '../status.js';
import {replaceObject, toScale} from './objects.js';

export const update: ResourceHandler = async (api, exchange, {info, namespace, name: target, subresource}) => {
	const name = target!;
	const body = await exchange.readJson();
	const current = api.cluster.store.get(info.resource, namespace, name);
	if (!current) {
		throw notFound(info, name);
	}

	if (subresource === 'scale') {
		const replicas = (body as any)?.spec?.replicas;
		const updated = replaceObject(api, info, namespace, name, {...current, spec: {...current.spec, replicas}});
		return exchange.sendJson(200, toScale(updated));
	}

	const object = body as KubeObject;
	if (!object?.metadata) {
		throw new ApiError(400, 'the body of the request was in an unknown format - accepted media types include: application/json');
	}

	if (object.metadata.name !== undefined && object.metadata.name !== name) {
		throw new ApiError(400, `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
	}

	if (object.metadata.resourceVersion && object.metadata.resourceVersion !== current.metadata.resourceVersion) {
		throw conflict(info, name);
	}

	const merged = subresource === 'status' ? {...current, status: object.status} : {...object, metadata: {...object.metadata, name}};
	exchange.sendJson(200, replaceObject(api, info, namespace, name, merged as KubeObject));
};
