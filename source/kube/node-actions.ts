// What a node experiment does to a cluster and watches of it: create and delete the helper
// pod (only in the namespace the user named, only pods knockdown labelled as its helpers),
// read nodes, and watch one node with the pods on it. A refusal is one sentence that names
// what is missing: RBAC on pods, or Pod Security admission refusing a privileged pod.
import {CoreV1Api, type V1Node, type V1Pod} from '@kubernetes/client-node';
import {helperLabel, helperLabelValue} from '../experiment/helper-pod.js';
import type {NodeReadiness} from '../model/node-measurement.js';
import type {PodLike} from '../model/pod-status.js';
import {ActionError, refuseOtherNamespace} from './actions.js';
import {apiStatusCode, describeApiError} from './api-error.js';
import type {Connection} from './connect.js';
import {listedWhole, startInformer, type InformerState} from './informer.js';

export type NodeFeedUpdate =
	| {type: 'node'; ready: NodeReadiness}
	| {type: 'pod-upserted'; pod: PodLike}
	| {type: 'pod-deleted'; pod: PodLike}
	| {type: 'synced'}
	| {type: 'state'; stream: 'node' | 'pods'; state: InformerState};

export interface NodeActor {
	/** The namespace helper pods are created in (--namespace); every call with another one is refused. */
	readonly namespace: string;
	/** The node's Ready condition, or undefined when there is no such node. */
	readNode(name: string): Promise<NodeReadiness | undefined>;
	listNodeNames(): Promise<string[]>;
	/** Every pod bound to the node, all namespaces (what a confirmation names). */
	podsOnNode(name: string): Promise<Array<{namespace: string; name: string}>>;
	/** Helper pods of knockdown still in the namespace (one node at a time). */
	helperPods(namespace: string): Promise<Array<{name: string; node?: string}>>;
	createHelperPod(namespace: string, pod: Record<string, any>): Promise<void>;
	/** Delete a helper pod (refuses a pod without knockdown's helper label). */
	deleteHelperPod(namespace: string, name: string): Promise<void>;
	/** Watch the node's readiness and every pod bound to it (all namespaces). */
	watchNode(name: string, listener: (update: NodeFeedUpdate) => void): {stop(): Promise<void>};
}

export function readinessOf(node: V1Node | undefined): NodeReadiness {
	const ready = node?.status?.conditions?.find(condition => condition.type === 'Ready')?.status;
	return ready === 'True' || ready === 'False' ? ready : 'Unknown';
}

/** 403 on creating the helper: Pod Security admission (a privileged pod) or RBAC (create pods), in one sentence. */
export function helperRefusal(error: unknown, namespace: string): ActionError {
	const sentence = describeApiError(error);
	if (apiStatusCode(error) === 403 && /PodSecurity/i.test(sentence)) {
		return new ActionError(`Pod Security admission refused the privileged helper pod in namespace ${namespace} (${sentence.replace(/^forbidden: /, '')}): it needs a namespace whose pod-security.kubernetes.io/enforce level is privileged`);
	}

	if (apiStatusCode(error) === 403) {
		return new ActionError(`forbidden: knockdown may not create pods in namespace ${namespace} (RBAC): a node experiment needs create, get and delete on pods there`);
	}

	return new ActionError(`the helper pod could not be created: ${sentence}`);
}

export function kubeNodeActor(connection: Connection, allowedNamespace: string): NodeActor {
	const core = connection.kubeConfig.makeApiClient(CoreV1Api);
	return {
		namespace: allowedNamespace,
		async readNode(name) {
			try {
				return readinessOf(await core.readNode({name}));
			} catch (error) {
				if (apiStatusCode(error) === 404) {
					return undefined;
				}

				throw new ActionError(`cannot read node ${name}: ${describeApiError(error)}`);
			}
		},
		async listNodeNames() {
			try {
				return (await core.listNode()).items.map(node => node.metadata?.name ?? '').filter(Boolean);
			} catch (error) {
				throw new ActionError(`cannot list nodes: ${describeApiError(error)}`);
			}
		},
		async podsOnNode(name) {
			try {
				const list = await core.listPodForAllNamespaces({fieldSelector: `spec.nodeName=${name}`});
				return list.items.map(pod => ({namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? ''}));
			} catch (error) {
				throw new ActionError(`cannot list the pods on ${name}: ${describeApiError(error)}`);
			}
		},
		async helperPods(namespace) {
			refuseOtherNamespace(allowedNamespace, namespace);
			try {
				const list = await core.listNamespacedPod({namespace, labelSelector: `${helperLabel}=${helperLabelValue}`});
				return list.items.map(pod => ({name: pod.metadata?.name ?? '', node: pod.spec?.nodeName}));
			} catch (error) {
				throw new ActionError(`cannot list pods in ${namespace}: ${describeApiError(error)}`);
			}
		},
		async createHelperPod(namespace, pod) {
			refuseOtherNamespace(allowedNamespace, namespace);
			try {
				await core.createNamespacedPod({namespace, body: pod as V1Pod});
			} catch (error) {
				throw helperRefusal(error, namespace);
			}
		},
		async deleteHelperPod(namespace, name) {
			refuseOtherNamespace(allowedNamespace, namespace);
			try {
				const pod = await core.readNamespacedPod({name, namespace});
				if (pod.metadata?.labels?.[helperLabel] !== helperLabelValue) {
					throw new ActionError(`refusing to delete ${namespace}/${name}: it is not a knockdown helper pod`);
				}

				await core.deleteNamespacedPod({name, namespace});
			} catch (error) {
				if (error instanceof ActionError) {
					throw error;
				}

				if (apiStatusCode(error) === 404) {
					return;
				}

				throw new ActionError(describeApiError(error));
			}
		},
		watchNode(name, listener) {
			const nodeSelector = `metadata.name=${name}`;
			const podSelector = `spec.nodeName=${name}`;
			const nodes = startInformer<V1Node>({
				kubeConfig: connection.kubeConfig,
				path: '/api/v1/nodes',
				fieldSelector: nodeSelector,
				list: listedWhole(async () => core.listNode({fieldSelector: nodeSelector})),
				onUpsert: node => listener({type: 'node', ready: readinessOf(node)}),
				onDelete() {
					listener({type: 'node', ready: 'Unknown'});
				},
				onState: state => listener({type: 'state', stream: 'node', state}),
			});
			const pods = startInformer<V1Pod>({
				kubeConfig: connection.kubeConfig,
				path: '/api/v1/pods',
				fieldSelector: podSelector,
				list: listedWhole(async () => core.listPodForAllNamespaces({fieldSelector: podSelector})),
				onUpsert: pod => listener({type: 'pod-upserted', pod: pod as PodLike}),
				onDelete: pod => listener({type: 'pod-deleted', pod: pod as PodLike}),
				onSynced: () => listener({type: 'synced'}),
				onState: state => listener({type: 'state', stream: 'pods', state}),
			});
			return {
				async stop() {
					await Promise.all([nodes.stop(), pods.stop()]);
				},
			};
		},
	};
}
