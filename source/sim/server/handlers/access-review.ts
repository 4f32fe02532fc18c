// POST selfsubjectaccessreviews (`kubectl auth can-i`): answered from the --forbid rules,
// everything else being allowed.
import type {PathHandler} from '../exchange.js';
import {decodeAccessReviewSpec} from '../protobuf.js';

export const accessReview: PathHandler = async (api, exchange) => {
	// RBAC can refuse the review itself (--forbid create:selfsubjectaccessreviews).
	api.authorize({verb: 'create', resource: 'selfsubjectaccessreviews', group: 'authorization.k8s.io'});
	// kubectl posts it as protobuf; client-node as JSON. The answer is JSON either way.
	const protobuf = (exchange.request.headers['content-type'] ?? '').startsWith('application/vnd.kubernetes.protobuf');
	const body = protobuf ? {spec: decodeAccessReviewSpec(await exchange.readBytes())} : await exchange.readJson();
	const review = (body ?? {}) as {spec?: {resourceAttributes?: Record<string, string>; nonResourceAttributes?: Record<string, string>}};
	const attributes = review.spec?.resourceAttributes;
	let allowed = true;
	if (attributes) {
		try {
			api.authorize({
				verb: attributes.verb ?? '',
				resource: attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource ?? '',
				group: attributes.group ?? '',
				namespace: attributes.namespace || undefined,
				name: attributes.name || undefined,
			});
		} catch {
			allowed = false;
		}
	}

	exchange.sendJson(201, {
		kind: 'SelfSubjectAccessReview',
		apiVersion: 'authorization.k8s.io/v1',
		metadata: {creationTimestamp: null},
		spec: review.spec ?? {},
		// RBAC gives no reason for a denial, so kubectl prints a bare "no".
		status: {allowed},
	});
};
