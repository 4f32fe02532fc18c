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
	syscall?: unknown;
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
};

// Node's names for a certificate chain that does not end at a CA the client trusts.
const unknownCaCodes = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/**
 * Why TLS refused the API server's certificate, as a phrase about "the server certificate", or
 * undefined when the error is not a certificate check: `is not signed by a certificate
 * authority the kubeconfig trusts (unknown CA)`, `is for DNS:localhost, not api.example.com
 * (server name mismatch)`, `has expired`.
 */
export function certificateProblem(error: unknown): string | undefined {
	const {code, message} = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
	if (typeof code !== 'string') {
		return undefined;
	}

	if (unknownCaCodes.has(code)) {
		return 'is not signed by a certificate authority the kubeconfig trusts (unknown CA)';
	}

	if (code === 'CERT_HAS_EXPIRED') {
		return 'has expired';
	}

	if (code === 'CERT_NOT_YET_VALID') {
		return 'is not valid yet (is this machine\'s clock right?)';
	}

	if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
		// Node: "Host: api.example.com. is not in the cert's altnames: DNS:localhost, IP Address:127.0.0.1"
		// or "IP: 10.0.0.1 is not in the cert's list: 127.0.0.1".
		const text = String(message);
		const match = /(?:Host|IP): (\S+?)\.? is not in the cert's (?:altnames|list): (.*)$/.exec(text);
		return match ? `is for ${match[2].trim()}, not ${match[1]} (server name mismatch)` : 'is for another name than the server (server name mismatch)';
	}

	return undefined;
}

export type ExecPlugin = {command: string; installHint?: string};

/**
 * Why a credential plugin (`users[].user.exec`) gave no credential, as a phrase about the
 * plugin, or undefined when the error did not come from running it. client-node rejects with
 * the spawn error when the plugin cannot start, an Error holding its stderr when it exits
 * non-zero, and a SyntaxError when it prints no JSON.
 */
export function credentialPluginProblem(error: unknown, plugin: ExecPlugin): string | undefined {
	const errorLike = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
	if (errorLike.syscall === `spawn ${plugin.command}`) {
		if (errorLike.code === 'ENOENT') {
			const hint = plugin.installHint?.split('\n').map(line => line.trim()).filter(Boolean).join(' ');
			return hint ? `is not installed: ${hint}` : `is not installed (not found${plugin.command.includes('/') ? '' : ' on PATH'})`;
		}

		return `cannot be started: ${errorLike.code === 'EACCES' ? 'it is not executable' : firstLine(error)}`;
	}

	if (error instanceof SyntaxError) {
		return 'printed no ExecCredential JSON on stdout';
	}

	// Exactly an Error (not node-fetch's FetchError or another subclass) with no code: the plugin's stderr.
	if (error instanceof Error && Object.getPrototypeOf(error) === Error.prototype && !('code' in error)) {
		// Go plugins log through klog: drop its "F1130 16:41:08.728175   29160 cred.go:145] " prefix.
		const said = firstLine(error).replace(/^[IWEF]\d{4} [\d:.]+ +\d+ [\w.-]+:\d+\] /, '');
		return said ? `failed: ${said}` : 'failed without a word (it exited non-zero and printed nothing on stderr)';
	}

	return undefined;
}

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

	const certificate = certificateProblem(error);
	if (certificate) {
		return `the server certificate ${certificate}`;
	}

	// A credential plugin that is not there (client-node spawns it for every request it has no cached token for).
	if (networkCode === 'ENOENT' && typeof errorLike.syscall === 'string' && errorLike.syscall.startsWith('spawn ')) {
		return `the credential plugin ${errorLike.syscall.slice('spawn '.length)} is not installed`;
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
