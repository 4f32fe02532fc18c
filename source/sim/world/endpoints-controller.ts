// The endpoints controller: keeps each selector Service's Endpoints in step with the ready
// and not-ready pods it selects (1.11 behaviour: terminating pods are left out entirely).
import type {KubeObject} from '../store.js';
import {isReady, isTerminating} from './pods.js';
import {deepEqual, iso} from './util.js';
import type {World} from './world.js';

export function syncServiceEndpoints(world: World, namespace: string, name: string, atMs?: number): void {
	const service = world.store.get('services', namespace, name);
	const endpoints = world.store.get('endpoints', namespace, name);
	if (!service) {
		if (endpoints && endpoints.metadata.labels?.['endpoints.kubernetes.io/managed-by'] !== 'manual') {
			world.store.remove('endpoints', namespace, name);
		}

		return;
	}

	const selector = service.spec?.selector;
	if (!selector || Object.keys(selector).length === 0) {
		return;
	}

	const ready: any[] = [];
	const notReady: any[] = [];
	let sample: KubeObject | undefined;
	for (const pod of world.podsMatching(namespace, selector)) {
		// 1.11's controller leaves terminating pods out entirely.
		if (isTerminating(pod) || !pod.status?.podIP) {
			continue;
		}

		sample ??= pod;
		const address = {
			ip: pod.status.podIP,
			nodeName: pod.spec.nodeName,
			targetRef: {kind: 'Pod', namespace, name: pod.metadata.name, uid: pod.metadata.uid},
		};
		(isReady(pod) ? ready : notReady).push(address);
	}

	const order = (a: any, b: any) => (a.ip < b.ip ? -1 : (a.ip > b.ip ? 1 : 0));
	ready.sort(order);
	notReady.sort(order);
	const ports = (service.spec.ports ?? []).map((port: any) => {
		let target = port.targetPort ?? port.port;
		if (typeof target === 'string') {
			const named = (sample?.spec.containers ?? []).flatMap((container: any) => container.ports ?? []).find((entry: any) => entry.name === target);
			target = named?.containerPort ?? port.port;
		}

		return {...(port.name ? {name: port.name} : {}), port: target, protocol: port.protocol ?? 'TCP'};
	});
	const subsets: any[] = [];
	if (ready.length > 0 || notReady.length > 0) {
		subsets.push({
			...(ready.length > 0 ? {addresses: ready} : {}),
			...(notReady.length > 0 ? {notReadyAddresses: notReady} : {}),
			ports,
		});
	}

	const now = atMs ?? world.clock.now();
	if (!endpoints) {
		world.store.create('endpoints', {
			apiVersion: 'v1',
			kind: 'Endpoints',
			metadata: {name, namespace, labels: {...service.metadata.labels}, annotations: {'endpoints.kubernetes.io/last-change-trigger-time': iso(now)}},
			...(subsets.length > 0 ? {subsets} : {}),
		});
	} else if (!deepEqual(endpoints.subsets ?? [], subsets)) {
		world.store.update('endpoints', namespace, name, draft => {
			if (subsets.length > 0) {
				draft.subsets = subsets;
			} else {
				delete draft.subsets;
			}

			draft.metadata.annotations = {...draft.metadata.annotations, 'endpoints.kubernetes.io/last-change-trigger-time': iso(now)};
		});
	}
}
