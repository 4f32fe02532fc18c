// What every handler of the API server is given: the server's lasting parts (ApiContext)
// and one request with its response (Exchange), which reads the body and writes the answer
// through the freeze gate.
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {Profile, SimCluster} from '../cluster.js';
import type {Authorizer} from './forbid.js';
import type {FreezeGate} from './freeze-gate.js';
import type {ListOptions} from './query.js';
import type {ResourceRequest} from './resource-request.js';
import type {SortedIndex} from './sorted-index.js';
import {ApiError} from './status.js';

export type ApiContext = {
	cluster: SimCluster;
	profile: Profile;
	authorize: Authorizer;
	gate: FreezeGate;
	sorted: SortedIndex;
	/** Whether metrics.k8s.io is an API of this cluster (see SimServer). */
	metricsRegistered: boolean;
	/** `host:port` as clients reach the server (/api names it). */
	address: () => string;
	/** Each open watch's clean ending, for endWatches. */
	watches: Set<() => void>;
};

const maxBodyBytes = 8 * 1024 * 1024;

/** How much of a streamed List is written at a time. */
const listPieceLength = 64 * 1024;

export class Exchange {
	readonly method: string;
	constructor(
		readonly request: IncomingMessage,
		readonly response: ServerResponse,
		private readonly gate: FreezeGate,
		/** The request's URL, parsed once by the server (lazily here where it was not). */
		private parsedUrl?: URL,
	) {
		this.method = request.method ?? 'GET';
	}

	get url(): URL {
		this.parsedUrl ??= new URL(this.request.url ?? '/', 'http://sim');
		return this.parsedUrl;
	}

	get query(): URLSearchParams {
		return this.url.searchParams;
	}

	sendJson(code: number, body: unknown): void {
		const text = JSON.stringify(body);
		this.answer(() => {
			this.response.writeHead(code, {
				'Content-Type': 'application/json',
				'Content-Length': Buffer.byteLength(text),
				'Cache-Control': 'no-cache, private',
			});
			this.response.end(text);
		});
	}

	/**
	 * A List written item by item as it is encoded, as kube-apiserver writes lists since 1.33
	 * (streaming list encoding, KEP-5116): the client reads the first items while the rest are
	 * being encoded, and the body (72 MB at 20,000 pods) is never held whole. Written as the
	 * client takes it (a write that fills the socket waits for 'drain').
	 */
	sendList(head: {kind: string; apiVersion: string; metadata: object}, items: readonly unknown[]): void {
		this.answer(() => {
			const {response} = this;
			response.writeHead(200, {'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private'});
			let next = 0;
			let piece = JSON.stringify(head).slice(0, -1) + ',"items":[';
			const writeSome = () => {
				while (next < items.length) {
					if (response.destroyed) {
						return;
					}

					piece += (next === 0 ? '' : ',') + JSON.stringify(items[next]);
					next++;
					if (piece.length >= listPieceLength) {
						const room = response.write(piece);
						piece = '';
						if (!room) {
							// Through the gate again: a server frozen mid-list stops sending it.
							response.once('drain', () => this.answer(writeSome));
							return;
						}
					}
				}

				response.end(piece + ']}');
			};

			writeSome();
		});
	}

	/** Write to the client now, or when thawed; never to one that has gone. */
	answer(write: () => void): void {
		this.gate.pass(() => {
			if (!this.response.destroyed) {
				write();
			}
		});
	}

	fail(error: ApiError): void {
		if (this.response.headersSent) {
			this.answer(() => this.response.destroy());
			return;
		}

		this.sendJson(error.code, error.toStatus());
	}

	/** `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (kubectl get) → a Table answer. */
	tableRequest(): {full: boolean} | undefined {
		const accept = this.request.headers.accept ?? '';
		if (!/as=Table/.test(accept) || !/g=meta\.k8s\.io/.test(accept)) {
			return undefined;
		}

		return {full: this.query.get('includeObject') === 'Object'};
	}

	async readBytes(): Promise<Buffer> {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of this.request) {
			size += (chunk as Buffer).length;
			if (size > maxBodyBytes) {
				throw new ApiError(413, 'request entity too large', 'RequestEntityTooLarge');
			}

			chunks.push(chunk as Buffer);
		}

		return Buffer.concat(chunks);
	}

	async readBody(): Promise<string> {
		return (await this.readBytes()).toString('utf8');
	}

	async readJson(): Promise<unknown> {
		const text = await this.readBody();
		if (!text.trim()) {
			return undefined;
		}

		try {
			return JSON.parse(text);
		} catch {
			throw new ApiError(400, 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
		}
	}
}

/** A route's handler on a path. */
export type PathHandler = (api: ApiContext, exchange: Exchange, match: PathMatch) => void | Promise<void>;

/** What a route's path pattern matched: its `{name}` segments, and (decoded and raw) those a trailing `...` did. */
export type PathMatch = {params: Record<string, string>; rest: string[]; rawRest: string[]};

/** A route's handler on a resource, called once RBAC has allowed the request's verb. */
export type ResourceHandler = (api: ApiContext, exchange: Exchange, target: ResourceRequest, list?: ListOptions) => void | Promise<void>;
