// "May I?" before an experiment: the API server's own answer (a SelfSubjectAccessReview, what
// `kubectl auth can-i` asks) for every verb the experiment needs. Without watch on pods the
// replacements are never seen and every victim would be reported "still there"; without
// delete the request fails. Either way nothing should be deleted, so this is asked first.
import {AuthorizationV1Api} from '@kubernetes/client-node';
import type {Connection} from './connect.js';

export type AccessCheck = {verb: string; resource: string; group?: string};

/** `watch pods`, `delete deployments.apps`: how kubectl names them. */
export function describeAccess(check: AccessCheck): string {
	return `${check.verb} ${check.resource}${check.group ? `.${check.group}` : ''}`;
}

/**
 * The checks the server denies, in the order given. A server that cannot answer the review
 * (an old or unusual one) denies nothing here: the requests themselves then say what is refused.
 */
export async function deniedAccess(connection: Connection, namespace: string, checks: AccessCheck[], timeoutMs = 10_000): Promise<AccessCheck[]> {
	const api = connection.kubeConfig.makeApiClient(AuthorizationV1Api);
	const answers = await Promise.all(checks.map(async check => {
		const review = api.createSelfSubjectAccessReview({
			body: {spec: {resourceAttributes: {namespace, verb: check.verb, resource: check.resource, group: check.group ?? ''}}},
		});
		let timer: NodeJS.Timeout | undefined;
		const late = new Promise<undefined>(resolve => {
			timer = setTimeout(() => resolve(undefined), timeoutMs);
		});
		try {
			const answer = await Promise.race([review, late]);
			return answer?.status?.allowed !== false;
		} catch {
			return true;
		} finally {
			clearTimeout(timer);
		}
	}));
	return checks.filter((_check, index) => !answers[index]);
}
