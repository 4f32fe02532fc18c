// v1 Events as the controllers and kubelets write them: one object per (object, reason,
// message), counted up when it repeats, and at most `limitPerNamespace` kept per namespace
// (the oldest go first) so a long demo does not grow without bound.
import type {SimClock} from '../clock.js';
import type {KubeObject, Store} from '../store.js';
import {iso} from './util.js';

export type EventSource = {component: string; host?: string};

export class EventRecorder {
	enabled = true;
	private readonly byKey = new Map<string, {namespace: string; name: string}>();
	private readonly orderByNamespace = new Map<string, string[]>();
	private sequence = 0;

	constructor(
		private readonly store: Store,
		private readonly clock: SimClock,
		private readonly limitPerNamespace = 1000,
	) {}

	record(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, fieldPath?: string): void {
		if (!this.enabled) {
			return;
		}

		const namespace = involved.metadata.namespace ?? 'default';
		const now = iso(this.clock.now());
		const key = `${involved.metadata.uid}|${fieldPath ?? ''}|${reason}|${message}`;
		const known = this.byKey.get(key);
		if (known && this.store.get('events', known.namespace, known.name)) {
			this.store.update('events', known.namespace, known.name, draft => {
				draft.count = ((draft.count as number | undefined) ?? 1) + 1;
				draft.lastTimestamp = now;
			});
			return;
		}

		// Real event names: <object>.<hex of the creation time in ns>.
		const name = `${involved.metadata.name}.${(BigInt(this.clock.now()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000)).toString(16)}`;
		const involvedObject: Record<string, unknown> = {
			kind: involved.kind,
			namespace: involved.metadata.namespace,
			name: involved.metadata.name,
			uid: involved.metadata.uid,
			apiVersion: involved.apiVersion,
			resourceVersion: involved.metadata.resourceVersion,
		};
		if (fieldPath) {
			involvedObject.fieldPath = fieldPath;
		}

		this.store.create('events', {
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {name, namespace},
			involvedObject,
			reason,
			message,
			source,
			firstTimestamp: now,
			lastTimestamp: now,
			count: 1,
			type,
			eventTime: null,
			reportingComponent: '',
			reportingInstance: '',
		});
		this.byKey.set(key, {namespace, name});
		let order = this.orderByNamespace.get(namespace);
		if (!order) {
			order = [];
			this.orderByNamespace.set(namespace, order);
		}

		order.push(name);
		if (order.length > this.limitPerNamespace) {
			for (const oldest of order.splice(0, order.length - this.limitPerNamespace)) {
				if (this.store.get('events', namespace, oldest)) {
					this.store.remove('events', namespace, oldest);
				}
			}
		}

		if (this.byKey.size > this.limitPerNamespace * 20) {
			// Forget aggregation keys of events that are gone.
			for (const [eventKey, where] of this.byKey) {
				if (!this.store.get('events', where.namespace, where.name)) {
					this.byKey.delete(eventKey);
				}
			}
		}
	}
}
