// Shared set-up for the world's tests: a manual clock and a fixed `random` (0.5), so every
// controller delay is the middle of its range and the timeline below is exact.
import {manualClock, type ManualClock} from '../../../source/time/clock.js';
import type {SimCluster} from '../../../source/sim/cluster.js';
import type {KubeObject} from '../../../source/sim/store.js';
import {createCluster} from '../../../source/sim/world/index.js';

export const startMs = Date.UTC(2026, 2, 18, 10, 0, 0);

// With random() = 0.5 the delays are: replacement 200 ms, schedule 100, kubelet pickup 20,
// ContainerCreating 1500, stop 1500 (+100 to removal), endpoints 750, kube-proxy sync 350,
// mirror removal 300 + recreation 500.
export type TestWorld = {cluster: SimCluster; clock: ManualClock; setRandom(value: number): void};

export function testWorld(options: {nodes?: number; eventLimit?: number} = {}): TestWorld {
	const clock = manualClock(startMs);
	let value = 0.5;
	const cluster = createCluster({clock, random: () => value, ...options});
	return {cluster, clock, setRandom(next) {
		value = next;
	}};
}

export function pods(cluster: SimCluster, namespace: string, prefix: string): KubeObject[] {
	return cluster.store.list('pods', namespace).filter(pod => pod.metadata.name.startsWith(prefix));
}

export function isReady(pod: KubeObject | undefined): boolean {
	return pod?.status?.conditions?.some((condition: any) => condition.type === 'Ready' && condition.status === 'True') ?? false;
}

export function containerStatus(pod: KubeObject | undefined, name: string): any {
	return pod?.status?.containerStatuses?.find((status: any) => status.name === name);
}

/** Pods of a Deployment: `<deploy>-<10-char hash>-<5 chars>`. */
export function deploymentPods(cluster: SimCluster, namespace: string, deployment: string): KubeObject[] {
	const pattern = new RegExp(`^${deployment.replaceAll('.', '\\.')}-[a-z0-9]{10}-[a-z0-9]{5}$`);
	return cluster.store.list('pods', namespace).filter(pod => pattern.test(pod.metadata.name));
}

export function readyAddresses(cluster: SimCluster, namespace: string, service: string): string[] {
	const endpoints = cluster.store.get('endpoints', namespace, service);
	return ((endpoints?.subsets as any[] | undefined) ?? []).flatMap(subset => (subset.addresses ?? []).map((address: any) => address.targetRef?.name as string));
}

export function notReadyAddresses(cluster: SimCluster, namespace: string, service: string): string[] {
	const endpoints = cluster.store.get('endpoints', namespace, service);
	return ((endpoints?.subsets as any[] | undefined) ?? []).flatMap(subset => (subset.notReadyAddresses ?? []).map((address: any) => address.targetRef?.name as string));
}

/** The frontend pod the API server's proxy (and the ground truth) looks from. */
export function vantageFrontend(cluster: SimCluster): KubeObject {
	const endpoints = cluster.store.get('endpoints', 'default', 'frontend');
	const first = (endpoints?.subsets as any[])[0].addresses[0];
	return cluster.store.get('pods', 'default', first.targetRef.name)!;
}
