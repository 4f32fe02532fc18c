// `--token T`: who may talk to the sim. As a real API server's authenticators do, a request is
// let in by the bearer token T or by a client certificate signed by the sim's CA (with --tls);
// anything else is answered 401 with the Status a real server sends, message "Unauthorized".
import type {IncomingMessage} from 'node:http';
import type {TLSSocket} from 'node:tls';
import {ApiError} from './status.js';

export type Authenticator = (request: IncomingMessage) => void;

/** No token: every request is let in, as before --token existed. */
export function tokenAuthenticator(token: string | undefined): Authenticator {
	return request => {
		if (token === undefined) {
			return;
		}

		const [scheme, credential] = (request.headers.authorization ?? '').split(' ');
		if (scheme?.toLowerCase() === 'bearer' && credential === token) {
			return;
		}

		// The TLS server asks for a client certificate and checks it against the sim's CA.
		const socket = request.socket as Partial<TLSSocket>;
		if (socket.encrypted && socket.authorized) {
			return;
		}

		throw unauthorized();
	};
}

export function unauthorized(): ApiError {
	return new ApiError(401, 'Unauthorized', 'Unauthorized');
}
