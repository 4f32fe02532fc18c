// GET of a collection: one page (limit, continue) read at one resourceVersion, filtered by
// selectors; a Table for kubectl get. Continue tokens are the real server's.
import {isClusterScoped, StoreError, type KubeObject} from '../../store.js';
import {groupVersionOf} from '../api-resources.js';
import type {ResourceHandler} from '../exchange.js';
import {buildMatcher, pinnedName} from '../selectors.js';
import {ApiError, failureStatus} from '../status.js';
import {toTable} from '../tables.js';

type ListMeta = {resourceVersion: string; continue?: string; remainingItemCount?: number};

export const list: ResourceHandler = (api, exchange, {info, namespace}, options) => {
	const resource = info.resource;
	const scopedNamespace = isClusterScoped(resource) ? undefined : namespace;
	const {labelSelector, fieldSelector, limit: requestedLimit, continue: requestedContinue, resourceVersion: requestedVersion = ''} = options!;
	const matcher = buildMatcher(resource, scopedNamespace, labelSelector, fieldSelector);
	// A negative limit, like 0, is no limit.
	const limit = Math.max(0, requestedLimit);
	const token = parseContinue(requestedContinue);
	if (token && requestedVersion !== '' && requestedVersion !== '0') {
		throw new ApiError(400, 'specifying resource version is not allowed when using continue');
	}

	// Every page of a list is read at the first page's resourceVersion (a token of -1, given
	// out with a 410, reads the current state from where the expired one stopped).
	const snapshot = token && token.rv > 0 ? token.rv : undefined;
	const store = api.cluster.store;
	const resourceVersion = String(snapshot ?? store.resourceVersion);
	const metadata: ListMeta = {resourceVersion};
	let items: KubeObject[];
	const pinned = pinnedName(resource, fieldSelector);
	if (pinned !== undefined && !token && (scopedNamespace !== undefined || isClusterScoped(resource))) {
		const one = store.get(resource, scopedNamespace, pinned);
		items = one && matcher(one) ? [one] : [];
	} else {
		let page;
		try {
			page = api.sorted.page(resource, scopedNamespace, token?.start, limit, matcher, snapshot);
		} catch (error) {
			if (error instanceof StoreError && error.code === 410) {
				return exchange.sendJson(410, {...continueExpired(), metadata: {continue: encodeContinue(-1, token!.start)}});
			}

			throw error;
		}

		items = page.items;
		if (page.continueAfter !== undefined) {
			// etcd's next key: the smallest key after the last one.
			metadata.continue = encodeContinue(Number(resourceVersion), page.continueAfter + '\u0000');
			if (!labelSelector && !fieldSelector) {
				metadata.remainingItemCount = page.remaining;
			}
		}
	}

	const table = exchange.tableRequest();
	if (table) {
		const rendered = toTable(resource, items, resourceVersion, api.cluster.clock.now(), table.full);
		return exchange.sendJson(200, {...rendered, metadata});
	}

	exchange.sendList({kind: info.listKind, apiVersion: groupVersionOf(info), metadata}, items);
};

type ContinueToken = {rv: number; start: string};

/** The real server's token: base64url of {"v":"meta.k8s.io/v1","rv":…,"start":…}, start being the next key to read. */
function encodeContinue(rv: number, start: string): string {
	return Buffer.from(JSON.stringify({v: 'meta.k8s.io/v1', rv, start})).toString('base64url');
}

function parseContinue(token: string | undefined): ContinueToken | undefined {
	if (!token) {
		return undefined;
	}

	let parsed: {v?: unknown; rv?: unknown; start?: unknown};
	try {
		parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
	} catch {
		throw new ApiError(400, 'continue key is not valid: the token is not base64url-encoded JSON');
	}

	if (parsed?.v !== 'meta.k8s.io/v1') {
		throw new ApiError(400, `continue key is not valid: server does not recognize this encoded version ${String(parsed?.v)}`);
	}

	if (typeof parsed.rv !== 'number' || parsed.rv === 0) {
		throw new ApiError(400, 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
	}

	if (typeof parsed.start !== 'string' || parsed.start === '') {
		throw new ApiError(400, 'continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
	}

	return {rv: parsed.rv, start: parsed.start};
}

/** etcd has compacted the snapshot a continue token reads: the real server's 410, worded as it words it. */
function continueExpired() {
	return failureStatus(
		410,
		'Expired',
		'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
	);
}
