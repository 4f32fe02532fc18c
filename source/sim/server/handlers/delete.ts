// DELETE of one object: the world decides what deleting it means (grace, finalizers,
// propagation); the answer is the object while it terminates, else a Success Status.
import type {DeleteOptions} from '../../cluster.js';
import type {Exchange, ResourceHandler} from '../exchange.js';
import {queryBool, queryInt} from '../query.js';
import {ApiError, successStatus, toApiError} from '../status.js';

export const remove: ResourceHandler = async (api, exchange, {info, namespace, name}) => {
	const options = await deleteOptions(exchange);
	let result;
	try {
		result = api.cluster.delete(info.resource, namespace, name!, options);
	} catch (error) {
		throw toApiError(error, {name, group: info.group, kind: info.resource});
	}

	if (result.kind === 'object') {
		return exchange.sendJson(200, result.object);
	}

	exchange.sendJson(200, successStatus(result.details));
};

/**
 * DeleteOptions from the body (kubectl) or, when there is no body, from the query
 * (client-node), as the API server reads them. A negative grace period means 1 second.
 */
async function deleteOptions(exchange: Exchange): Promise<DeleteOptions> {
	const body = (await exchange.readJson()) as Record<string, unknown> | undefined;
	const query = exchange.query;
	let grace: number | undefined;
	let policy: unknown;
	let orphan: boolean;
	if (body === undefined) {
		grace = queryInt(query, 'gracePeriodSeconds');
		policy = query.get('propagationPolicy') ?? undefined;
		orphan = queryBool(query, 'orphanDependents');
	} else {
		if (body.gracePeriodSeconds !== undefined && body.gracePeriodSeconds !== null) {
			if (!Number.isInteger(body.gracePeriodSeconds)) {
				throw new ApiError(400, `invalid gracePeriodSeconds: ${JSON.stringify(body.gracePeriodSeconds)}`);
			}

			grace = body.gracePeriodSeconds as number;
		}

		policy = body.propagationPolicy ?? undefined;
		orphan = body.orphanDependents === true;
	}

	const options: DeleteOptions = {};
	if (grace !== undefined) {
		options.gracePeriodSeconds = grace < 0 ? 1 : grace;
	}

	if (!policy && orphan) {
		policy = 'Orphan';
	}

	if (policy !== undefined && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
		throw new ApiError(400, `propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Orphan", "Background", "Foreground"`);
	}

	if (policy) {
		options.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
	}

	return options;
}
