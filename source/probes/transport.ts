// The ProbeTransport port: the few cluster calls the probes need. The real adapter over
// client-node is kube/probe-transport.ts; tests pass fakes. Every call takes an AbortSignal
// because the scheduler abandons a probe at its timeout.

/** One Endpoints object, reduced to what the probes read. */
export type EndpointsSummary = {
	/** Same name as its Service. */
	name: string;
	/** Ready addresses, with the pod behind each when the Endpoints names it (targetRef), and its node. */
	ready: Array<{ip: string; podName?: string; nodeName?: string}>;
	notReadyCount: number;
};

export type ExecRequest = {namespace: string; pod: string; container?: string; command: string[]};

export type ExecAnswer = {stdout: string; stderr: string; exitCode: number};

export type HttpAnswer = {status: number; body: string};

export type ServiceProxyRequest = {namespace: string; service: string; port?: string; path: string};

export interface ProbeTransport {
	/** List the Endpoints of a namespace. */
	listEndpoints(namespace: string, signal: AbortSignal): Promise<EndpointsSummary[]>;
	/** Run a command in a container through pods/exec; resolves with its exit code (from the status channel). */
	exec(request: ExecRequest, signal: AbortSignal): Promise<ExecAnswer>;
	/** GET through the API server's service proxy; any HTTP status resolves (the app's 500 is an answer). */
	proxyGet(request: ServiceProxyRequest, signal: AbortSignal): Promise<HttpAnswer>;
	/** GET an API path (e.g. the metrics API); any HTTP status resolves. */
	get(path: string, signal: AbortSignal): Promise<HttpAnswer>;
}

/**
 * What went wrong on the way, as opposed to an answer:
 * unreachable — connection refused/reset, the API server is away;
 * forbidden — 403 from RBAC; unauthorized — 401; not-found — 404 for the object asked about;
 * aborted — the signal fired; kubelet — the API server answered but could not reach the pod's
 * kubelet (an exec refused with 5xx: "error dialing backend", the kubelet stopped);
 * error — anything else (unexpected status, protocol trouble).
 */
export type TransportFailure = 'unreachable' | 'forbidden' | 'unauthorized' | 'not-found' | 'aborted' | 'kubelet' | 'error';

export class ProbeTransportError extends Error {
	constructor(
		readonly failure: TransportFailure,
		message: string,
	) {
		super(message);
	}
}
