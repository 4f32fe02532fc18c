// metrics.k8s.io/v1beta1, the aggregated API metrics-server backs (kubectl top): usage
// figures are made up but steady per container, and only running pods have any.
import type {KubeObject, Store} from '../store.js';

function hash(text: string): number {
	let value = 2_166_136_261;
	for (let index = 0; index < text.length; index++) {
		value = Math.imul(value ^ text.charCodeAt(index), 16_777_619);
	}

	return value >>> 0;
}

function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function podMetrics(pod: KubeObject, nowMs: number): unknown {
	return {
		kind: 'PodMetrics',
		apiVersion: 'metrics.k8s.io/v1beta1',
		metadata: {name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: isoSeconds(nowMs), labels: pod.metadata.labels},
		timestamp: isoSeconds(nowMs - 15_000),
		window: '30s',
		containers: (pod.spec?.containers ?? []).map((container: {name: string}) => {
			const seed = hash(`${pod.metadata.name}/${container.name}`);
			return {name: container.name, usage: {cpu: `${(seed % 40) + 1}m`, memory: `${((seed >>> 8) % 200) + 8}Mi`}};
		}),
	};
}

function nodeMetrics(node: KubeObject, nowMs: number): unknown {
	const seed = hash(node.metadata.name);
	return {
		kind: 'NodeMetrics',
		apiVersion: 'metrics.k8s.io/v1beta1',
		metadata: {name: node.metadata.name, creationTimestamp: isoSeconds(nowMs), labels: node.metadata.labels},
		timestamp: isoSeconds(nowMs - 15_000),
		window: '30s',
		usage: {cpu: `${(seed % 400) + 100}m`, memory: `${((seed >>> 8) % 2000) + 1000}Mi`},
	};
}

const running = (pod: KubeObject) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp;

export function podMetricsList(store: Store, namespace: string | undefined, nowMs: number, keep: (pod: KubeObject) => boolean): unknown {
	const items = store.list('pods', namespace).filter(pod => running(pod) && keep(pod)).map(pod => podMetrics(pod, nowMs));
	return {kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items};
}

export function podMetricsOne(store: Store, namespace: string, name: string, nowMs: number): unknown | undefined {
	const pod = store.get('pods', namespace, name);
	return pod && running(pod) ? podMetrics(pod, nowMs) : undefined;
}

export function nodeMetricsList(store: Store, nowMs: number, keep: (node: KubeObject) => boolean): unknown {
	const items = store.list('nodes').filter(node => keep(node)).map(node => nodeMetrics(node, nowMs));
	return {kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items};
}

export function nodeMetricsOne(store: Store, name: string, nowMs: number): unknown | undefined {
	const node = store.get('nodes', undefined, name);
	return node && nodeMetrics(node, nowMs);
}
