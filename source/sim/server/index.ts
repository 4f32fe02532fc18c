// Serve a SimCluster over HTTP: the SimHandle that startSim returns, for any world (the
// real one from sim/world, or a test's own).
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
};

/** Start the API server for a started cluster; `stop()` closes the server and stops the cluster. */
export async function serveCluster(cluster: SimCluster, options: ServeOptions = {}): Promise<SimHandle> {
	const host = options.host ?? '127.0.0.1';
	const certificates = options.tls ? makeSimCertificates(host) : undefined;
	const tls = certificates && {ca: certificates.ca, clientCertificate: certificates.client.certificate, clientKey: certificates.client.key};
	const server = new SimServer({
		cluster,
		profile: options.profile,
		forbid: options.forbid,
		host,
		port: options.port,
		tls: certificates && {...certificates.server, ca: certificates.ca},
		token: options.token,
	});
	await server.listen();
	const url = server.url;
	let stopped = false;
	return {
		url,
		kubeconfig: simKubeconfig(url, {token: options.token, tls}),
		tls,
		cluster,
		deletes: server.deletes,
		faults: {
			takeDown: () => server.takeDown(),
			bringBack: () => server.bringBack(),
			expireResourceVersions() {
				cluster.store.expireHistory();
				// Open watches end cleanly, so every client re-watches from its old version now
				// and meets the 410, instead of on its next reconnect half an hour later.
				server.endWatches();
			},
		},
		async stop() {
			if (stopped) {
				return;
			}

			stopped = true;
			await server.close();
			cluster.stop();
		},
	};
}
