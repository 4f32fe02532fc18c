// Serve a SimCluster over HTTP: the SimHandle that startSim returns, for any world (the
// real one from sim/world, or a test's own).
import type {ServerResponse} from 'node:http';
import type {Profile, SimCluster} from '../cluster.js';
import type {SimHandle} from '../sim-handle.js';
import {makeSimCertificates} from './certificates.js';
import {simKubeconfig} from './kubeconfig.js';
import {SimServer} from './server.js';

export {SimServer} from './server.js';
export {simKubeconfig, simContextName} from './kubeconfig.js';

export type ServeOptions = {
	port?: number;
	host?: string;
	profile?: Profile;
	forbid?: string[];
	/** Serve HTTPS with certificates made now (the kubeconfig trusts their CA and carries a client certificate). */
	tls?: boolean;
	/** Require this bearer token (or the client certificate): anything else gets 401 Unauthorized. */
	token?: string;
	/** A new, started world for the `restart` fault (a cluster rebuilt on the same address). */
	rebuild?: () => SimCluster;
};

/** The faults `POST /sim/faults/NAME` triggers on a running simulator (take-down has no way back over HTTP). */
export const httpFaults = ['freeze', 'thaw', 'restart', 'expire'] as const;

/** Start the API server for a started cluster; `stop()` closes the server and stops the cluster. */
export async function serveCluster(cluster: SimCluster, options: ServeOptions = {}): Promise<SimHandle> {
	const host = options.host ?? '127.0.0.1';
	const certificates = options.tls ? makeSimCertificates(host) : undefined;
	const tls = certificates && {ca: certificates.ca, clientCertificate: certificates.client.certificate, clientKey: certificates.client.key};
	const serverFor = (world: SimCluster, port?: number) => {
		const created = new SimServer({
			cluster: world,
			profile: options.profile,
			forbid: options.forbid,
			host,
			port,
			tls: certificates && {...certificates.server, ca: certificates.ca},
			token: options.token,
		});
		created.control = control;
		return created;
	};

	let current = cluster;
	let server: SimServer;
	let stopped = false;
	const faults: SimHandle['faults'] = {
		takeDown: async () => server.takeDown(),
		bringBack: async () => server.bringBack(),
		expireResourceVersions() {
			current.store.expireHistory();
			// Open watches end cleanly, so every client re-watches from its old version now
			// and meets the 410, instead of on its next reconnect half an hour later.
			server.endWatches();
		},
		freeze: () => server.freeze(),
		thaw: () => server.thaw(),
		async restart() {
			if (!options.rebuild) {
				throw new Error('this simulator was started without a way to rebuild its world');
			}

			// As a process killed and started again on the same port: every connection cut,
			// then a new world (new objects, new UIDs, a resourceVersion history of its own).
			const port = server.port;
			await server.close();
			current.stop();
			current = options.rebuild();
			// A freshly started API server's watch cache begins at the current version: any older
			// one is 410 Expired, any newer one "Too large" (KEP-1904), never another history replayed.
			current.store.expireHistory();
			server = serverFor(current, port);
			await server.listen();
		},
	};

	function control(method: string, path: string, response: ServerResponse): boolean {
		if (path === '/sim/truth' && method === 'GET') {
			reply(response, 200, current.truth());
			return true;
		}

		const name = /^\/sim\/faults\/([a-z-]+)$/.exec(path)?.[1];
		if (!name) {
			return false;
		}

		if (method !== 'POST' || !(httpFaults as readonly string[]).includes(name)) {
			reply(response, 404, {message: `no such fault; POST one of /sim/faults/{${httpFaults.join(',')}}`});
			return true;
		}

		const run = async () => {
			switch (name) {
				case 'freeze': {
					faults.freeze();
					break;
				}

				case 'thaw': {
					faults.thaw();
					break;
				}

				case 'expire': {
					faults.expireResourceVersions();
					break;
				}

				default: {
					// Answer first: the restart cuts this very connection.
					reply(response, 202, {fault: name});
					await faults.restart();
					return;
				}
			}

			reply(response, 200, {fault: name});
		};

		run().catch((error: unknown) => {
			reply(response, 500, {message: error instanceof Error ? error.message : String(error)});
		});
		return true;
	}

	server = serverFor(cluster, options.port);
	await server.listen();
	const url = server.url;
	return {
		url,
		kubeconfig: simKubeconfig(url, {token: options.token, tls}),
		tls,
		/** The DELETEs the server now serving has received (a restart starts a new record). */
		get deletes() {
			return server.deletes;
		},
		get cluster() {
			return current;
		},
		faults,
		async stop() {
			if (stopped) {
				return;
			}

			stopped = true;
			await server.close();
			current.stop();
		},
	};
}

function reply(response: ServerResponse, code: number, body: unknown): void {
	if (response.headersSent || response.destroyed) {
		return;
	}

	const text = JSON.stringify(body);
	response.writeHead(code, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)});
	response.end(text);
}
