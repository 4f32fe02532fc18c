// The simulator's library API, as `knockdown sim`, `--demo` and the tests use it.
import type {Profile, SimCluster} from './cluster.js';

export type SimOptions = {
	port?: number;
	host?: string;
	speed?: number;
	nodes?: number;
	profile?: Profile;
	/** `VERB:RESOURCE` rules answered with 403 Forbidden, e.g. `delete:pods`, `create:pods/exec`. */
	forbid?: string[];
	/** Serve HTTPS with a CA made at start; the kubeconfig trusts it and carries a client certificate it signed. */
	tls?: boolean;
	/** Answer 401 Unauthorized to any request without this bearer token or that client certificate. */
	token?: string;
};

/** One DELETE request as the API server received it (answered or refused). */
export type DeleteRequest = {method: 'DELETE'; path: string; namespace?: string; at: number};

export type SimHandle = {
	/** http://HOST:PORT, or https:// with tls */
	url: string;
	/** A kubeconfig (YAML) with context `knockdown-sim` pointing at url. */
	kubeconfig: string;
	/** With tls: the CA (certificate-authority-data) and the client certificate and key it signed, PEM. */
	tls?: {ca: string; clientCertificate: string; clientKey: string};
	/** The world being served (a new one after `faults.restart()`). */
	readonly cluster: SimCluster;
	/** Every DELETE request received, oldest first: what a test asserts "nothing deleted" on. */
	readonly deletes: readonly DeleteRequest[];
	faults: {
		/** Refuse new connections and cut open watches without a clean end (sockets destroyed). */
		takeDown(): Promise<void>;
		/** Listen again on the same port with the same world. */
		bringBack(): Promise<void>;
		/** Forget watch history: the next watch from an old resourceVersion gets 410 Expired. */
		expireResourceVersions(): void;
		/** Hang as a SIGSTOPped API server does: connections stay open, nothing is answered (the world runs on). */
		freeze(): void;
		/** Answer again, first what was held. */
		thaw(): void;
		/** A cluster rebuilt on the same address: connections cut, then a new world with a history of its own. */
		restart(): Promise<void>;
	};
	stop(): Promise<void>;
};
