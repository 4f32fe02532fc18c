// PATCH of one object, its status or (Deployments) its scale: merge patches (strategic ones
// read as merge patches) and JSON patches, refused when they carry an older resourceVersion.
import type {KubeObject} from '../../store.js';
import type {ResourceHandler} from '../exchange.js';
import {jsonPatch, mergePatch} from '../patch.js';
import {ApiError, conflict, notFound} from '../status.js';
import {replaceObject, toScale} from './objects.js';

export const patch: ResourceHandler = async (api, exchange, {info, namespace, name: target, subresource}) => {
	const name = target!;
	const scale = subresource === 'scale';
	const current = api.cluster.store.get(info.resource, namespace, name);
	if (!current) {
		throw notFound(info, name);
	}

	const body = await exchange.readJson();
	const type = (exchange.request.headers['content-type'] ?? '').split(';')[0].trim();
	const base = scale ? toScale(current) : current;
	let patched: unknown;
	switch (type) {
		case 'application/merge-patch+json':
		case 'application/strategic-merge-patch+json': {
			patched = mergePatch(base, body);
			break;
		}

		case 'application/json-patch+json': {
			patched = jsonPatch(base, body);
			break;
		}

		default: {
			throw new ApiError(415, `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`, 'UnsupportedMediaType');
		}
	}

	const patchedObject = patched as KubeObject;
	const version = (body as any)?.metadata?.resourceVersion;
	if (version && version !== current.metadata.resourceVersion) {
		throw conflict(info, name);
	}

	if (scale) {
		const updated = replaceObject(api, info, namespace, name, {...current, spec: {...current.spec, replicas: (patchedObject as any)?.spec?.replicas}});
		return exchange.sendJson(200, toScale(updated));
	}

	const next = subresource === 'status' ? {...current, status: patchedObject.status} : {...patchedObject, metadata: {...patchedObject.metadata, name}};
	exchange.sendJson(200, replaceObject(api, info, namespace, name, next as KubeObject));
};
