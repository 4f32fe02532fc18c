// pods/NAME/exec: over a WebSocket upgrade, a session with the container (see ../exec.ts);
// as a plain HTTP request, the 400 a real server gives. Attach is refused.
import type {IncomingMessage} from 'node:http';
import type {Duplex} from 'node:stream';
import type {Authenticator} from '../authenticate.js';
import {pickProtocol, resolveExec, type ExecEndpoint} from '../exec.js';
import type {ApiContext, ResourceHandler} from '../exchange.js';
import {pathSegments, requestUrl} from '../resource-request.js';
import {ApiError, noSuchPath, toApiError} from '../status.js';

export const execWithoutUpgrade: ResourceHandler = () => {
	throw new ApiError(400, 'Upgrade request required');
};

/** An HTTP upgrade request: exec over WebSocket, or a refusal written on the socket. */
export function upgradeExec(api: ApiContext, authenticate: Authenticator, endpoint: ExecEndpoint, request: IncomingMessage, socket: Duplex, head: Buffer): void {
	try {
		authenticate(request);
		const url = requestUrl(request);
		if (!url) {
			throw new ApiError(400, `the request URL ${JSON.stringify(request.url)} is not valid`);
		}

		const {segments} = pathSegments(url.pathname);
		const match = segments.length === 7 && segments[0] === 'api' && segments[1] === 'v1' && segments[2] === 'namespaces' && segments[4] === 'pods';
		if (!match || (segments[6] !== 'exec' && segments[6] !== 'attach')) {
			throw noSuchPath();
		}

		const [, , , namespace, , pod, subresource] = segments;
		api.authorize({verb: 'create', resource: `pods/${subresource}`, group: '', namespace, name: pod});
		if (subresource === 'attach') {
			throw new ApiError(400, 'the simulated cluster does not support attach; use exec');
		}

		// Validate first, so that a bad pod or container reads the same over SPDY (kubectl's
		// fallback after a failed WebSocket upgrade) as over WebSocket.
		const exec = resolveExec(api.cluster, namespace, pod, url.searchParams);
		if ((request.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
			throw new ApiError(400, 'the simulated cluster speaks exec over WebSocket only (SPDY is not supported)');
		}

		const offered = new Set(String(request.headers['sec-websocket-protocol'] ?? '').split(',').map(value => value.trim()).filter(Boolean));
		if (!pickProtocol(offered)) {
			throw new ApiError(400, `unable to upgrade: no supported channel protocol among [${[...offered].join(', ')}]`);
		}

		endpoint.upgrade(request, socket, head, exec);
	} catch (error) {
		const apiError = toApiError(error);
		const body = JSON.stringify(apiError.toStatus());
		if (socket.destroyed) {
			return;
		}

		socket.end(
			`HTTP/1.1 ${apiError.code} ${statusText(apiError.code)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
		);
	}
}

function statusText(code: number): string {
	return {400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error'}[code] ?? 'Error';
}
