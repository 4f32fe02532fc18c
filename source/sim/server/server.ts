// The simulated cluster's API server: node:http speaking enough of the Kubernetes API
// (discovery, CRUD, watch, Tables, exec, service proxy, metrics) that kubectl 1.32 and
// client-node cannot tell it from a real one. The world behind it (SimCluster) decides
// what every change means. This file runs the server (connections, credentials, the freeze
// fault); routes.ts says which handler (handlers/) answers each request.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createTlsServer} from 'node:https';
import type {AddressInfo, Socket} from 'node:net';
import type {Duplex} from 'node:stream';
import type {Profile, SimCluster} from '../cluster.js';
import type {DeleteRequest} from '../sim-handle.js';
import {tokenAuthenticator, type Authenticator} from './authenticate.js';
import {ExecEndpoint} from './exec.js';
import {Exchange, type ApiContext} from './exchange.js';
import {FreezeGate} from './freeze-gate.js';
import {forbidAuthorizer} from './forbid.js';
import {upgradeExec} from './handlers/exec.js';
import {pathSegments, requestUrl} from './resource-request.js';
import {dispatch} from './routes.js';
import {SortedIndex} from './sorted-index.js';
import {ApiError, toApiError} from './status.js';

export type SimServerOptions = {
	cluster: SimCluster;
	profile?: Profile;
	forbid?: string[];
	host?: string;
	port?: number;
	/** Serve HTTPS with this certificate; client certificates signed by `ca` are credentials. */
	tls?: {certificate: string; key: string; ca: string};
	/** Answer 401 Unauthorized to requests with neither this bearer token nor a client certificate. */
	token?: string;
};

export class SimServer {
	private readonly server: Server;
	private readonly sockets = new Set<Socket>();
	/** Each open watch's clean ending. */
	private readonly watches = new Set<() => void>();
	/** The `freeze` fault: while frozen, nothing is answered (see freeze-gate.ts). */
	private readonly gate = new FreezeGate();
	/** The simulator's own control paths (/sim/...), answered even while frozen; set by serveCluster. */
	control?: (method: string, path: string, response: ServerResponse) => boolean;
	private readonly exec: ExecEndpoint;
	private readonly authenticate: Authenticator;
	private readonly scheme: 'http' | 'https';
	/** What every handler is given. */
	private readonly api: ApiContext;
	readonly host: string;
	/** Every DELETE received, before any check: a refused one is recorded too. */
	readonly deletes: DeleteRequest[] = [];
	private boundPort: number;

	constructor(options: SimServerOptions) {
		const {cluster} = options;
		this.host = options.host ?? '127.0.0.1';
		this.boundPort = options.port ?? 0;
		this.authenticate = tokenAuthenticator(options.token);
		this.scheme = options.tls ? 'https' : 'http';
		this.api = {
			cluster,
			profile: options.profile ?? 'gke-1.11',
			authorize: forbidAuthorizer(options.forbid),
			gate: this.gate,
			sorted: new SortedIndex(cluster.store),
			// metrics.k8s.io is an API of this cluster only when it ships metrics-server (its
			// Service exists at start), as a real cluster registers the APIService with the
			// add-on. While registered, a metrics-server without ready pods makes it answer 503.
			metricsRegistered: cluster.store.get('services', 'kube-system', 'metrics-server') !== undefined,
			address: () => `${this.host}:${this.boundPort}`,
			watches: this.watches,
		};
		this.exec = new ExecEndpoint(cluster, this.gate);
		const onRequest = (request: IncomingMessage, response: ServerResponse) => {
			// A client that resets its connection must never take the server down with it.
			request.on('error', () => {});
			response.on('error', () => {});
			// /sim/faults and /sim/truth are the simulator's own, but behind --token like the rest:
			// whoever may not talk to the cluster may not freeze it either.
			try {
				this.authenticate(request);
			} catch (error) {
				this.recordDelete(request);
				new Exchange(request, response, this.gate).fail(toApiError(error));
				return;
			}

			// A request line Node's parser accepts may still be no URL (`GET http://[bad/`): one
			// malformed request is a 400, never the simulator's end.
			const url = requestUrl(request);
			if (!url) {
				this.recordDelete(request);
				new Exchange(request, response, this.gate).fail(new ApiError(400, `the request URL ${JSON.stringify(request.url)} is not valid`));
				return;
			}

			if (this.control?.(request.method ?? 'GET', url.pathname, response)) {
				return;
			}

			this.gate.pass(() => {
				// A client that gave up while the server was frozen is not answered, and what it
				// asked for (a DELETE) is not done behind its back.
				if (request.socket.destroyed) {
					return;
				}

				const exchange = new Exchange(request, response, this.gate, url);
				this.handle(exchange).catch(error => exchange.fail(toApiError(error)));
			});
		};

		// A client certificate is asked for, not required: checked against the CA, it is one
		// credential among others (a real API server also verifies it after the handshake).
		this.server = options.tls
			? createTlsServer({cert: options.tls.certificate, key: options.tls.key, ca: options.tls.ca, requestCert: true, rejectUnauthorized: false}, onRequest)
			: createServer(onRequest);
		// Watches are long responses; nothing here should time a request out.
		this.server.requestTimeout = 0;
		this.server.headersTimeout = 60_000;
		this.server.keepAliveTimeout = 30_000;
		this.server.on('connection', socket => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		this.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
			// Node takes its own error listener off an upgraded socket: without this one, a client
			// resetting a refused exec request was an uncaught ECONNRESET that ended the simulator.
			socket.on('error', () => socket.destroy());
			this.gate.pass(() => {
				if (!socket.destroyed) {
					upgradeExec(this.api, this.authenticate, this.exec, request, socket, head);
				}
			});
		});
	}

	get port(): number {
		return this.boundPort;
	}

	get url(): string {
		const host = this.host.includes(':') ? `[${this.host}]` : this.host;
		return `${this.scheme}://${host}:${this.boundPort}`;
	}

	async listen(): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			const onError = (error: Error) => {
				this.server.off('listening', onListening);
				reject(error);
			};

			const onListening = () => {
				this.server.off('error', onError);
				resolve();
			};

			this.server.once('error', onError);
			this.server.once('listening', onListening);
			this.server.listen(this.boundPort, this.host);
		});
		this.boundPort = (this.server.address() as AddressInfo).port;
	}

	/** Stop listening and cut every open connection (watches end without a clean end). */
	async takeDown(): Promise<void> {
		if (!this.server.listening) {
			return;
		}

		const closed = new Promise<void>(resolve => {
			this.server.close(() => resolve());
		});
		this.gate.drop();
		this.exec.terminateAll();
		for (const socket of this.sockets) {
			socket.destroy();
		}

		this.sockets.clear();
		await closed;
	}

	/** Stop answering, connections kept open (see freeze-gate.ts). */
	freeze(): void {
		this.gate.freeze();
	}

	/** Answer again, first what was held while frozen. */
	thaw(): void {
		this.gate.thaw();
	}

	get frozen(): boolean {
		return this.gate.frozen;
	}

	async bringBack(): Promise<void> {
		if (!this.server.listening) {
			await this.listen();
		}
	}

	async close(): Promise<void> {
		await this.takeDown();
		this.api.sorted.close();
	}

	// ---- plain HTTP -------------------------------------------------------------------

	/** Every DELETE received goes on the record, refused or not: what "nothing deleted" is asserted on. */
	private recordDelete(request: IncomingMessage, url = requestUrl(request)): void {
		if (request.method !== 'DELETE') {
			return;
		}

		const path = url?.pathname ?? request.url ?? '/';
		this.deletes.push({method: 'DELETE', path, namespace: /^\/apis?\/(?:[^/]+\/)?v1\/namespaces\/([^/]+)\//.exec(path + '/')?.[1], at: Date.now()});
	}

	private async handle(exchange: Exchange): Promise<void> {
		this.recordDelete(exchange.request, exchange.url);
		const {segments, raw} = pathSegments(exchange.url.pathname);
		await dispatch(this.api, exchange, segments, raw);
	}

	/** End every open watch cleanly, as an API server does when it restarts: clients re-watch from their resourceVersion. */
	endWatches(): void {
		for (const finish of this.watches) {
			finish();
		}

		this.watches.clear();
	}
}
