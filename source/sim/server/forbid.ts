// `--forbid VERB:RESOURCE` rules: refuse requests with the 403 a real RBAC authorizer
// gives, word for word, so the app's handling of "not allowed" can be tried on the sim.
import {ApiError} from './status.js';

export const simUser = 'system:serviceaccount:default:knockdown';

export type AccessRequest = {
	verb: string;
	/** `pods`, `pods/exec`, `services/proxy`, `deployments`… */
	resource: string;
	group: string;
	namespace?: string;
	name?: string;
};

export type Authorizer = (request: AccessRequest) => void;

export function forbidAuthorizer(rules: string[] = []): Authorizer {
	const parsed = rules.map(rule => {
		const [verb, resource] = rule.split(':');
		return {verb, resource};
	});
	return request => {
		const denied = parsed.some(rule => (rule.verb === '*' || rule.verb === request.verb) && (rule.resource === '*' || rule.resource === request.resource));
		if (denied) {
			throw forbidden(request);
		}
	};
}

export function forbidden(request: AccessRequest): ApiError {
	const [resource] = request.resource.split('/');
	const groupResource = request.group ? `${resource}.${request.group}` : resource;
	const subject = request.name === undefined ? `${groupResource} is forbidden` : `${groupResource} "${request.name}" is forbidden`;
	const scope = request.namespace === undefined ? 'at the cluster scope' : `in the namespace "${request.namespace}"`;
	const message = `${subject}: User "${simUser}" cannot ${request.verb} resource "${request.resource}" in API group "${request.group}" ${scope}`;
	const details: Record<string, string> = {};
	if (request.name !== undefined) {
		details.name = request.name;
	}

	if (request.group) {
		details.group = request.group;
	}

	details.kind = resource;
	return new ApiError(403, message, 'Forbidden', details);
}

/**
 * Pod Security admission at level baseline, switched on by the rule `create:pods/privileged`:
 * a pod that shares the host's PIDs or has a privileged container is refused with the message
 * a real API server gives.
 */
export function admitPodSecurity(authorize: Authorizer, pod: any, namespace: string | undefined): void {
	const privileged = (pod.spec?.containers ?? []).filter((container: any) => container.securityContext?.privileged);
	if (!pod.spec?.hostPID && privileged.length === 0) {
		return;
	}

	try {
		authorize({verb: 'create', resource: 'pods/privileged', group: '', namespace, name: pod.metadata?.name});
	} catch {
		const reasons = [
			...(pod.spec?.hostPID ? ['host namespaces (hostPID=true)'] : []),
			...(privileged.length > 0 ? [`privileged (${privileged.map((container: any) => `container "${container.name}"`).join(', ')} must not set securityContext.privileged=true)`] : []),
		];
		throw new ApiError(403, `pods "${pod.metadata?.name}" is forbidden: violates PodSecurity "baseline:latest": ${reasons.join(', ')}`, 'Forbidden', {name: pod.metadata?.name, kind: 'pods'});
	}
}
