// The app's ports (PodSource, Deleter, ProbeTransport) straight onto a simulated world in
// this process, so that the simulator, the probes and the experiment engine run together on
// one manual clock and a test can assert exact times, whatever else the machine is doing.
// The HTTP path between them (client-node, the simulator's API server) is what the
// wall-clock tests against a served simulator cover (test/experiment/against-sim.test.ts).
import {refuseOtherNamespace, type Deleter} from '../../source/kube/actions.js';
import type {FeedUpdate, OwnerLike, PodSource} from '../../source/kube/pod-source.js';
import {endpointsFromList} from '../../source/kube/probe-transport.js';
import {slimOwner, slimPod} from '../../source/model/slim.js';
import {ProbeTransportError, type ProbeTransport} from '../../source/probes/transport.js';
import type {SimCluster} from '../../source/sim/cluster.js';
import {resolveExec} from '../../source/sim/server/exec.js';
import {ApiError, toApiError} from '../../source/sim/server/status.js';
import type {KubeObject, Resource} from '../../source/sim/store.js';

const ownerKinds: Partial<Record<Resource, string>> = {deployments: 'Deployment', daemonsets: 'DaemonSet', statefulsets: 'StatefulSet', replicasets: 'ReplicaSet'};

/**
 * The namespace's pods and their owners as watches would deliver them: listed first, then
 * every change, each a microtask after the store made it (a watch event is never delivered
 * inside the change, and a reaction to it must not change the store from a store listener).
 */
export function simPodSource(cluster: SimCluster, namespace: string): PodSource {
	let unsubscribe = () => {};
	return {
		start(listener) {
			let stopped = false;
			const emit = (update: FeedUpdate) => queueMicrotask(() => {
				if (!stopped) {
					listener(update);
				}
			});
			const owner = (resource: Resource, object: KubeObject) => ({...slimOwner(object as OwnerLike), kind: ownerKinds[resource]!});
			emit({type: 'connection', state: {phase: 'live'}});
			for (const resource of Object.keys(ownerKinds) as Resource[]) {
				for (const object of cluster.store.list(resource, namespace)) {
					emit({type: 'owner-upserted', owner: owner(resource, object)});
				}
			}

			for (const pod of cluster.store.list('pods', namespace)) {
				emit({type: 'pod-upserted', pod: slimPod(pod)});
			}

			emit({type: 'pods-synced'});
			const stopStore = cluster.store.subscribe(event => {
				if (event.object.metadata.namespace !== namespace) {
					return;
				}

				if (event.resource === 'pods') {
					emit(event.type === 'DELETED' ? {type: 'pod-deleted', pod: slimPod(event.object)} : {type: 'pod-upserted', pod: slimPod(event.object)});
				} else if (ownerKinds[event.resource]) {
					const object = owner(event.resource, event.object);
					emit(event.type === 'DELETED' ? {type: 'owner-deleted', owner: object} : {type: 'owner-upserted', owner: object});
				}
			});
			unsubscribe = () => {
				stopped = true;
				stopStore();
			};
		},
		async stop() {
			unsubscribe();
		},
	};
}

/** Deletes as the API server would be asked to: pods with their grace period, workloads in the background. */
export function simDeleter(cluster: SimCluster, allowedNamespace: string): Deleter {
	const deletePod = async (namespace: string, name: string) => {
		refuseOtherNamespace(allowedNamespace, namespace);
		cluster.delete('pods', namespace, name, {});
	};

	const workloadResource = {Deployment: 'deployments', DaemonSet: 'daemonsets', StatefulSet: 'statefulsets'} as const;
	return {
		namespace: allowedNamespace,
		deletePod,
		async deletePods(namespace, names) {
			await Promise.all(names.map(async name => deletePod(namespace, name)));
		},
		async deleteWorkload(namespace, kind, name) {
			refuseOtherNamespace(allowedNamespace, namespace);
			cluster.delete(workloadResource[kind], namespace, name, {propagationPolicy: 'Background'});
		},
		async killMainProcess(namespace, pod, container) {
			refuseOtherNamespace(allowedNamespace, namespace);
			await cluster.exec(namespace, pod, container, ['kill', '1']);
		},
	};
}

/** The probes' calls answered by the world, as its API server answers them (exec refused as resolveExec refuses it). */
export function simProbeTransport(cluster: SimCluster): ProbeTransport {
	// An abandoned probe rejects at once, as an aborted request does; what the world still does for it is ignored.
	const abortable = async <T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> => {
		if (signal.aborted) {
			throw new ProbeTransportError('aborted', 'aborted before sending');
		}

		return new Promise<T>((resolve, reject) => {
			const onAbort = () => reject(new ProbeTransportError('aborted', 'aborted'));
			signal.addEventListener('abort', onAbort, {once: true});
			work().then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
		});
	};

	return {
		listEndpoints: async (namespace, signal) => abortable(signal, async () => endpointsFromList(JSON.stringify({items: cluster.store.list('endpoints', namespace)}))),
		exec: async (request, signal) => abortable(signal, async () => {
			const query = new URLSearchParams(request.command.map((word): [string, string] => ['command', word]));
			if (request.container) {
				query.set('container', request.container);
			}

			let resolved;
			try {
				resolved = resolveExec(cluster, request.namespace, request.pod, query);
			} catch (error) {
				if (error instanceof ApiError && error.code === 404) {
					throw new ProbeTransportError('not-found', `pod ${request.pod} not found`);
				}

				throw new ProbeTransportError(error instanceof ApiError && error.code >= 500 ? 'kubelet' : 'error', error instanceof Error ? error.message : String(error));
			}

			return cluster.exec(resolved.namespace, resolved.pod, resolved.container, resolved.command);
		}),
		// Any status is an answer, as through the API server's proxy: a missing service is its 404.
		proxyGet: async (request, signal) => abortable(signal, async () => {
			try {
				const {status, body} = await cluster.proxyService(request.namespace, request.service, request.port, request.path);
				return {status, body};
			} catch (error) {
				const {code, message} = toApiError(error);
				return {status: code, body: message};
			}
		}),
		async get(path) {
			throw new ProbeTransportError('error', `GET ${path} is not simulated in process (the metrics probe and the API server's liveness run against a served simulator)`);
		},
	};
}
