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
