// The simulated cluster's API server: node:http speaking enough of the Kubernetes API
// (discovery, CRUD, watch, Tables, exec, service proxy, metrics) that kubectl 1.32 and
// client-node cannot tell it from a real one. The world behind it (SimCluster) decides
// what every change means; this file only speaks the protocol.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createTlsServer} from 'node:https';
import type {AddressInfo, Socket} from 'node:net';
import type {Duplex} from 'node:stream';
import type {DeleteOptions, Profile, SimCluster} from '../cluster.js';
import type {DeleteRequest} from '../sim-handle.js';
import {isClusterScoped, StoreError, type KubeObject} from '../store.js';
import {
	apiGroup,
	apiGroupList,
	apiResourceList,
	apiVersions,
	authorizationResourceList,
	findResource,
	groupVersionOf,
	metricsResourceList,
	versionInfo,
	type ResourceInfo,
} from './api-resources.js';
import {tokenAuthenticator, type Authenticator} from './authenticate.js';
import {ExecEndpoint, pickProtocol, resolveExec} from './exec.js';
import {FreezeGate} from './freeze-gate.js';
import {admitPodSecurity, forbidAuthorizer, type AccessRequest, type Authorizer} from './forbid.js';
import {nodeMetricsList, nodeMetricsOne, podMetricsList, podMetricsOne} from './metrics.js';
import {openApiV3Document, openApiV3Index} from './openapi.js';
import {jsonPatch, mergePatch} from './patch.js';
import {decodeAccessReviewSpec} from './protobuf.js';
import {listOptions, queryBool, queryInt, type ListOptions} from './query.js';
import {buildMatcher, pinnedName} from './selectors.js';
import {ApiError, failureStatus, successStatus, toApiError} from './status.js';
import {SortedIndex} from './sorted-index.js';
import {toTable} from './tables.js';
import {serveWatch} from './watch.js';

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

type ResourceRoute = {
	info: ResourceInfo;
	namespace?: string;
	name?: string;
	subresource?: string;
	/** Raw (still percent-encoded) path segments after the subresource, for proxies. */
	rest: string[];
	watchPrefix: boolean;
};

const maxBodyBytes = 8 * 1024 * 1024;

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
	private readonly sorted: SortedIndex;
	private readonly authorize: Authorizer;
	private readonly authenticate: Authenticator;
	private readonly scheme: 'http' | 'https';
	private readonly cluster: SimCluster;
	private readonly profile: Profile;
	readonly host: string;
	/** Every DELETE received, before any check: a refused one is recorded too. */
	readonly deletes: DeleteRequest[] = [];
	private boundPort: number;
	/**
	 * Whether metrics.k8s.io is an API of this cluster: only when it ships metrics-server (its
	 * Service exists at start), as a real cluster registers the APIService with the add-on.
	 * While registered, a metrics-server without ready pods makes it answer 503.
	 */
	private readonly metricsRegistered: boolean;

	constructor(options: SimServerOptions) {
		this.cluster = options.cluster;
		this.profile = options.profile ?? 'gke-1.11';
		this.host = options.host ?? '127.0.0.1';
		this.boundPort = options.port ?? 0;
		this.authorize = forbidAuthorizer(options.forbid);
		this.authenticate = tokenAuthenticator(options.token);
		this.scheme = options.tls ? 'https' : 'http';
		this.metricsRegistered = this.cluster.store.get('services', 'kube-system', 'metrics-server') !== undefined;
		this.exec = new ExecEndpoint(this.cluster, this.gate);
		this.sorted = new SortedIndex(this.cluster.store);
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
				this.fail(response, toApiError(error));
				return;
			}

			if (this.control?.(request.method ?? 'GET', new URL(request.url ?? '/', 'http://sim').pathname, response)) {
				return;
			}

			this.gate.pass(() => {
				// A client that gave up while the server was frozen is not answered, and what it
				// asked for (a DELETE) is not done behind its back.
				if (request.socket.destroyed) {
					return;
				}

				this.handle(request, response).catch(error => this.fail(response, toApiError(error)));
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
					this.handleUpgrade(request, socket, head);
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
		this.sorted.close();
	}

	// ---- plain HTTP -------------------------------------------------------------------

	/** Every DELETE received goes on the record, refused or not: what "nothing deleted" is asserted on. */
	private recordDelete(request: IncomingMessage): void {
		if (request.method !== 'DELETE') {
			return;
		}

		const path = new URL(request.url ?? '/', 'http://sim').pathname;
		this.deletes.push({method: 'DELETE', path, namespace: /^\/apis?\/(?:[^/]+\/)?v1\/namespaces\/([^/]+)\//.exec(path + '/')?.[1], at: Date.now()});
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		this.recordDelete(request);
		const url = new URL(request.url ?? '/', 'http://sim');
		const method = request.method ?? 'GET';
		const rawSegments = url.pathname.split('/').filter(Boolean);
		let segments: string[];
		try {
			segments = rawSegments.map(segment => decodeURIComponent(segment));
		} catch {
			throw new ApiError(400, `the request path ${url.pathname} is not validly percent-encoded`);
		}

		const path = '/' + segments.join('/');

		switch (path) {
			case '/version': {
				return this.sendJson(response, 200, versionInfo(this.profile));
			}

			case '/healthz':
			case '/livez':
			case '/readyz': {
				response.writeHead(200, {'Content-Type': 'text/plain; charset=utf-8'});
				response.end('ok');
				return;
			}

			case '/api': {
				return this.sendJson(response, 200, apiVersions(`${this.host}:${this.boundPort}`));
			}

			case '/apis': {
				return this.sendJson(response, 200, apiGroupList(this.metricsRegistered));
			}

			case '/api/v1': {
				return this.sendJson(response, 200, apiResourceList(''));
			}

			case '/apis/apps/v1': {
				return this.sendJson(response, 200, apiResourceList('apps'));
			}

			case '/apis/authorization.k8s.io/v1': {
				return this.sendJson(response, 200, authorizationResourceList());
			}

			case '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews': {
				if (method !== 'POST') {
					throw methodNotAllowed();
				}

				// RBAC can refuse the review itself (--forbid create:selfsubjectaccessreviews).
				this.authorize({verb: 'create', resource: 'selfsubjectaccessreviews', group: 'authorization.k8s.io'});
				// kubectl posts it as protobuf; client-node as JSON. The answer is JSON either way.
				const protobuf = (request.headers['content-type'] ?? '').startsWith('application/vnd.kubernetes.protobuf');
				const review = protobuf ? {spec: decodeAccessReviewSpec(await readBytes(request))} : await readJson(request);
				return this.sendJson(response, 201, this.accessReview(review));
			}

			default: {
				break;
			}
		}

		if (segments[0] === 'openapi' && segments[1] === 'v3') {
			const document = segments.length === 2 ? openApiV3Index() : openApiV3Document(segments.slice(2).join('/'));
			if (document) {
				return this.sendJson(response, 200, document);
			}
		}

		if (segments[0] === 'apis' && segments.length === 2) {
			const group = apiGroup(segments[1], this.metricsRegistered);
			if (group) {
				return this.sendJson(response, 200, group);
			}
		}

		if (segments[0] === 'apis' && segments[1] === 'metrics.k8s.io' && this.metricsRegistered) {
			return this.handleMetrics(segments.slice(2), url, response);
		}

		let route: ResourceRoute | undefined;
		if (segments[0] === 'api' && segments[1] === 'v1') {
			route = this.route('', segments.slice(2), rawSegments.slice(2));
		} else if (segments[0] === 'apis' && segments[1] === 'apps' && segments[2] === 'v1') {
			route = this.route('apps', segments.slice(3), rawSegments.slice(3));
		}

		if (!route) {
			throw new ApiError(404, 'the server could not find the requested resource', 'NotFound');
		}

		if (route.info.resource === 'endpoints' && this.profile === 'kind') {
			// A 1.33 server says this on every v1 Endpoints request; kubectl prints it.
			response.setHeader('Warning', '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"');
		}

		await this.handleResource(route, method, url, request, response);
	}

	private route(group: '' | 'apps', segments: string[], raw: string[]): ResourceRoute | undefined {
		let watchPrefix = false;
		if (segments[0] === 'watch') {
			watchPrefix = true;
			segments = segments.slice(1);
			raw = raw.slice(1);
		}

		if (segments[0] === 'namespaces' && segments.length >= 3) {
			const inner = findResource(group, segments[2]);
			if (inner?.namespaced) {
				return {info: inner, namespace: segments[1], name: segments[3], subresource: segments[4], rest: raw.slice(5), watchPrefix};
			}
		}

		const info = findResource(group, segments[0] ?? '');
		if (!info) {
			return undefined;
		}

		return {info, name: segments[1], subresource: segments[2], rest: raw.slice(3), watchPrefix};
	}

	/** A SelfSubjectAccessReview answered from the --forbid rules (everything else is allowed). */
	private accessReview(body: unknown): unknown {
		const review = (body ?? {}) as {spec?: {resourceAttributes?: Record<string, string>; nonResourceAttributes?: Record<string, string>}};
		const attributes = review.spec?.resourceAttributes;
		let allowed = true;
		if (attributes) {
			try {
				this.authorize({
					verb: attributes.verb ?? '',
					resource: attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource ?? '',
					group: attributes.group ?? '',
					namespace: attributes.namespace || undefined,
					name: attributes.name || undefined,
				});
			} catch {
				allowed = false;
			}
		}

		return {
			kind: 'SelfSubjectAccessReview',
			apiVersion: 'authorization.k8s.io/v1',
			metadata: {creationTimestamp: null},
			spec: review.spec ?? {},
			// RBAC gives no reason for a denial, so kubectl prints a bare "no".
			status: {allowed},
		};
	}

	private async handleResource(route: ResourceRoute, method: string, url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
		const {info, namespace, name, subresource} = route;
		const resource = info.resource;
		const query = url.searchParams;
		const target = {name, group: info.group, kind: resource};
		const access = (verb: string, sub = subresource): AccessRequest => ({
			verb,
			resource: sub ? `${resource}/${sub}` : resource,
			group: info.group,
			namespace: info.namespaced ? namespace : undefined,
			name,
		});

		if (info.namespaced && namespace === undefined && name !== undefined) {
			throw new ApiError(404, 'the server could not find the requested resource', 'NotFound');
		}

		if (name === undefined) {
			if (method === 'GET') {
				const options = listOptions(query);
				const watching = route.watchPrefix || options.watch;
				this.authorize(access(watching ? 'watch' : 'list'));
				return watching ? this.watch(info, namespace, options, request, response) : this.list(info, namespace, options, request, response);
			}

			if (method === 'POST') {
				this.authorize(access('create'));
				return this.create(info, namespace, request, response);
			}

			throw methodNotAllowed();
		}

		if (subresource === 'proxy' && resource === 'services') {
			return this.proxyService(route, method, url, request, response);
		}

		if (subresource === 'log' && resource === 'pods') {
			this.authorize(access('get'));
			return this.podLog(namespace!, name, query, response);
		}

		if (subresource === 'exec' && resource === 'pods') {
			// A plain HTTP request to exec (no WebSocket upgrade): real servers answer 400 too.
			this.authorize(access('create'));
			throw new ApiError(400, 'Upgrade request required');
		}

		if (subresource !== undefined && subresource !== 'status' && !(subresource === 'scale' && resource === 'deployments')) {
			throw new ApiError(404, 'the server could not find the requested resource', 'NotFound');
		}

		if (route.rest.length > 0) {
			throw new ApiError(404, 'the server could not find the requested resource', 'NotFound');
		}

		const scale = subresource === 'scale';
		switch (method) {
			case 'GET': {
				this.authorize(access('get'));
				const object = this.cluster.store.get(resource, namespace, name);
				if (!object) {
					throw notFound(info, name);
				}

				if (scale) {
					return this.sendJson(response, 200, toScale(object));
				}

				const table = tableRequest(request);
				if (table) {
					return this.sendJson(response, 200, toTable(resource, [object], object.metadata.resourceVersion ?? '', this.cluster.clock.now(), table.full));
				}

				return this.sendJson(response, 200, object);
			}

			case 'PUT': {
				this.authorize(access('update'));
				const body = await readJson(request);
				const current = this.cluster.store.get(resource, namespace, name);
				if (!current) {
					throw notFound(info, name);
				}

				if (scale) {
					const replicas = (body as any)?.spec?.replicas;
					const updated = this.replace(info, namespace, name, {...current, spec: {...current.spec, replicas}});
					return this.sendJson(response, 200, toScale(updated));
				}

				const object = body as KubeObject;
				if (!object?.metadata) {
					throw new ApiError(400, 'the body of the request was in an unknown format - accepted media types include: application/json');
				}

				if (object.metadata.name !== undefined && object.metadata.name !== name) {
					throw new ApiError(400, `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
				}

				if (object.metadata.resourceVersion && object.metadata.resourceVersion !== current.metadata.resourceVersion) {
					throw conflict(info, name);
				}

				const merged = subresource === 'status' ? {...current, status: object.status} : {...object, metadata: {...object.metadata, name}};
				return this.sendJson(response, 200, this.replace(info, namespace, name, merged as KubeObject));
			}

			case 'PATCH': {
				this.authorize(access('patch'));
				const current = this.cluster.store.get(resource, namespace, name);
				if (!current) {
					throw notFound(info, name);
				}

				const patch = await readJson(request);
				const type = (request.headers['content-type'] ?? '').split(';')[0].trim();
				const base = scale ? toScale(current) : current;
				let patched: unknown;
				switch (type) {
					case 'application/merge-patch+json':
					case 'application/strategic-merge-patch+json': {
						patched = mergePatch(base, patch);
						break;
					}

					case 'application/json-patch+json': {
						patched = jsonPatch(base, patch);
						break;
					}

					default: {
						throw new ApiError(415, `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`, 'UnsupportedMediaType');
					}
				}

				const patchedObject = patched as KubeObject;
				const version = (patch as any)?.metadata?.resourceVersion;
				if (version && version !== current.metadata.resourceVersion) {
					throw conflict(info, name);
				}

				if (scale) {
					const updated = this.replace(info, namespace, name, {...current, spec: {...current.spec, replicas: (patchedObject as any)?.spec?.replicas}});
					return this.sendJson(response, 200, toScale(updated));
				}

				const next = subresource === 'status' ? {...current, status: patchedObject.status} : {...patchedObject, metadata: {...patchedObject.metadata, name}};
				return this.sendJson(response, 200, this.replace(info, namespace, name, next as KubeObject));
			}

			case 'DELETE': {
				if (subresource) {
					throw methodNotAllowed();
				}

				this.authorize(access('delete'));
				const options = await deleteOptions(request, url.searchParams);
				let result;
				try {
					result = this.cluster.delete(resource, namespace, name, options);
				} catch (error) {
					throw toApiError(error, target);
				}

				if (result.kind === 'object') {
					return this.sendJson(response, 200, result.object);
				}

				return this.sendJson(response, 200, successStatus(result.details));
			}

			default: {
				throw methodNotAllowed();
			}
		}
	}

	private replace(info: ResourceInfo, namespace: string | undefined, name: string, object: KubeObject): KubeObject {
		try {
			return this.cluster.replace(info.resource, namespace, name, object);
		} catch (error) {
			throw toApiError(error, {name, group: info.group, kind: info.resource});
		}
	}

	private list(info: ResourceInfo, namespace: string | undefined, options: ListOptions, request: IncomingMessage, response: ServerResponse): void {
		const resource = info.resource;
		const scopedNamespace = isClusterScoped(resource) ? undefined : namespace;
		const {labelSelector, fieldSelector} = options;
		const matcher = buildMatcher(resource, scopedNamespace, labelSelector, fieldSelector);
		// A negative limit, like 0, is no limit.
		const limit = Math.max(0, options.limit);
		const token = parseContinue(options.continue);
		const requestedVersion = options.resourceVersion ?? '';
		if (token && requestedVersion !== '' && requestedVersion !== '0') {
			throw new ApiError(400, 'specifying resource version is not allowed when using continue');
		}

		// Every page of a list is read at the first page's resourceVersion (a token of -1, given
		// out with a 410, reads the current state from where the expired one stopped).
		const snapshot = token && token.rv > 0 ? token.rv : undefined;
		const resourceVersion = String(snapshot ?? this.cluster.store.resourceVersion);
		const metadata: ListMeta = {resourceVersion};
		let items: KubeObject[];
		const pinned = pinnedName(resource, fieldSelector);
		if (pinned !== undefined && !token && (scopedNamespace !== undefined || isClusterScoped(resource))) {
			const one = this.cluster.store.get(resource, scopedNamespace, pinned);
			items = one && matcher(one) ? [one] : [];
		} else {
			let page;
			try {
				page = this.sorted.page(resource, scopedNamespace, token?.start, limit, matcher, snapshot);
			} catch (error) {
				if (error instanceof StoreError && error.code === 410) {
					return this.sendJson(response, 410, {...continueExpired(), metadata: {continue: encodeContinue(-1, token!.start)}});
				}

				throw error;
			}

			items = page.items;
			if (page.continueAfter !== undefined) {
				// etcd's next key: the smallest key after the last one.
				metadata.continue = encodeContinue(Number(resourceVersion), page.continueAfter + '\u0000');
				if (!labelSelector && !fieldSelector) {
					metadata.remainingItemCount = page.remaining;
				}
			}
		}

		const table = tableRequest(request);
		if (table) {
			const rendered = toTable(resource, items, resourceVersion, this.cluster.clock.now(), table.full);
			return this.sendJson(response, 200, {...rendered, metadata});
		}

		this.sendJson(response, 200, {kind: info.listKind, apiVersion: groupVersionOf(info), metadata, items});
	}

	private watch(info: ResourceInfo, namespace: string | undefined, options: ListOptions, request: IncomingMessage, response: ServerResponse): void {
		const {labelSelector, fieldSelector} = options;
		const scopedNamespace = isClusterScoped(info.resource) ? undefined : namespace;
		const matcher = buildMatcher(info.resource, scopedNamespace, labelSelector, fieldSelector);
		const table = tableRequest(request);
		const clock = this.cluster.clock;
		const finish = serveWatch(
			{
				store: this.cluster.store,
				resource: info.resource,
				kind: info.kind,
				apiVersion: groupVersionOf(info),
				matcher,
				namespace: scopedNamespace,
				selective: Boolean(labelSelector?.trim() || fieldSelector?.trim()),
				resourceVersion: options.resourceVersion,
				timeoutSeconds: options.timeoutSeconds,
				allowBookmarks: options.allowWatchBookmarks,
				table: table ? (object, resourceVersion, first) => toTable(info.resource, [object], resourceVersion, clock.now(), table.full, first) : undefined,
				pass: fn => this.gate.pass(fn),
			},
			response,
		);
		if (finish) {
			this.watches.add(finish);
			response.on('close', () => this.watches.delete(finish));
		}
	}

	/** End every open watch cleanly, as an API server does when it restarts: clients re-watch from their resourceVersion. */
	endWatches(): void {
		for (const finish of this.watches) {
			finish();
		}

		this.watches.clear();
	}

	private async create(info: ResourceInfo, namespace: string | undefined, request: IncomingMessage, response: ServerResponse): Promise<void> {
		if (info.namespaced && namespace === undefined) {
			throw methodNotAllowed();
		}

		const body = (await readJson(request)) as KubeObject;
		if (!body || typeof body !== 'object' || typeof body.metadata !== 'object') {
			throw new ApiError(400, 'the body of the request was in an unknown format - accepted media types include: application/json');
		}

		if (body.kind && body.kind !== info.kind) {
			throw new ApiError(400, `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${groupVersionOf(info)})`);
		}

		if (info.resource === 'pods') {
			// `--forbid create:pods/privileged`: Pod Security admission at level baseline.
			admitPodSecurity(this.authorize, body, namespace);
		}

		if (info.namespaced) {
			if (body.metadata.namespace && body.metadata.namespace !== namespace) {
				throw new ApiError(400, 'the namespace of the provided object does not match the namespace sent on the request');
			}

			body.metadata.namespace = namespace;
			if (!this.cluster.store.get('namespaces', undefined, namespace!)) {
				throw new ApiError(404, `namespaces "${namespace}" not found`, 'NotFound', {name: namespace, kind: 'namespaces'});
			}
		}

		body.apiVersion = groupVersionOf(info);
		body.kind = info.kind;
		let created: KubeObject;
		try {
			created = this.cluster.create(info.resource, body);
		} catch (error) {
			throw toApiError(error, {name: body.metadata.name, group: info.group, kind: info.resource});
		}

		this.sendJson(response, 201, created);
	}

	private async proxyService(route: ResourceRoute, method: string, url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
		const namespace = route.namespace!;
		const verb = {GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete'}[method] ?? 'get';
		// `[https:]NAME[:PORT]`.
		const parts = route.name!.split(':');
		let service: string;
		let port: string | undefined;
		if (parts.length >= 3) {
			[, service, port] = parts;
		} else if (parts.length === 2 && (parts[0] === 'http' || parts[0] === 'https')) {
			service = parts[1];
		} else {
			[service, port] = parts;
		}

		this.authorize({verb, resource: 'services/proxy', group: '', namespace, name: route.name});
		// Drain any body: the simulated backends do not read it.
		await readBody(request);
		const pathAndQuery = '/' + route.rest.join('/') + (url.pathname.endsWith('/') && route.rest.length > 0 ? '/' : '') + url.search;
		let result;
		try {
			result = await this.cluster.proxyService(namespace, service, port || undefined, pathAndQuery);
		} catch (error) {
			throw toApiError(error, {name: service, kind: 'services'});
		}

		this.answer(response, () => {
			response.writeHead(result.status, {'Content-Type': result.contentType, 'Content-Length': Buffer.byteLength(result.body)});
			response.end(method === 'HEAD' ? undefined : result.body);
		});
	}

	private podLog(namespace: string, name: string, query: URLSearchParams, response: ServerResponse): void {
		const pod = this.cluster.store.get('pods', namespace, name);
		if (!pod) {
			throw new ApiError(404, `pods "${name}" not found`, 'NotFound', {name, kind: 'pods'});
		}

		const containers: string[] = (pod.spec?.containers ?? []).map((container: {name: string}) => container.name);
		const container = query.get('container') ?? (containers.length === 1 ? containers[0] : undefined);
		if (!container) {
			throw new ApiError(400, `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
		}

		if (!containers.includes(container)) {
			throw new ApiError(400, `container ${container} is not valid for pod ${name}`);
		}

		// Logs come from the node's kubelet: with it stopped, the API server cannot reach them.
		const unreachable = this.cluster.kubeletUnreachable(pod.spec?.nodeName);
		if (unreachable) {
			const address = unreachable.match(/tcp (\S+):10250/)?.[1] ?? '';
			throw new ApiError(500, `Get "https://${address}:10250/containerLogs/${namespace}/${name}/${container}": dial tcp ${address}:10250: connect: connection refused`, '');
		}

		const status = (pod.status?.containerStatuses ?? []).find((entry: {name: string}) => entry.name === container);
		const previous = queryBool(query, 'previous');
		const startedAt: string | undefined = previous ? status?.lastState?.terminated?.startedAt : status?.state?.running?.startedAt ?? status?.state?.terminated?.startedAt;
		if (!startedAt) {
			throw previous
				? new ApiError(400, `previous terminated container "${container}" in pod "${name}" not found`)
				: new ApiError(400, `container "${container}" in pod "${name}" is waiting to start: ${status?.state?.waiting?.reason ?? 'ContainerCreating'}`);
		}

		const start = Date.parse(startedAt);
		const stamp = (offsetMs: number) => {
			const date = new Date(start + offsetMs);
			const pad = (value: number, width = 2) => String(value).padStart(width, '0');
			return `I${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}000       1`;
		};

		const lines = [
			`${stamp(0)} main.go:74] Starting ${container} (pod ${namespace}/${name})`,
			`${stamp(120)} main.go:91] Configuration loaded`,
			`${stamp(480)} server.go:212] Serving`,
		];
		if (previous) {
			lines.push(`${stamp(600)} main.go:120] Received signal terminated, shutting down`);
		}

		const tail = queryInt(query, 'tailLines');
		const shown = tail === undefined ? lines : lines.slice(-Math.max(0, tail));
		const text = shown.map(line => line + '\n').join('');
		if (!queryBool(query, 'follow') || previous) {
			response.writeHead(200, {'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text)});
			response.end(text);
			return;
		}

		// `kubectl logs -f`: the stream stays open while this container instance runs (the
		// simulated programs print nothing more), and ends when it stops or the pod goes.
		response.writeHead(200, {'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked'});
		response.write(text);
		const uid = pod.metadata.uid;
		const unsubscribe = this.cluster.store.subscribe(event => {
			if (event.resource !== 'pods' || event.object.metadata.uid !== uid) {
				return;
			}

			const now = (event.object.status?.containerStatuses ?? []).find((entry: {name: string}) => entry.name === container);
			if (event.type === 'DELETED' || now?.state?.running?.startedAt !== startedAt) {
				unsubscribe();
				this.answer(response, () => response.end());
			}
		});
		response.on('close', unsubscribe);
	}

	private handleMetrics(segments: string[], url: URL, response: ServerResponse): void {
		if (segments.length === 0) {
			return this.sendJson(response, 200, apiGroup('metrics.k8s.io'));
		}

		if (segments[0] !== 'v1beta1') {
			throw new ApiError(404, 'the server could not find the requested resource', 'NotFound');
		}

		if (!this.cluster.metricsAvailable()) {
			throw new ApiError(503, 'the server is currently unable to handle the request', 'ServiceUnavailable', {
				causes: [{reason: 'UnexpectedServerResponse', message: 'service unavailable'}],
			});
		}

		const rest = segments.slice(1);
		const store = this.cluster.store;
		const now = this.cluster.clock.now();
		const keep = (resource: 'pods' | 'nodes', namespace?: string) => buildMatcher(resource, namespace, url.searchParams.get('labelSelector') ?? undefined, url.searchParams.get('fieldSelector') ?? undefined);
		if (rest.length === 0) {
			return this.sendJson(response, 200, metricsResourceList());
		}

		if (rest[0] === 'nodes') {
			this.authorize({verb: rest[1] ? 'get' : 'list', resource: 'nodes', group: 'metrics.k8s.io', name: rest[1]});
			if (rest[1]) {
				const one = nodeMetricsOne(store, rest[1], now);
				if (!one) {
					throw new ApiError(404, `nodemetrics.metrics.k8s.io "${rest[1]}" not found`, 'NotFound', {name: rest[1], group: 'metrics.k8s.io', kind: 'nodes'});
				}

				return this.sendJson(response, 200, one);
			}

			return this.sendJson(response, 200, nodeMetricsList(store, now, keep('nodes')));
		}

		let namespace: string | undefined;
		let tail = rest;
		if (rest[0] === 'namespaces' && rest[2] === 'pods') {
			namespace = rest[1];
			tail = rest.slice(2);
		}

		if (tail[0] === 'pods') {
			this.authorize({verb: tail[1] ? 'get' : 'list', resource: 'pods', group: 'metrics.k8s.io', namespace, name: tail[1]});
			if (tail[1] && namespace) {
				const one = podMetricsOne(store, namespace, tail[1], now);
				if (!one) {
					throw new ApiError(404, `podmetrics.metrics.k8s.io "${namespace}/${tail[1]}" not found`, 'NotFound', {name: tail[1], group: 'metrics.k8s.io', kind: 'pods'});
				}

				return this.sendJson(response, 200, one);
			}

			return this.sendJson(response, 200, podMetricsList(store, namespace, now, keep('pods', namespace)));
		}

		throw new ApiError(404, 'the server could not find the requested resource', 'NotFound');
	}

	// ---- WebSocket upgrades (exec) ----------------------------------------------------------

	private handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		try {
			this.authenticate(request);
			const url = new URL(request.url ?? '/', 'http://sim');
			const segments = url.pathname.split('/').filter(Boolean).map(segment => decodeURIComponent(segment));
			const match = segments.length === 7 && segments[0] === 'api' && segments[1] === 'v1' && segments[2] === 'namespaces' && segments[4] === 'pods';
			if (!match || (segments[6] !== 'exec' && segments[6] !== 'attach')) {
				throw new ApiError(404, 'the server could not find the requested resource', 'NotFound');
			}

			const [, , , namespace, , pod, subresource] = segments;
			this.authorize({verb: 'create', resource: `pods/${subresource}`, group: '', namespace, name: pod});
			if (subresource === 'attach') {
				throw new ApiError(400, 'the simulated cluster does not support attach; use exec');
			}

			// Validate first, so that a bad pod or container reads the same over SPDY (kubectl's
			// fallback after a failed WebSocket upgrade) as over WebSocket.
			const exec = resolveExec(this.cluster, namespace, pod, url.searchParams);
			if ((request.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
				throw new ApiError(400, 'the simulated cluster speaks exec over WebSocket only (SPDY is not supported)');
			}

			const offered = new Set(String(request.headers['sec-websocket-protocol'] ?? '').split(',').map(value => value.trim()).filter(Boolean));
			if (!pickProtocol(offered)) {
				throw new ApiError(400, `unable to upgrade: no supported channel protocol among [${[...offered].join(', ')}]`);
			}

			this.exec.upgrade(request, socket, head, exec);
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

	// ---- replies -------------------------------------------------------------------------------

	private sendJson(response: ServerResponse, code: number, body: unknown): void {
		const text = JSON.stringify(body);
		this.answer(response, () => {
			response.writeHead(code, {
				'Content-Type': 'application/json',
				'Content-Length': Buffer.byteLength(text),
				'Cache-Control': 'no-cache, private',
			});
			response.end(text);
		});
	}

	/** Write to a client now, or when thawed; never to one that has gone. */
	private answer(response: ServerResponse, write: () => void): void {
		this.gate.pass(() => {
			if (!response.destroyed) {
				write();
			}
		});
	}

	private fail(response: ServerResponse, error: ApiError): void {
		if (response.headersSent) {
			this.answer(response, () => response.destroy());
			return;
		}

		this.sendJson(response, error.code, error.toStatus());
	}
}

function statusText(code: number): string {
	return {400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error'}[code] ?? 'Error';
}

function methodNotAllowed(): ApiError {
	return new ApiError(405, 'the server does not allow this method on the requested resource', 'MethodNotAllowed');
}

function notFound(info: ResourceInfo, name: string): ApiError {
	const groupResource = info.group ? `${info.resource}.${info.group}` : info.resource;
	return new ApiError(404, `${groupResource} "${name}" not found`, 'NotFound', {name, ...(info.group ? {group: info.group} : {}), kind: info.resource});
}

function conflict(info: ResourceInfo, name: string): ApiError {
	const groupResource = info.group ? `${info.resource}.${info.group}` : info.resource;
	return new ApiError(
		409,
		`Operation cannot be fulfilled on ${groupResource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
		'Conflict',
		{name, ...(info.group ? {group: info.group} : {}), kind: info.resource},
	);
}

/** `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (kubectl get) → a Table answer. */
function tableRequest(request: IncomingMessage): {full: boolean} | undefined {
	const accept = request.headers.accept ?? '';
	if (!/as=Table/.test(accept) || !/g=meta\.k8s\.io/.test(accept)) {
		return undefined;
	}

	const url = new URL(request.url ?? '/', 'http://sim');
	return {full: url.searchParams.get('includeObject') === 'Object'};
}

function toScale(object: KubeObject): KubeObject {
	const selector = object.spec?.selector?.matchLabels ?? {};
	return {
		kind: 'Scale',
		apiVersion: 'autoscaling/v1',
		metadata: {
			name: object.metadata.name,
			namespace: object.metadata.namespace,
			uid: object.metadata.uid,
			resourceVersion: object.metadata.resourceVersion,
			creationTimestamp: object.metadata.creationTimestamp,
		},
		spec: {replicas: object.spec?.replicas ?? 0},
		status: {
			replicas: object.status?.replicas ?? 0,
			selector: Object.keys(selector).sort().map(key => `${key}=${selector[key]}`).join(','),
		},
	};
}

type ListMeta = {resourceVersion: string; continue?: string; remainingItemCount?: number};

type ContinueToken = {rv: number; start: string};

/** The real server's token: base64url of {"v":"meta.k8s.io/v1","rv":…,"start":…}, start being the next key to read. */
function encodeContinue(rv: number, start: string): string {
	return Buffer.from(JSON.stringify({v: 'meta.k8s.io/v1', rv, start})).toString('base64url');
}

function parseContinue(token: string | undefined): ContinueToken | undefined {
	if (!token) {
		return undefined;
	}

	let parsed: {v?: unknown; rv?: unknown; start?: unknown};
	try {
		parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
	} catch {
		throw new ApiError(400, 'continue key is not valid: the token is not base64url-encoded JSON');
	}

	if (parsed?.v !== 'meta.k8s.io/v1') {
		throw new ApiError(400, `continue key is not valid: server does not recognize this encoded version ${String(parsed?.v)}`);
	}

	if (typeof parsed.rv !== 'number' || parsed.rv === 0) {
		throw new ApiError(400, 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
	}

	if (typeof parsed.start !== 'string' || parsed.start === '') {
		throw new ApiError(400, 'continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
	}

	return {rv: parsed.rv, start: parsed.start};
}

/** etcd has compacted the snapshot a continue token reads: the real server's 410, worded as it words it. */
function continueExpired() {
	return failureStatus(
		410,
		'Expired',
		'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
	);
}

async function readBody(request: IncomingMessage): Promise<string> {
	return (await readBytes(request)).toString('utf8');
}

async function readBytes(request: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		size += (chunk as Buffer).length;
		if (size > maxBodyBytes) {
			throw new ApiError(413, 'request entity too large', 'RequestEntityTooLarge');
		}

		chunks.push(chunk as Buffer);
	}

	return Buffer.concat(chunks);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
	const text = await readBody(request);
	if (!text.trim()) {
		return undefined;
	}

	try {
		return JSON.parse(text);
	} catch {
		throw new ApiError(400, 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
	}
}

/**
 * DeleteOptions from the body (kubectl) or, when there is no body, from the query
 * (client-node), as the API server reads them. A negative grace period means 1 second.
 */
async function deleteOptions(request: IncomingMessage, query: URLSearchParams): Promise<DeleteOptions> {
	const body = (await readJson(request)) as Record<string, unknown> | undefined;
	let grace: number | undefined;
	let policy: unknown;
	let orphan: boolean;
	if (body === undefined) {
		grace = queryInt(query, 'gracePeriodSeconds');
		policy = query.get('propagationPolicy') ?? undefined;
		orphan = queryBool(query, 'orphanDependents');
	} else {
		if (body.gracePeriodSeconds !== undefined && body.gracePeriodSeconds !== null) {
			if (!Number.isInteger(body.gracePeriodSeconds)) {
				throw new ApiError(400, `invalid gracePeriodSeconds: ${JSON.stringify(body.gracePeriodSeconds)}`);
			}

			grace = body.gracePeriodSeconds as number;
		}

		policy = body.propagationPolicy ?? undefined;
		orphan = body.orphanDependents === true;
	}

	const options: DeleteOptions = {};
	if (grace !== undefined) {
		options.gracePeriodSeconds = grace < 0 ? 1 : grace;
	}

	if (!policy && orphan) {
		policy = 'Orphan';
	}

	if (policy !== undefined && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
		throw new ApiError(400, `propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Orphan", "Background", "Foreground"`);
	}

	if (policy) {
		options.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
	}

	return options;
}

