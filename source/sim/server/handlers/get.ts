// GET of one object, its status or (Deployments) its scale; as a Table for kubectl get.
import type {ResourceHandler} from '../exchange.js';
import {notFound} from '../status.js';
import {toTable} from '../tables.js';
import {toScale} from './objects.js';

export const get: ResourceHandler = (api, exchange, {info, namespace, name, subresource}) => {
	const object = api.cluster.store.get(info.resource, namespace, name!);
	if (!object) {
		throw notFound(info, name!);
	}

	if (subresource === 'scale') {
		return exchange.sendJson(200, toScale(object));
	}

	const table = exchange.tableRequest();
	if (table) {
		return exchange.sendJson(200, toTable(info.resource, [object], object.metadata.resourceVersion ?? '', api.cluster.clock.now(), table.full));
	}

	exchange.sendJson(200, object);
};
