// Any method on services/NAME/proxy/...: the request forwarded to the simulated backend
// behind the Service (`[https:]NAME[:PORT]`), its answer passed back as it came.
import type {ResourceHandler} from '../exchange.js';
import {methodVerbs} from '../resource-request.js';
import {toApiError} from '../status.js';

/** The RBAC verb of a proxied request, from its method. */
export function proxyVerb(method: string): string {
	return methodVerbs[method] ?? 'get';
}

export const proxy: ResourceHandler = async (api, exchange, {namespace, name, rest}) => {
	const parts = name!.split(':');
	let service: string;
	let port: string | undefined;
	if (parts.length >= 3) {
		[, service, port] = parts;
	} else if (parts.length === 2 && (parts[0] === 'http' || parts[0] === 'https')) {
		service = parts[1];
	} else {
		[service, port] = parts;
	}

	// Drain any body: the simulated backends do not read it.
	await exchange.readBody();
	const {url, method, response} = exchange;
	const pathAndQuery = '/' + rest.join('/') + (url.pathname.endsWith('/') && rest.length > 0 ? '/' : '') + url.search;
	let result;
	try {
		result = await api.cluster.proxyService(namespace!, service, port || undefined, pathAndQuery);
	} catch (error) {
		throw toApiError(error, {name: service, kind: 'services'});
	}

	exchange.answer(() => {
		response.writeHead(result.status, {'Content-Type': result.contentType, 'Content-Length': Buffer.byteLength(result.body)});
		response.end(method === 'HEAD' ? undefined : result.body);
	});
};
