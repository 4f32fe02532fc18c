// The only things knockdown ever does to a cluster: delete a pod, delete every pod of a
// component, delete a workload object, kill a container's main process. Each adapter is
// bound to one namespace and refuses any other, so a bug elsewhere cannot reach outside
// the namespace the user named.
import {Writable} from 'node:stream';
import {AppsV1Api, CoreV1Api, Exec, type V1Status} from '@kubernetes/client-node';
import {apiStatusCode, describeApiError} from './api-error.js';
import type {Connection} from './connect.js';

import type {WorkloadKind} from '../model/component.js';

export type {WorkloadKind} from '../model/component.js';

/** An action the cluster refused or that could not be sent; the message is one sentence. */
export class ActionError extends Error {}

export interface Deleter {
	/** The namespace this deleter may act in; every call with another one is refused. */
	readonly namespace: string;
	deletePod(namespace: string, name: string): Promise<void>;
	/** All at once (one request per pod, sent together): the talk's "every kube-dns pod". */
	deletePods(namespace: string, names: string[]): Promise<void>;
	/** The workload object itself, with Background propagation (what `kubectl delete deployment` does). */
	deleteWorkload(namespace: string, kind: WorkloadKind, name: string): Promise<void>;
	/** `kill 1` in a container: the container restarts in place, the pod stays. */
	killMainProcess(namespace: string, pod: string, container?: string): Promise<void>;
}

export function refuseOtherNamespace(allowed: string, namespace: string): void {
	if (namespace !== allowed) {
		throw new ActionError(`refusing to act in namespace "${namespace}": knockdown acts only in "${allowed}", the namespace named with --namespace`);
	}
}

function actionError(error: unknown): ActionError {
	if (error instanceof ActionError) {
		return error;
	}

	const sentence = describeApiError(error);
	// "forbidden: …" first, whatever the Status message says, so a refused action reads the same everywhere.
	return new ActionError(apiStatusCode(error) === 403 && !sentence.startsWith('forbidden') ? `forbidden: ${sentence}` : sentence);
}

/** The Deleter over client-node. */
export function kubeDeleter(connection: Connection, allowedNamespace: string): Deleter {
	const core = connection.kubeConfig.makeApiClient(CoreV1Api);
	const apps = connection.kubeConfig.makeApiClient(AppsV1Api);
	const deletePod = async (namespace: string, name: string) => {
		refuseOtherNamespace(allowedNamespace, namespace);
		try {
			await core.deleteNamespacedPod({name, namespace});
		} catch (error) {
			throw actionError(error);
		}
	};

	return {
		namespace: allowedNamespace,
		deletePod,
		async deletePods(namespace, names) {
			refuseOtherNamespace(allowedNamespace, namespace);
			const results = await Promise.allSettled(names.map(async name => deletePod(namespace, name)));
			const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
			if (failed.length > 0) {
				const error = actionError(failed[0]!.reason);
				// Some went: say how many, so a partly done action is not read as nothing done.
				const done = names.length - failed.length;
				throw done > 0 ? new ActionError(`${error.message} (${done} of ${names.length} pods deleted)`) : error;
			}
		},
		async deleteWorkload(namespace, kind, name) {
			refuseOtherNamespace(allowedNamespace, namespace);
			const request = {name, namespace, propagationPolicy: 'Background'};
			try {
				switch (kind) {
					case 'Deployment': {
						await apps.deleteNamespacedDeployment(request);
						break;
					}

					case 'DaemonSet': {
						await apps.deleteNamespacedDaemonSet(request);
						break;
					}

					case 'StatefulSet': {
						await apps.deleteNamespacedStatefulSet(request);
						break;
					}
				}
			} catch (error) {
				throw actionError(error);
			}
		},
		async killMainProcess(namespace, pod, container) {
			refuseOtherNamespace(allowedNamespace, namespace);
			let containerName = container;
			try {
				if (!containerName) {
					const object = await core.readNamespacedPod({name: pod, namespace});
					containerName = object.spec?.containers?.[0]?.name ?? '';
				}
			} catch (error) {
				throw actionError(error);
			}

			await execKill(connection, namespace, pod, containerName);
		},
	};
}

async function execKill(connection: Connection, namespace: string, pod: string, container: string): Promise<void> {
	const exec = new Exec(connection.kubeConfig);
	let stderr = '';
	const sink = (keep: boolean) => new Writable({
		write(chunk: Uint8Array | string, _encoding, callback) {
			if (keep) {
				stderr += String(chunk);
			}

			callback();
		},
	});
	await new Promise<void>((resolve, reject) => {
		let settled = false;
		const finish = (error?: Error) => {
			if (settled) {
				return;
			}

			settled = true;
			if (error) {
				reject(error);
			} else {
				resolve();
			}
		};

		const onStatus = (status: V1Status) => {
			if (status.status === 'Success') {
				finish();
			} else {
				finish(new ActionError(`kill 1 in ${pod}/${container} failed: ${status.message ?? (stderr.trim() || 'non-zero exit')}`));
			}
		};

		exec.exec(namespace, pod, container, ['kill', '1'], sink(false), sink(true), null, false, onStatus)
			.then(socket => {
				// A container whose main process dies may close the stream without a status: that is success too.
				socket.on('close', () => finish());
				socket.on('error', (error: Error) => finish(actionError(error)));
			})
			.catch((error: unknown) => finish(actionError(error)));
	});
}
