// Loading a kubeconfig, with one clear sentence for each way it can be wrong.
import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {KubeConfig} from '@kubernetes/client-node';

export class ConnectError extends Error {}

export type Connection = {
	kubeConfig: KubeConfig;
	contextName: string;
	server: string;
	/** The context's namespace, if it names one. */
	contextNamespace?: string;
};

export type ConnectOptions = {
	/** --kubeconfig; else KUBECONFIG (first file of the list); else ~/.kube/config. */
	kubeconfigPath?: string;
	kubeconfigEnv?: string;
	context?: string;
};

export function kubeconfigPathFrom(options: ConnectOptions): string {
	if (options.kubeconfigPath) {
		return options.kubeconfigPath;
	}

	const fromEnv = options.kubeconfigEnv?.split(path.delimiter).find(Boolean);
	return fromEnv ?? path.join(homedir(), '.kube', 'config');
}

export function loadConnection(options: ConnectOptions): Connection {
	const file = kubeconfigPathFrom(options);
	if (!existsSync(file)) {
		throw new ConnectError(`kubeconfig ${file} does not exist (pass --kubeconfig FILE, or try --demo for the built-in simulated cluster)`);
	}

	const kubeConfig = new KubeConfig();
	try {
		if (readFileSync(file, 'utf8').trim() === '') {
			throw new ConnectError(`kubeconfig ${file} is empty (pass --kubeconfig FILE, or try --demo for the built-in simulated cluster)`);
		}

		kubeConfig.loadFromFile(file);
	} catch (error) {
		if (error instanceof ConnectError) {
			throw error;
		}

		throw new ConnectError(`kubeconfig ${file} cannot be read: ${firstLine(error)}`);
	}

	return connectionFrom(kubeConfig, options.context, file);
}

export function connectionFromString(yaml: string, context?: string): Connection {
	const kubeConfig = new KubeConfig();
	kubeConfig.loadFromString(yaml);
	return connectionFrom(kubeConfig, context, 'the kubeconfig');
}

function connectionFrom(kubeConfig: KubeConfig, context: string | undefined, source: string): Connection {
	allowPlainHttp(kubeConfig);
	if (context) {
		if (!kubeConfig.getContextObject(context)) {
			const known = kubeConfig.getContexts().map(c => c.name).join(', ') || 'none';
			throw new ConnectError(`context "${context}" is not in ${source} (contexts: ${known})`);
		}

		kubeConfig.setCurrentContext(context);
	}

	const contextName = kubeConfig.getCurrentContext();
	const contextObject = kubeConfig.getContextObject(contextName);
	if (contextName && !contextObject) {
		const known = kubeConfig.getContexts().map(c => c.name).join(', ') || 'none';
		throw new ConnectError(`current-context "${contextName}" of ${source} names no context in it (contexts: ${known}); pass --context NAME`);
	}

	if (!contextName || !contextObject) {
		throw new ConnectError(`${source} has no current context (pass --context NAME)`);
	}

	const cluster = kubeConfig.getCurrentCluster();
	if (!cluster?.server) {
		throw new ConnectError(`context "${contextName}" in ${source} names no cluster with a server address`);
	}

	return {kubeConfig, contextName, server: cluster.server, contextNamespace: contextObject.namespace};
}

/**
 * client-node 1.x refuses an http:// server unless skipTLSVerify is set, though there is no
 * TLS to verify (kubectl proxy on http://127.0.0.1:8001, the simulator). kubectl accepts such a
 * kubeconfig as it is, so we do too.
 */
function allowPlainHttp(kubeConfig: KubeConfig): void {
	if (!kubeConfig.clusters.some(cluster => cluster.server.startsWith('http://') && !cluster.skipTLSVerify)) {
		return;
	}

	kubeConfig.loadFromOptions({
		clusters: kubeConfig.clusters.map(cluster => cluster.server.startsWith('http://') ? {...cluster, skipTLSVerify: true} : cluster),
		users: kubeConfig.users,
		contexts: kubeConfig.contexts,
		currentContext: kubeConfig.currentContext,
	});
}

export function firstLine(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return text.split('\n')[0].trim();
}
