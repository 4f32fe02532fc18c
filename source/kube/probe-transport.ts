// The ProbeTransport port's real adapter: Endpoints list, service proxy and plain GETs as raw
// requests authenticated through the kubeconfig (so each carries an AbortSignal, which the
// generated client-node API calls do not take), and pods/exec through client-node's Exec
// class over WebSocket (exit code from the status channel).
import http from 'node:http';
import https from 'node:https';
import {Writable} from 'node:stream';
import {Exec, type KubeConfig, type V1Status} from '@kubernetes/client-node';
import {
	ProbeTransportError,
	type EndpointsSummary,
	type ExecAnswer,
	type ExecRequest,
	type HttpAnswer,
	type ProbeTransport,
	type ServiceProxyRequest,
} from '../probes/transport.js';

/** Bodies beyond this are cut: a probe needs the start of an answer, never megabytes. */
const maxBodyBytes = 1024 * 1024;

const unreachableCodes = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EPIPE',
	'ETIMEDOUT',
	'ECONNABORTED',
	'UND_ERR_SOCKET',
]);

/**
 * client-node's applyToHTTPSOptions makes a new Agent for every request, so every probe
 * opened a new connection: ten a second with the default probes (on a real cluster, ten TLS
 * handshakes a second, on both sides). A plain Agent it made is
 * swapped for a kept-alive one with the same TLS settings, made once; a proxy's agent (SOCKS,
 * HTTP CONNECT) is used as it comes.
 */
function keptAgents() {
	const kept = new Map<string, http.Agent>();
	const settings = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername', 'ciphers', 'secureOptions', 'secureProtocol', 'crl'] as const;
	const text = (value: unknown) => (Buffer.isBuffer(value) ? value.toString('base64') : value);
	return (agent: unknown): unknown => {
		const made = (agent as {constructor?: unknown} | undefined)?.constructor;
		if (made !== https.Agent && made !== http.Agent) {
			return agent;
		}

		const {options} = agent as http.Agent & {options: Record<string, unknown>};
		const key = JSON.stringify([made === https.Agent, ...settings.map(name => {
			const value = options[name];
			return Array.isArray(value) ? value.map(text) : text(value);
		})]);
		let found = kept.get(key);
		if (!found) {
			if (kept.size >= 4) {
				// Settings that keep changing (rotated certificates): keep the newest only.
				for (const old of kept.values()) {
					old.destroy();
				}

				kept.clear();
			}

			found = new (made as typeof http.Agent)({...options, keepAlive: true, maxSockets: 8});
			kept.set(key, found);
		}

		return found;
	};
}

export function createKubeProbeTransport(kubeConfig: KubeConfig): ProbeTransport {
	const keptAgent = keptAgents();
	async function get(path: string, signal: AbortSignal): Promise<HttpAnswer> {
		if (signal.aborted) {
			throw new ProbeTransportError('aborted', 'aborted before sending');
		}

		const server = kubeConfig.getCurrentCluster()?.server;
		if (!server) {
			throw new ProbeTransportError('error', 'the kubeconfig names no API server');
		}

		const options: https.RequestOptions = {};
		try {
			await kubeConfig.applyToHTTPSOptions(options);
			options.agent = keptAgent(options.agent) as https.Agent | undefined;
		} catch (error) {
			throw new ProbeTransportError('error', `cannot authenticate: ${messageOf(error)}`);
		}

		const url = new URL(server.replace(/\/+$/, '') + path);
		const requester = url.protocol === 'https:' ? https : http;
		return new Promise<HttpAnswer>((resolve, reject) => {
			const request = requester.request(
				url,
				{...options, method: 'GET', headers: {...options.headers, Accept: 'application/json, */*'}, signal},
				response => {
					const chunks: Buffer[] = [];
					let size = 0;
					response.on('data', (chunk: Buffer) => {
						if (size < maxBodyBytes) {
							chunks.push(chunk);
							size += chunk.length;
						}
					});
					response.on('end', () => {
						resolve({status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')});
					});
					response.on('error', error => {
						reject(classifyRequestError(error, signal));
					});
				},
			);
			request.on('error', error => {
				reject(classifyRequestError(error, signal));
			});
			request.end();
		});
	}

	return {
		get,

		async listEndpoints(namespace, signal) {
			const answer = await get(`/api/v1/namespaces/${encodeURIComponent(namespace)}/endpoints`, signal);
			throwUnlessOk(answer, `listing endpoints in ${namespace}`);
			return endpointsFromList(answer.body);
		},

		proxyGet(request: ServiceProxyRequest, signal) {
			const service = `${encodeURIComponent(request.service)}${request.port ? `:${encodeURIComponent(request.port)}` : ''}`;
			return get(`/api/v1/namespaces/${encodeURIComponent(request.namespace)}/services/${service}/proxy/${request.path.replace(/^\/+/, '')}`, signal);
		},

		exec: (request, signal) => execInPod(kubeConfig, request, signal),
	};
}

function throwUnlessOk(answer: HttpAnswer, what: string) {
	if (answer.status === 200) {
		return;
	}

	const message = `${what}: ${statusMessage(answer.body) ?? `HTTP ${answer.status}`}`;
	switch (answer.status) {
		case 401: {
			throw new ProbeTransportError('unauthorized', message);
		}

		case 403: {
			throw new ProbeTransportError('forbidden', message);
		}

		case 404: {
			throw new ProbeTransportError('not-found', message);
		}

		default: {
			throw new ProbeTransportError('error', message);
		}
	}
}

type EndpointsList = {
	items?: Array<{
		metadata?: {name?: string};
		subsets?: Array<{
			addresses?: Array<{ip?: string; nodeName?: string; targetRef?: {kind?: string; name?: string}}>;
			notReadyAddresses?: unknown[];
		}>;
	}>;
};

export function endpointsFromList(body: string): EndpointsSummary[] {
	let list: EndpointsList;
	try {
		list = JSON.parse(body) as EndpointsList;
	} catch {
		throw new ProbeTransportError('error', 'the endpoints list was not JSON');
	}

	return (list.items ?? []).map(item => {
		const subsets = item.subsets ?? [];
		return {
			name: item.metadata?.name ?? '',
			ready: subsets.flatMap(subset =>
				(subset.addresses ?? []).map(address => ({
					ip: address.ip ?? '',
					podName: address.targetRef?.kind === 'Pod' ? address.targetRef.name : undefined,
					...(address.nodeName ? {nodeName: address.nodeName} : {}),
				})),
			),
			notReadyCount: subsets.reduce((sum, subset) => sum + (subset.notReadyAddresses?.length ?? 0), 0),
		};
	});
}

async function execInPod(kubeConfig: KubeConfig, request: ExecRequest, signal: AbortSignal): Promise<ExecAnswer> {
	if (signal.aborted) {
		throw new ProbeTransportError('aborted', 'aborted before sending');
	}

	const stdout = collector();
	const stderr = collector();
	let status: V1Status | undefined;
	const connecting = new Exec(kubeConfig).exec(
		request.namespace,
		request.pod,
		request.container ?? '',
		request.command,
		stdout.stream,
		stderr.stream,
		null,
		false,
		received => {
			status = received;
		},
	);

	return new Promise<ExecAnswer>((resolve, reject) => {
		let socket: {close(): void; addEventListener(type: 'close', listener: () => void): void; readyState: number} | undefined;
		const onAbort = () => {
			socket?.close();
			reject(new ProbeTransportError('aborted', 'aborted'));
		};

		signal.addEventListener('abort', onAbort, {once: true});
		connecting.then(
			opened => {
				socket = opened;
				if (signal.aborted) {
					opened.close();
					return;
				}

				const finish = () => {
					signal.removeEventListener('abort', onAbort);
					if (!status) {
						// v4/v5 always end with a status: a close without one is a dropped connection.
						reject(new ProbeTransportError('unreachable', 'the exec connection closed before the command finished'));
						return;
					}

					try {
						resolve({stdout: stdout.text(), stderr: stderr.text(), exitCode: exitCodeOf(status)});
					} catch (error) {
						reject(error);
					}
				};

				// The status arrives last and client-node closes the socket on it.
				if (opened.readyState === 3) {
					finish();
				} else {
					opened.addEventListener('close', finish);
				}
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(classifyWebSocketError(error, request));
			},
		);
	});
}

/** Status channel (3): Success → 0; Failure/NonZeroExitCode → the ExitCode cause. Anything else is not an exit. */
export function exitCodeOf(status: V1Status): number {
	if (status.status === 'Success') {
		return 0;
	}

	if (status.reason === 'NonZeroExitCode') {
		const cause = status.details?.causes?.find(item => item.reason === 'ExitCode');
		const code = Number.parseInt(cause?.message ?? '', 10);
		if (Number.isInteger(code)) {
			return code;
		}
	}

	throw new ProbeTransportError('error', `exec failed: ${status.message ?? status.reason ?? 'unknown failure'}`);
}

function collector() {
	const chunks: Buffer[] = [];
	const stream = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			chunks.push(Buffer.from(chunk));
			callback();
		},
	});
	return {stream, text: () => Buffer.concat(chunks).toString('utf8')};
}

function classifyWebSocketError(error: unknown, request: ExecRequest): ProbeTransportError {
	// The ws client rejects a refused upgrade with "Unexpected server response: 403".
	const inner = (error as {error?: unknown})?.error ?? error;
	const message = messageOf(inner) || messageOf(error);
	const status = /Unexpected server response: (\d+)/.exec(message)?.[1];
	switch (status) {
		case '401': {
			return new ProbeTransportError('unauthorized', 'not authorized by the API server');
		}

		case '403': {
			return new ProbeTransportError('forbidden', `exec into ${request.pod} not permitted`);
		}

		case '404': {
			return new ProbeTransportError('not-found', `pod ${request.pod} not found`);
		}

		case undefined: {
			break;
		}

		case '500':
		case '502':
		case '503': {
			// The API server streams exec from the pod's kubelet: a 5xx is that kubelet out of reach ("error dialing backend").
			return new ProbeTransportError('kubelet', `exec into ${request.pod} refused with HTTP ${status}: its node's kubelet is not answering`);
		}

		default: {
			return new ProbeTransportError('error', `exec refused with HTTP ${status}`);
		}
	}

	const code = (inner as {code?: string})?.code;
	if ((code && unreachableCodes.has(code)) || /ECONNREFUSED|ECONNRESET|socket hang up/.test(message)) {
		return new ProbeTransportError('unreachable', shortNetworkMessage(code, message));
	}

	return new ProbeTransportError('error', `exec failed: ${message}`);
}

function classifyRequestError(error: unknown, signal: AbortSignal): ProbeTransportError {
	if (signal.aborted || (error as {name?: string})?.name === 'AbortError') {
		return new ProbeTransportError('aborted', 'aborted');
	}

	const code = (error as {code?: string})?.code;
	const message = messageOf(error);
	if ((code && unreachableCodes.has(code)) || /socket hang up/.test(message)) {
		return new ProbeTransportError('unreachable', shortNetworkMessage(code, message));
	}

	return new ProbeTransportError('error', message);
}

function shortNetworkMessage(code: string | undefined, message: string): string {
	switch (code) {
		case 'ECONNREFUSED': {
			return 'connection refused';
		}

		case 'ECONNRESET': {
			return 'connection reset';
		}

		case 'ENOTFOUND':
		case 'EAI_AGAIN': {
			return 'API server name does not resolve';
		}

		default: {
			return message.includes('ECONNREFUSED') ? 'connection refused' : message;
		}
	}
}

function statusMessage(body: string): string | undefined {
	try {
		const parsed = JSON.parse(body) as {kind?: string; message?: string};
		return parsed.kind === 'Status' ? parsed.message : undefined;
	} catch {
		return undefined;
	}
}

function messageOf(error: unknown): string {
	if (error instanceof Error) {
		return error.message;
	}

	if (typeof error === 'object' && error !== null && 'message' in error) {
		return String((error as {message: unknown}).message);
	}

	return error === undefined ? '' : String(error);
}
