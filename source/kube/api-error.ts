// Whatever client-node throws (ApiException with a Status body, a watch's Error with
// statusCode, node-fetch's FetchError with errno codes) turned into one short sentence.
import {firstLine} from './connect.js';

type ErrorLike = {
	code?: unknown;
	statusCode?: unknown;
	body?: unknown;
	message?: unknown;
	errno?: unknown;
	type?: unknown;
};

/** The HTTP status of an API error, if it has one. */
export function apiStatusCode(error: unknown): number | undefined {
	if (typeof error !== 'object' || error === null) {
		return undefined;
	}

	const {code, statusCode} = error as ErrorLike;
	if (typeof statusCode === 'number') {
		return statusCode;
	}

	if (typeof code === 'number') {
		return code;
	}

	return undefined;
}

/** The `message` of a Kubernetes Status body, when the error carries one. */
function statusMessage(error: ErrorLike): string | undefined {
	let {body} = error;
	if (typeof body === 'string') {
		const text = body;
		try {
			body = JSON.parse(text);
		} catch {
			return text.trim() ? firstLine(text) : undefined;
		}
	}

	if (typeof body === 'object' && body !== null && typeof (body as {message?: unknown}).message === 'string') {
		return (body as {message: string}).message;
	}

	return undefined;
}

const networkReasons: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ETIMEDOUT: 'connection timed out',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed',
	EPIPE: 'connection closed',
	CERT_HAS_EXPIRED: 'the server certificate has expired',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate cannot be verified',
};

/** One sentence, no stack, no headers: `forbidden: pods is forbidden: …`, `connection refused`. */
export function describeApiError(error: unknown): string {
	if (error === undefined || error === null) {
		return 'the watch ended';
	}

	if (typeof error !== 'object') {
		return String(error);
	}

	const errorLike = error as ErrorLike;
	const status = apiStatusCode(error);
	const fromBody = statusMessage(errorLike);
	if (status !== undefined) {
		const label = status === 401
			? 'unauthorized'
			: status === 403
				? 'forbidden'
				: status === 404
					? 'not found'
					: `HTTP ${status}`;
		if (fromBody) {
			// A Status message already says it (`pods is forbidden: …`, `namespaces "x" not found`).
			return fromBody.toLowerCase().includes(label) ? fromBody : `${label}: ${fromBody}`;
		}

		return label;
	}

	const networkCode = typeof errorLike.code === 'string' ? errorLike.code : undefined;
	if (networkCode && networkReasons[networkCode]) {
		return networkReasons[networkCode];
	}

	// node-fetch: the server went away in the middle of a response (a watch cut off).
	if (networkCode === 'ERR_STREAM_PREMATURE_CLOSE' || /premature close/i.test(String(errorLike.message))) {
		return 'connection lost';
	}

	if (errorLike.type === 'aborted' || (error as Error).name === 'AbortError') {
		return 'the request was cut off';
	}

	const message = typeof errorLike.message === 'string' ? errorLike.message : String(error);
	// node-fetch: "request to http://… failed, reason: connect ECONNREFUSED 127.0.0.1:1234"
	const reason = /reason: (.*)$/.exec(firstLine(message));
	return reason ? reason[1] : firstLine(message);
}

/** Errors that retrying in a few seconds will not fix: a human has to grant access or create something. */
export function isPermanentApiError(error: unknown): boolean {
	const status = apiStatusCode(error);
	return status === 401 || status === 403 || status === 404;
}
