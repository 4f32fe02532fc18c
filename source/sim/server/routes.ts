// The API server's route table: which handler answers a method on a path. First the paths
// that are not resources (health, discovery, OpenAPI, access reviews, metrics), the first
// whose pattern matches answering; then the resources of /api/v1 and /apis/apps/v1, whose
// handler is chosen as kube-apiserver chooses it: by the request's verb (RequestInfo) on the
// collection, the object or a subresource (its endpoints/handlers get, list, watch, create,
// update, patch, delete), or, for the subresources that connect somewhere (log, exec,
// proxy), by the subresource alone, whatever the method.
import type {ApiContext, Exchange, PathHandler, PathMatch, ResourceHandler} from './exchange.js';
import {accessReview} from './handlers/access-review.js';
import {create} from './handlers/create.js';
import {remove} from './handlers/delete.js';
import {appsResources, authorizationResources, coreResources, coreVersions, group, groups, health, openApi, version} from './handlers/discovery.js';
import {execWithoutUpgrade} from './handlers/exec.js';
import {get} from './handlers/get.js';
import {list} from './handlers/list.js';
import {log} from './handlers/log.js';
import {metrics} from './handlers/metrics.js';
import {patch} from './handlers/patch.js';
import {proxy, proxyVerb} from './handlers/proxy.js';
import {update} from './handlers/update.js';
import {watch} from './handlers/watch.js';
import {accessFor, requestVerb, resourceRequest} from './resource-request.js';
import {methodNotAllowed, noSuchPath} from './status.js';

/** Any method. */
const any = '*';

type PathRoute = {method: string; handle: PathHandler; match: (path: string, segments: string[], rawSegments: string[]) => PathMatch | undefined};

/** In order: the first route whose path matches answers. */
const pathRoutes: PathRoute[] = [
	pathRoute(any, '/version', version),
	pathRoute(any, '/healthz', health),
	pathRoute(any, '/livez', health),
	pathRoute(any, '/readyz', health),
	pathRoute(any, '/api', coreVersions),
	pathRoute(any, '/apis', groups),
	pathRoute(any, '/api/v1', coreResources),
	pathRoute(any, '/apis/apps/v1', appsResources),
	pathRoute(any, '/apis/authorization.k8s.io/v1', authorizationResources),
	pathRoute('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', accessReview),
	pathRoute(any, '/openapi/v3/...', openApi),
	pathRoute(any, '/apis/{group}', group),
	pathRoute(any, '/apis/metrics.k8s.io/...', metrics),
	pathRoute(any, '/api/v1/...', resources('')),
	pathRoute(any, '/apis/apps/v1/...', resources('apps')),
];

/** On a collection, an object or one of its subresources: the handler of each verb it serves. */
const resourceRoutes: Record<string, Record<string, ResourceHandler>> = {
	collection: {list, watch, create},
	object: {get, update, patch, delete: remove},
	status: {get, update, patch},
	'deployments/scale': {get, update, patch},
};

/** Subresources that take any method, and a path of their own after them (proxy): the verb RBAC checks, and the handler. */
const connectRoutes: Record<string, {verb: (method: string) => string; handle: ResourceHandler}> = {
	'pods/log': {verb: () => 'get', handle: log},
	'pods/exec': {verb: () => 'create', handle: execWithoutUpgrade},
	'services/proxy': {verb: proxyVerb, handle: proxy},
};

/** Answer a request from the table: 404 for a path no route has, 405 for a method its route does not take. */
export async function dispatch(api: ApiContext, exchange: Exchange, segments: string[], rawSegments: string[]): Promise<void> {
	const path = '/' + segments.join('/');
	for (const route of pathRoutes) {
		const match = route.match(path, segments, rawSegments);
		if (match) {
			if (route.method !== any && route.method !== exchange.method) {
				throw methodNotAllowed();
			}

			return route.handle(api, exchange, match);
		}
	}

	throw noSuchPath();
}

/**
 * In `path`, `{name}` is one segment (params.name) and a trailing `...` any number of them
 * (rest). A path without either is compared with the whole decoded path.
 */
function pathRoute(method: string, path: string, handle: PathHandler): PathRoute {
	if (!path.includes('{') && !path.endsWith('...')) {
		return {method, handle, match: whole => (whole === path ? {params: {}, rest: [], rawRest: []} : undefined)};
	}

	const parts = path.split('/').slice(1);
	const open = parts.at(-1) === '...';
	const fixed = open ? parts.slice(0, -1) : parts;
	const match = (_whole: string, segments: string[], rawSegments: string[]): PathMatch | undefined => {
		if (open ? segments.length < fixed.length : segments.length !== fixed.length) {
			return undefined;
		}

		const params: Record<string, string> = {};
		for (const [index, part] of fixed.entries()) {
			if (part.startsWith('{')) {
				params[part.slice(1, -1)] = segments[index];
			} else if (part !== segments[index]) {
				return undefined;
			}
		}

		return {params, rest: segments.slice(fixed.length), rawRest: rawSegments.slice(fixed.length)};
	};

	return {method, handle, match};
}

/** The resources of one group version (the path after it is the match's rest). */
function resources(group: '' | 'apps'): PathHandler {
	return async (api, exchange, {rest, rawRest}) => {
		const target = resourceRequest(group, rest, rawRest);
		if (!target) {
			throw noSuchPath();
		}

		const {info, name, subresource} = target;
		if (info.resource === 'endpoints' && api.profile === 'kind') {
			// A 1.33 server says this on every v1 Endpoints request; kubectl prints it.
			exchange.response.setHeader('Warning', '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"');
		}

		if (info.namespaced && target.namespace === undefined && name !== undefined) {
			throw noSuchPath();
		}

		const connect = subresource === undefined ? undefined : lookup(connectRoutes, `${info.resource}/${subresource}`);
		if (connect) {
			api.authorize(accessFor(target, connect.verb(exchange.method)));
			return connect.handle(api, exchange, target);
		}

		const part = name === undefined ? 'collection' : subresource === undefined ? 'object' : subresource === 'status' ? 'status' : `${info.resource}/${subresource}`;
		const verbs = lookup(resourceRoutes, part);
		if (!verbs || target.rest.length > 0) {
			throw noSuchPath();
		}

		const {verb, list} = requestVerb(exchange.method, target, exchange.query);
		const handle = lookup(verbs, verb);
		if (!handle) {
			throw methodNotAllowed();
		}

		api.authorize(accessFor(target, verb));
		return handle(api, exchange, target, list);
	};
}

function lookup<T>(table: Record<string, T>, key: string): T | undefined {
	return Object.hasOwn(table, key) ? table[key] : undefined;
}
