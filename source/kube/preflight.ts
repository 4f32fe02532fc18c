// Before the full-screen UI takes the terminal: can we get credentials, reach and trust the
// API server, does the namespace exist, may we list its pods? Each "no" is one sentence on
// stderr (exit 2) rather than a screen that never fills.
import {CoreApi, CoreV1Api} from '@kubernetes/client-node';
import {apiStatusCode, certificateProblem, credentialPluginProblem, describeApiError, type ExecPlugin} from './api-error.js';
import {firstLine, type Connection} from './connect.js';

export class PreflightError extends Error {}

class NoAnswer extends Error {}

export async function checkNamespaceReadable(connection: Connection, namespace: string, timeoutMs = 10_000): Promise<void> {
	const core = connection.kubeConfig.makeApiClient(CoreV1Api);
	const withTimeout = async <T>(promise: Promise<T>): Promise<T> => {
		let timer: NodeJS.Timeout | undefined;
		try {
			return await Promise.race([
				promise,
				new Promise<never>((_resolve, reject) => {
					timer = setTimeout(() => reject(new NoAnswer(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
				}),
			]);
		} finally {
			clearTimeout(timer);
		}
	};

	// Credentials first, on their own: a credential plugin that is missing or fails is then
	// named as such, not taken for an unreachable server.
	try {
		await withTimeout(connection.kubeConfig.applyToHTTPSOptions({}));
	} catch (error) {
		throw new PreflightError(noCredentials(connection, error));
	}

	// A web server that is not Kubernetes answers 404 (or a page) to everything: say that, not
	// "namespace does not exist". Every API server answers GET /api with its APIVersions.
	try {
		const versions = await withTimeout(connection.kubeConfig.makeApiClient(CoreApi).getAPIVersions());
		if (!Array.isArray(versions?.versions)) {
			throw new PreflightError(notKubernetes(connection, 'GET /api did not answer with the API versions'));
		}
	} catch (error) {
		const status = apiStatusCode(error);
		if (error instanceof PreflightError) {
			throw error;
		}

		if (status === 401) {
			throw new PreflightError(refused(connection, error));
		}

		if (status !== undefined && status !== 403) {
			throw new PreflightError(notKubernetes(connection, `GET /api answered ${status}`));
		}

		if (error instanceof SyntaxError) {
			throw new PreflightError(notKubernetes(connection, 'GET /api did not answer JSON'));
		}

		if (status === undefined) {
			throw new PreflightError(refused(connection, error));
		}
	}

	try {
		await withTimeout(core.readNamespace({name: namespace}));
	} catch (error) {
		const status = apiStatusCode(error);
		if (status === 404) {
			throw new PreflightError(`namespace "${namespace}" does not exist in context ${connection.contextName} (pass --namespace NS)`);
		}

		// Reading namespaces is often not granted to people who may list pods: then the pod list decides.
		if (status !== 403) {
			throw new PreflightError(refused(connection, error));
		}
	}

	try {
		await withTimeout(core.listNamespacedPod({namespace, limit: 1}));
	} catch (error) {
		const status = apiStatusCode(error);
		if (status === 403) {
			throw new PreflightError(`not allowed to list pods in namespace "${namespace}" as context ${connection.contextName}: ${describeApiError(error)}`);
		}

		if (status === 404) {
			throw new PreflightError(`namespace "${namespace}" does not exist in context ${connection.contextName} (pass --namespace NS)`);
		}

		throw new PreflightError(refused(connection, error));
	}
}

function userName(connection: Connection): string {
	return connection.kubeConfig.getContextObject(connection.contextName)?.user ?? '';
}

function noCredentials(connection: Connection, error: unknown): string {
	// client-node gives a plugin no deadline: one waiting for a login would hold us forever.
	const plugin = credentialPlugin(connection);
	if (plugin && error instanceof NoAnswer) {
		return `${pluginOf(connection, plugin)} gave no credential: ${error.message} (is it waiting for a login?)`;
	}

	return pluginFailure(connection, error) ?? `cannot load the credentials of user "${userName(connection)}" (context ${connection.contextName}): ${firstLine(error)}`;
}

function credentialPlugin(connection: Connection): ExecPlugin | undefined {
	const exec = connection.kubeConfig.getCurrentUser()?.exec as Partial<ExecPlugin> | undefined;
	return typeof exec?.command === 'string' ? {command: exec.command, installHint: exec.installHint} : undefined;
}

function pluginOf(connection: Connection, plugin: ExecPlugin): string {
	return `the credential plugin ${plugin.command} of user "${userName(connection)}" (context ${connection.contextName})`;
}

/** The sentence for an error from running the credential plugin, if it is one. */
function pluginFailure(connection: Connection, error: unknown): string | undefined {
	const plugin = credentialPlugin(connection);
	const problem = plugin && !(error instanceof NoAnswer) ? credentialPluginProblem(error, plugin) : undefined;
	return plugin && problem ? `${pluginOf(connection, plugin)} ${problem}` : undefined;
}

/** The server answered "who are you?" or could not be trusted, else it could not be reached. */
function refused(connection: Connection, error: unknown): string {
	const where = `the API server ${connection.server} (context ${connection.contextName})`;
	if (apiStatusCode(error) === 401) {
		return `${where} answered 401 Unauthorized: the credentials of user "${userName(connection)}" are wrong or have expired`;
	}

	const certificate = certificateProblem(error);
	if (certificate) {
		return `${where} is not trusted: its certificate ${certificate}`;
	}

	// client-node runs the plugin again for each request while it holds no unexpired credential.
	const plugin = pluginFailure(connection, error);
	if (plugin) {
		return plugin;
	}

	return `cannot reach ${where}: ${describeApiError(error)}`;
}

function notKubernetes(connection: Connection, why: string): string {
	return `${connection.server} (context ${connection.contextName}) is not a Kubernetes API server: ${why}`;
}
