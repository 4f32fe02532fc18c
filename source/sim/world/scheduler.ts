// The scheduler: binds each new pod without a node to the node it asks for (a DaemonSet's
// pod) or to the least loaded node whose taints it tolerates; retries while nothing fits.
import type {Change, Controller, ControllerContext} from './controller.js';
import {isTerminating, setCondition} from './pods.js';
import {timing} from './timing.js';
import {targetNodeOf} from './workload-controllers.js';

export class Scheduler implements Controller {
	constructor(private readonly context: ControllerContext) {}

	onChange({resource, type, object: pod}: Change): void {
		if (resource === 'pods' && type === 'ADDED' && !pod.spec?.nodeName) {
			this.bindSoon(pod.metadata.uid!, timing.scheduleMs);
		}
	}

	/** The node with the fewest pods among those whose taints the pod tolerates. */
	leastLoadedNode(podSpec?: any): string | undefined {
		const {indexes, random} = this.context;
		const {nodeNames} = indexes;
		let best: string | undefined;
		let bestCount = Number.POSITIVE_INFINITY;
		const offset = Math.floor(random() * nodeNames.length);
		for (let i = 0; i < nodeNames.length; i++) {
			const name = nodeNames[(i + offset) % nodeNames.length];
			if (!indexes.tolerates(podSpec, name)) {
				continue;
			}

			const count = indexes.podsOnNode.get(name)?.size ?? 0;
			if (count < bestCount) {
				best = name;
				bestCount = count;
			}
		}

		return best;
	}

	private bindSoon(uid: string, ms: number): void {
		this.context.schedule.soon(`bind:${uid}`, ms, () => {
			this.bind(uid);
		});
	}

	private bind(uid: string): void {
		const {indexes, store, clock, events} = this.context;
		const pod = indexes.podByUid(uid);
		if (!pod || pod.spec?.nodeName || isTerminating(pod) || indexes.nodeNames.length === 0) {
			return;
		}

		const wanted = targetNodeOf(pod);
		const nodeName = wanted && indexes.nodeIndex.has(wanted) ? wanted : this.leastLoadedNode(pod.spec);
		if (!nodeName) {
			// Nothing fits: a real scheduler would record FailedScheduling and retry.
			this.bindSoon(uid, 1000);
			return;
		}

		const now = clock.now();
		const bound = store.update('pods', pod.metadata.namespace, pod.metadata.name, draft => {
			draft.spec.nodeName = nodeName;
			draft.status ??= {};
			setCondition(draft.status, 'PodScheduled', true, now);
		});
		events.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`, {component: 'default-scheduler'});
	}
}
