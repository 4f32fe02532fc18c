// GET of a collection with ?watch (or under /watch/): a stream of events (see ../watch.ts),
// one-row Tables for kubectl get -w.
import {isClusterScoped} from '../../store.js';
import {groupVersionOf} from '../api-resources.js';
import type {ResourceHandler} from '../exchange.js';
import {buildMatcher} from '../selectors.js';
import {toTable} from '../tables.js';
import {serveWatch} from '../watch.js';

export const watch: ResourceHandler = (api, exchange, {info, namespace}, options) => {
	const {labelSelector, fieldSelector, timeoutSeconds, allowWatchBookmarks} = options!;
	const scopedNamespace = isClusterScoped(info.resource) ? undefined : namespace;
	const matcher = buildMatcher(info.resource, scopedNamespace, labelSelector, fieldSelector);
	const table = exchange.tableRequest();
	const clock = api.cluster.clock;
	const {response} = exchange;
	const finish = serveWatch(
		{
			store: api.cluster.store,
			resource: info.resource,
			kind: info.kind,
			apiVersion: groupVersionOf(info),
			matcher,
			namespace: scopedNamespace,
			selective: Boolean(labelSelector?.trim() || fieldSelector?.trim()),
			resourceVersion: options!.resourceVersion,
			timeoutSeconds,
			allowBookmarks: allowWatchBookmarks,
			table: table ? (object, resourceVersion, first) => toTable(info.resource, [object], resourceVersion, clock.now(), table.full, first) : undefined,
			pass: fn => api.gate.pass(fn),
		},
		response,
	);
	if (finish) {
		api.watches.add(finish);
		response.on('close', () => api.watches.delete(finish));
	}
};
