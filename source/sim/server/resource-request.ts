// A resource path read as kube-apiserver's RequestInfo reads it: which resource, namespace,
// name and subresource it names, and the verb the method means on it (get, list, watch,
// create, update, patch, delete). The route table picks a handler by that verb; RBAC (here
// the --forbid rules) checks it.
import type {IncomingMessage} from 'node:http';
import {findResource, type ResourceInfo} from './api-resources.js';
import type {AccessRequest} from './forbid.js';
import {listOptions, type ListOptions} from './query.js';
import {ApiError} from './status.js';

/** The request's URL; undefined for a request line Node's parser accepts that is no URL (`GET http://[bad/`). */
export function requestUrl(request: IncomingMessage): URL | undefined {
	try {
		return new URL(request.url ?? '/', 'http://sim');
	} catch {
		return undefined;
	}
}

/** A path's segments as sent and percent-decoded; 400 for an encoding that is not valid. */
export function pathSegments(pathname: string): {segments: string[]; raw: string[]} {
	const raw = pathname.split('/').filter(Boolean);
	try {
		return {segments: raw.map(segment => decodeURIComponent(segment)), raw};
	} catch {
		throw new ApiError(400, `the request path ${pathname} is not validly percent-encoded`);
	}
}

export type ResourceRequest = {
	info: ResourceInfo;
	namespace?: string;
	name?: string;
	subresource?: string;
	/** Raw (still percent-encoded) path segments after the subresource, for proxies. */
	rest: string[];
	/** The old `/watch/` path prefix, the same as `?watch=true` on a collection. */
	watchPrefix: boolean;
};

/** The path after `/api/v1` or `/apis/apps/v1`, decoded and raw; undefined when it names no resource. */
export function resourceRequest(group: '' | 'apps', segments: string[], raw: string[]): ResourceRequest | undefined {
	let watchPrefix = false;
	if (segments[0] === 'watch') {
		watchPrefix = true;
		segments = segments.slice(1);
		raw = raw.slice(1);
	}

	// `namespaces/NS/pods` is the pods of NS; `namespaces/NS/status` the namespace's status.
	if (segments[0] === 'namespaces' && segments.length >= 3) {
		const inner = findResource(group, segments[2]);
		if (inner?.namespaced) {
			return {info: inner, namespace: segments[1], name: segments[3], subresource: segments[4], rest: raw.slice(5), watchPrefix};
		}
	}

	const info = findResource(group, segments[0] ?? '');
	if (!info) {
		return undefined;
	}

	return {info, name: segments[1], subresource: segments[2], rest: raw.slice(3), watchPrefix};
}

/**
 * The verb of a request on a resource: on a collection GET is list or watch (`?watch` or the
 * `/watch/` prefix), with its ListOptions decoded first (a bad value is a 400 even where RBAC
 * would refuse), POST create; on a named object the method's verb. A method with no verb
 * here keeps its own name, which no route has.
 */
/** The RBAC verb of a request on one object, by method (HEAD is a get, as kube-apiserver has it). */
export const methodVerbs: Readonly<Record<string, string>> = {GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete'};

export function requestVerb(method: string, target: ResourceRequest, query: URLSearchParams): {verb: string; list?: ListOptions} {
	if (target.name === undefined) {
		if (method === 'GET') {
			const list = listOptions(query);
			return {verb: target.watchPrefix || list.watch ? 'watch' : 'list', list};
		}

		return {verb: method === 'POST' ? 'create' : method === 'DELETE' ? 'deletecollection' : method.toLowerCase()};
	}

	return {verb: methodVerbs[method] ?? method.toLowerCase()};
}

/** What RBAC is asked for `verb` on this request's resource (and subresource). */
export function accessFor(target: ResourceRequest, verb: string): AccessRequest {
	const {info, subresource} = target;
	return {
		verb,
		resource: subresource ? `${info.resource}/${subresource}` : info.resource,
		group: info.group,
		namespace: info.namespaced ? target.namespace : undefined,
		name: target.name,
	};
}
