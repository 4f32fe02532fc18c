// /apis/metrics.k8s.io/v1beta1/... (`kubectl top`): node and pod metrics, served only where
// the cluster registered the API (it ships metrics-server), and 503 while metrics-server has
// no ready pod, as the aggregator answers then.
import {metricsResourceList} from '../api-resources.js';
import type {PathHandler} from '../exchange.js';
import {nodeMetricsList, nodeMetricsOne, podMetricsList, podMetricsOne} from '../metrics.js';
import {buildMatcher} from '../selectors.js';
import {ApiError, noSuchPath} from '../status.js';

export const metrics: PathHandler = (api, exchange, {rest: segments}) => {
	if (!api.metricsRegistered || segments[0] !== 'v1beta1') {
		throw noSuchPath();
	}

	if (!api.cluster.metricsAvailable()) {
		throw new ApiError(503, 'the server is currently unable to handle the request', 'ServiceUnavailable', {
			causes: [{reason: 'UnexpectedServerResponse', message: 'service unavailable'}],
		});
	}

	const rest = segments.slice(1);
	const store = api.cluster.store;
	const now = api.cluster.clock.now();
	const query = exchange.query;
	const keep = (resource: 'pods' | 'nodes', namespace?: string) => buildMatcher(resource, namespace, query.get('labelSelector') ?? undefined, query.get('fieldSelector') ?? undefined);
	if (rest.length === 0) {
		return exchange.sendJson(200, metricsResourceList());
	}

	if (rest[0] === 'nodes') {
		api.authorize({verb: rest[1] ? 'get' : 'list', resource: 'nodes', group: 'metrics.k8s.io', name: rest[1]});
		if (rest[1]) {
			const one = nodeMetricsOne(store, rest[1], now);
			if (!one) {
				throw new ApiError(404, `nodemetrics.metrics.k8s.io "${rest[1]}" not found`, 'NotFound', {name: rest[1], group: 'metrics.k8s.io', kind: 'nodes'});
			}

			return exchange.sendJson(200, one);
		}

		return exchange.sendJson(200, nodeMetricsList(store, now, keep('nodes')));
	}

	let namespace: string | undefined;
	let tail = rest;
	if (rest[0] === 'namespaces' && rest[2] === 'pods') {
		namespace = rest[1];
		tail = rest.slice(2);
	}

	if (tail[0] === 'pods') {
		api.authorize({verb: tail[1] ? 'get' : 'list', resource: 'pods', group: 'metrics.k8s.io', namespace, name: tail[1]});
		if (tail[1] && namespace) {
			const one = podMetricsOne(store, namespace, tail[1], now);
			if (!one) {
				throw new ApiError(404, `podmetrics.metrics.k8s.io "${namespace}/${tail[1]}" not found`, 'NotFound', {name: tail[1], group: 'metrics.k8s.io', kind: 'pods'});
			}

			return exchange.sendJson(200, one);
		}

		return exchange.sendJson(200, podMetricsList(store, namespace, now, keep('pods', namespace)));
	}

	throw noSuchPath();
};
