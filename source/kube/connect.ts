// Loading a kubeconfig (or a KUBECONFIG list of them, merged as kubectl merges them), with
// one clear sentence for each way it can be wrong.
import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {KubeConfig, type Cluster, type Context, type User} from '@kubernetes/client-node';

export class ConnectError extends Error {}

export type Connection = {
	kubeConfig: KubeConfig;
	contextName: string;
	server: string;
	/** The context's namespace, if it names one. */
	contextNamespace?: string;
};

export type ConnectOptions = {
	/** --kubeconfig: this file only; else the KUBECONFIG list, merged; else ~/.kube/config. */
	kubeconfigPath?: string;
	kubeconfigEnv?: string;
	context?: string;
};

type KubeconfigSource = {
	/** The files to read, in order; those of a KUBECONFIG list that do not exist are skipped. */
	files: string[];
	fromEnv: boolean;
};

function kubeconfigSource(options: ConnectOptions): KubeconfigSource {
	if (options.kubeconfigPath) {
		return {files: [options.kubeconfigPath], fromEnv: false};
	}

	// kubectl reads each file of the list once, in order, skipping empty entries.
	const listed = [...new Set(options.kubeconfigEnv?.split(path.delimiter).filter(Boolean) ?? [])];
	if (listed.length > 0) {
		return {files: listed, fromEnv: true};
	}

	return {files: [path.join(homedir(), '.kube', 'config')], fromEnv: false};
}

export function loadConnection(options: ConnectOptions): Connection {
	const {files, fromEnv} = kubeconfigSource(options);
	const present = files.filter(file => existsSync(file));
	if (present.length === 0) {
		const missing = files.length === 1 ? `kubeconfig ${files[0]} does not exist` : `none of the kubeconfig files in KUBECONFIG exists (${files.join(', ')})`;
		throw new ConnectError(`${missing} (pass --kubeconfig FILE, or try --demo for the built-in simulated cluster)`);
	}

	// kubectl skips an empty file in a list; a kubeconfig that is nothing but empty files is a mistake worth naming.
	if (present.every(file => readFileSync(file, 'utf8').trim() === '')) {
		throw new ConnectError(`kubeconfig ${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} empty (pass --kubeconfig FILE, or try --demo for the built-in simulated cluster)`);
	}

	const configs = present.map(file => {
		try {
			return readKubeconfigFile(file);
		} catch (error) {
			throw new ConnectError(`kubeconfig ${file} cannot be read: ${firstLine(error)}`);
		}
	});
	const source = fromEnv && files.length > 1 ? `the kubeconfig files in KUBECONFIG (${present.join(', ')})` : `kubeconfig ${present[0]}`;
	return connectionFrom(mergeKubeconfigs(configs), options.context, source);
}

export function connectionFromString(yaml: string, context?: string): Connection {
	const kubeConfig = new KubeConfig();
	kubeConfig.loadFromString(yaml);
	return connectionFrom(mergeKubeconfigs([kubeConfig]), context, 'the kubeconfig');
}

/** One file, its relative paths (certificates, an exec plugin given as a path) resolved against its own folder, as kubectl does. */
function readKubeconfigFile(file: string): KubeConfig {
	const kubeConfig = new KubeConfig();
	// An empty file is an empty kubeconfig to kubectl: it adds nothing to the list.
	if (readFileSync(file, 'utf8').trim() === '') {
		kubeConfig.loadFromOptions({clusters: [], users: [], contexts: [], currentContext: ''});
		return kubeConfig;
	}

	kubeConfig.loadFromFile(file);
	const folder = path.dirname(path.resolve(file));
	kubeConfig.loadFromOptions({
		clusters: kubeConfig.clusters,
		contexts: kubeConfig.contexts,
		currentContext: kubeConfig.currentContext,
		users: kubeConfig.users.map(user => {
			const command = (user.exec as {command?: unknown} | undefined)?.command;
			// A bare name is looked up on PATH; only a path with a separator is relative to the file.
			return typeof command === 'string' && command.includes('/') && !path.isAbsolute(command)
				? {...user, exec: {...user.exec, command: path.resolve(folder, command)}}
				: user;
		}),
	});
	return kubeConfig;
}

/**
 * kubectl's rule for a KUBECONFIG list: the first file that sets current-context wins, and for
 * each cluster, user and context name the first definition wins, whole (later files never
 * change it). client-node's own mergeConfig lets the last current-context win and throws on a
 * name defined twice, so the merge is done here.
 *
 * client-node 1.x also refuses an http:// server unless skipTLSVerify is set, though there is no
 * TLS to verify (kubectl proxy on http://127.0.0.1:8001, the simulator). kubectl accepts such a
 * kubeconfig as it is, so we do too.
 */
function mergeKubeconfigs(configs: KubeConfig[]): KubeConfig {
	const firstByName = <T extends {name: string}>(lists: T[][]): T[] => {
		const byName = new Map<string, T>();
		for (const item of lists.flat()) {
			if (!byName.has(item.name)) {
				byName.set(item.name, item);
			}
		}

		return [...byName.values()];
	};

	const clusters: Cluster[] = firstByName(configs.map(config => config.clusters)).map(cluster =>
		cluster.server.startsWith('http://') && !cluster.skipTLSVerify ? {...cluster, skipTLSVerify: true} : cluster);
	const users: User[] = firstByName(configs.map(config => config.users));
	const contexts: Context[] = firstByName(configs.map(config => config.contexts));
	const merged = new KubeConfig();
	merged.loadFromOptions({clusters, users, contexts, currentContext: configs.map(config => config.currentContext).find(Boolean) ?? ''});
	return merged;
}

function connectionFrom(kubeConfig: KubeConfig, context: string | undefined, source: string): Connection {
	const known = () => kubeConfig.getContexts().map(c => c.name).join(', ') || 'none';
	if (context) {
		if (!kubeConfig.getContextObject(context)) {
			throw new ConnectError(`context "${context}" is not in ${source} (contexts: ${known()})`);
		}

		kubeConfig.setCurrentContext(context);
	}

	const contextName = kubeConfig.getCurrentContext();
	if (!contextName) {
		throw new ConnectError(`${source} has no current context (pass --context NAME)`);
	}

	const contextObject = kubeConfig.getContextObject(contextName);
	if (!contextObject) {
		throw new ConnectError(`the current-context "${contextName}" of ${source} names a context that is not there (contexts: ${known()}; pass --context NAME)`);
	}

	const cluster = kubeConfig.getCurrentCluster();
	if (!cluster?.server) {
		throw new ConnectError(`context "${contextName}" in ${source} names no cluster with a server address`);
	}

	return {kubeConfig, contextName, server: cluster.server, contextNamespace: contextObject.namespace};
}

export function firstLine(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return text.split('\n')[0].trim();
}
