// Errors as the real API server words them: a `Status` object with the HTTP code, a reason
// kubectl prints (`Error from server (NotFound): pods "x" not found`) and details.
import {StoreError} from '../store.js';

export type StatusDetails = {name?: string; group?: string; kind?: string; uid?: string; causes?: Array<{reason: string; message: string; field?: string}>; retryAfterSeconds?: number};

export type Status = {
	kind: 'Status';
	apiVersion: 'v1';
	metadata: Record<string, never>;
	status: 'Success' | 'Failure';
	message?: string;
	reason?: string;
	details?: StatusDetails;
	code: number;
};

const reasonByCode: Record<number, string> = {
	400: 'BadRequest',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'NotFound',
	405: 'MethodNotAllowed',
	406: 'NotAcceptable',
	409: 'AlreadyExists',
	410: 'Expired',
	415: 'UnsupportedMediaType',
	422: 'Invalid',
	500: 'InternalError',
	503: 'ServiceUnavailable',
	504: 'Timeout',
};

export class ApiError extends Error {
	constructor(
		readonly code: number,
		message: string,
		readonly reason = reasonByCode[code] ?? 'Unknown',
		readonly details?: StatusDetails,
	) {
		super(message);
	}

	toStatus(): Status {
		return failureStatus(this.code, this.reason, this.message, this.details);
	}
}

export function failureStatus(code: number, reason: string, message: string, details?: StatusDetails): Status {
	const status: Status = {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code};
	if (details && Object.keys(details).length > 0) {
		status.details = details;
	}

	return status;
}

export function successStatus(details: StatusDetails): Status {
	return {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200};
}

/** A StoreError (or anything else thrown by the world) as the Status the client should see. */
export function toApiError(error: unknown, target?: {name?: string; group?: string; kind?: string}): ApiError {
	if (error instanceof ApiError) {
		return error;
	}

	if (error instanceof StoreError) {
		const details = target?.name === undefined ? undefined : {name: target.name, group: target.group || undefined, kind: target.kind};
		return new ApiError(error.code, error.message, error.reason, details && stripUndefined(details));
	}

	const message = error instanceof Error ? error.message : String(error);
	return new ApiError(500, `Internal error occurred: ${message}`, 'InternalError');
}

function stripUndefined<T extends Record<string, unknown>>(value: T): T {
	for (const key of Object.keys(value)) {
		if (value[key] === undefined) {
			delete value[key];
		}
	}

	return value;
}

/** The answer for a path that names nothing this server serves. */
export function noSuchPath(): ApiError {
	return new ApiError(404, 'the server could not find the requested resource', 'NotFound');
}

export function methodNotAllowed(): ApiError {
	return new ApiError(405, 'the server does not allow this method on the requested resource', 'MethodNotAllowed');
}

/** `pods "x" not found`, `deployments.apps "x" not found`. */
export function notFound(resource: {resource: string; group: string}, name: string): ApiError {
	const groupResource = resource.group ? `${resource.resource}.${resource.group}` : resource.resource;
	return new ApiError(404, `${groupResource} "${name}" not found`, 'NotFound', {name, ...(resource.group ? {group: resource.group} : {}), kind: resource.resource});
}

/** An update from an older resourceVersion than the object's. */
export function conflict(resource: {resource: string; group: string}, name: string): ApiError {
	const groupResource = resource.group ? `${resource.resource}.${resource.group}` : resource.resource;
	return new ApiError(
		409,
		`Operation cannot be fulfilled on ${groupResource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
		'Conflict',
		{name, ...(resource.group ? {group: resource.group} : {}), kind: resource.resource},
	);
}
