// Before the full-screen UI takes the terminal: can we reach the API server, does the
// namespace exist, may we list its pods? Each "no" is one sentence on stderr (exit 2)
// rather than a screen that never fills.
import {CoreApi, CoreV1Api} from '@kubernetes/client-node';
import {apiStatusCode, describeApiError} from './api-error.js';
import type {Connection} from './connect.js';

export class PreflightError extends Error {}

export async function checkNamespaceReadable(connection: Connection, namespace: string, timeoutMs = 10_000): Promise<void> {
	const core = connection.kubeConfig.makeApiClient(CoreV1Api);
	const withTimeout = async <T>(promise: Promise<T>): Promise<T> => {
		let timer: NodeJS.Timeout | undefined;
		try {
			return await Promise.race([
				promise,
				new Promise<never>((_resolve, reject) => {
					timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
				}),
			]);
		} finally {
			clearTimeout(timer);
		}
	};

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

		if (status !== undefined && status !== 401 && status !== 403) {
			throw new PreflightError(notKubernetes(connection, `GET /api answered ${status}`));
		}

		if (error instanceof SyntaxError) {
			throw new PreflightError(notKubernetes(connection, 'GET /api did not answer JSON'));
		}

		if (status === undefined) {
			throw new PreflightError(unreachable(connection, error));
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
			throw new PreflightError(unreachable(connection, error));
		}
	}

	try {
		await withTimeout(core.listNamespacedPod({namespace, limit: 1}));
	} catch (error) {
		const status = apiStatusCode(error);
		if (status === 403 || status === 401) {
			throw new PreflightError(`not allowed to list pods in namespace "${namespace}" as context ${connection.contextName}: ${describeApiError(error)}`);
		}

		if (status === 404) {
			throw new PreflightError(`namespace "${namespace}" does not exist in context ${connection.contextName} (pass --namespace NS)`);
		}

		throw new PreflightError(unreachable(connection, error));
	}
}

function unreachable(connection: Connection, error: unknown): string {
	return `cannot reach the API server ${connection.server} (context ${connection.contextName}): ${describeApiError(error)}`;
}

function notKubernetes(connection: Connection, why: string): string {
	return `${connection.server} (context ${connection.contextName}) is not a Kubernetes API server: ${why}`;
}
