// The endpoints controller: keeps each selector Service's Endpoints in step with the ready
// and not-ready pods it selects (1.11 behaviour: terminating pods are left out entirely).
import type {KubeObject} from '../store.js';
import {specChanged, type Change, type Controller, type ControllerContext} from './controller.js';
import {isReady, isTerminating} from './pods.js';
import {timing} from './timing.js';
import {between, deepEqual, iso, matchesSelector} from './util.js';

export class EndpointsController implements Controller {
	constructor(private readonly context: ControllerContext) {}

	onChange(change: Change): void {
		const {resource, type, object, previous} = change;
		const {namespace, name} = object.metadata;
		switch (resource) {
			case 'services': {
				if (specChanged(change) || type === 'DELETED') {
					this.syncSoon(namespace!, name);
				}

				break;
			}

			case 'endpoints': {
				// It puts back the Endpoints of a Service that still has a selector.
				if (type === 'DELETED' && this.context.store.get('services', namespace, name)?.spec?.selector) {
					this.syncSoon(namespace!, name);
				}

				break;
			}

			case 'pods': {
				// Endpoints of every Service whose selector picks this pod (before or after the change).
				for (const service of this.context.indexes.servicesIn(namespace!)) {
					const selector = service.spec?.selector;
					if (matchesSelector(object.metadata.labels, selector) || matchesSelector(previous?.metadata.labels, selector)) {
						this.syncSoon(namespace!, service.metadata.name);
					}
				}

				break;
			}

			default:
		}
	}

	private syncSoon(namespace: string, name: string): void {
		this.context.schedule.soon(`ep:${namespace}/${name}`, between(this.context.random, ...timing.endpointsMs), () => {
			this.sync(namespace, name);
		});
	}

	/** Write the Service's Endpoints from the pods it selects now (at `atMs` while the world is built). */
	sync(namespace: string, name: string, atMs?: number): void {
		syncServiceEndpoints(this.context, namespace, name, atMs);
	}
}

function syncServiceEndpoints(context: ControllerContext, namespace: string, name: string, atMs?: number): void {
	const service = context.store.get('services', namespace, name);
	const endpoints = context.store.get('endpoints', namespace, name);
	if (!service) {
		if (endpoints && endpoints.metadata.labels?.['endpoints.kubernetes.io/managed-by'] !== 'manual') {
			context.store.remove('endpoints', namespace, name);
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
	for (const pod of context.indexes.podsMatching(namespace, selector)) {
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

	const now = atMs ?? context.clock.now();
	if (!endpoints) {
		context.store.create('endpoints', {
			apiVersion: 'v1',
			kind: 'Endpoints',
			metadata: {name, namespace, labels: {...service.metadata.labels}, annotations: {'endpoints.kubernetes.io/last-change-trigger-time': iso(now)}},
			...(subsets.length > 0 ? {subsets} : {}),
		});
	} else if (!deepEqual(endpoints.subsets ?? [], subsets)) {
		context.store.update('endpoints', namespace, name, draft => {
			if (subsets.length > 0) {
				draft.subsets = subsets;
			} else {
				delete draft.subsets;
			}

			draft.metadata.annotations = {...draft.metadata.annotations, 'endpoints.kubernetes.io/last-change-trigger-time': iso(now)};
		});
	}
}
