// Finished experiments built by folding events with explicit times, for the report tests.
import type {ExperimentRecord} from '../../source/experiment/engine.js';
import {componentRef} from '../../source/model/component.js';
import {foldMeasurement, type MeasurementEvent, type PodObservation} from '../../source/model/measurement.js';
import type {ProbeLayer} from '../../source/probes/types.js';

export const t0 = Date.UTC(2026, 2, 18, 10, 0, 0);

export function pod(uid: string, name: string, fields: Partial<PodObservation> = {}): PodObservation {
	return {uid, name, nodeName: 'node-a', phase: 'Running', ready: true, terminating: false, scheduled: true, ...fields};
}

export function probes(layer: ProbeLayer, from: number, to: number, every: number, failing: Array<[number, number]> = []): MeasurementEvent[] {
	const events: MeasurementEvent[] = [];
	for (let at = from; at <= to; at += every) {
		const fail = failing.some(([start, end]) => at >= start && at < end);
		events.push({type: 'probe-result', at: t0 + at + 3, result: {layer, sentAt: t0 + at, outcome: fail ? 'fail' : 'ok', latencyMs: 3, detail: fail ? 'redis-follower does not resolve' : undefined}});
	}

	return events;
}

export function ticks(to: number, every = 100): MeasurementEvent[] {
	const events: MeasurementEvent[] = [];
	for (let at = 0; at <= to; at += every) {
		events.push({type: 'tick', at: t0 + at});
	}

	return events;
}

function inOrder(...lists: MeasurementEvent[][]): MeasurementEvent[] {
	return lists.flat().sort((a, b) => a.at - b.at);
}

/** kube-dns, both pods deleted: failing probes sent +0.5 s … +9.0 s (path) and … +8.5 s (DNS), probes every 500 ms; replacements ready at +6.1 s and +9.3 s. */
export function kubeDnsRecord(): ExperimentRecord {
	const a = pod('a', 'kube-dns-7df4cb66cb-9ft98');
	const b = pod('b', 'kube-dns-7df4cb66cb-wvhpz');
	const measurement = foldMeasurement(inOrder(
		[{type: 'experiment-started', at: t0, component: 'kube-dns', action: {kind: 'delete-pods'}, pods: [a, b], victims: ['a', 'b'], limits: {timeoutMs: 180_000, settleMs: 5000}}],
		[{type: 'action-answered', at: t0 + 15}],
		[{type: 'pod-seen', at: t0 + 20, pod: {...a, terminating: true}}, {type: 'pod-seen', at: t0 + 21, pod: {...b, terminating: true}}],
		[{type: 'pod-deleted', at: t0 + 2000, uid: 'a', name: a.name}, {type: 'pod-deleted', at: t0 + 2100, uid: 'b', name: b.name}],
		[{type: 'pod-seen', at: t0 + 200, pod: pod('c', 'kube-dns-7df4cb66cb-x1', {ready: false, phase: 'Pending', scheduled: false, nodeName: undefined})}],
		[{type: 'pod-seen', at: t0 + 300, pod: pod('c', 'kube-dns-7df4cb66cb-x1', {ready: false, phase: 'Pending'})}],
		[{type: 'pod-seen', at: t0 + 2000, pod: pod('c', 'kube-dns-7df4cb66cb-x1', {ready: false})}],
		[{type: 'pod-seen', at: t0 + 6100, pod: pod('c', 'kube-dns-7df4cb66cb-x1')}],
		[{type: 'pod-seen', at: t0 + 250, pod: pod('d', 'kube-dns-7df4cb66cb-x2', {ready: false})}],
		[{type: 'pod-seen', at: t0 + 9300, pod: pod('d', 'kube-dns-7df4cb66cb-x2')}],
		probes('end-to-end', -2000, 20_000, 500, [[500, 9200]]),
		probes('dns', -2000, 20_000, 500, [[500, 9000]]),
		ticks(20_000),
	));
	return {namespace: 'kube-system', component: componentRef('Deployment', 'kube-dns'), mode: 'pods', podCount: 2, measurement, interrupted: false};
}

/** One fluentd pod deleted, nothing breaks. */
export function fluentdRecord(): ExperimentRecord {
	const victim = pod('f1', 'fluentd-gcp-v3.2.0-6gq6r');
	const measurement = foldMeasurement(inOrder(
		[{type: 'experiment-started', at: t0, component: 'fluentd-gcp-v3.2.0', action: {kind: 'delete-pod', pod: victim.name}, pods: [victim, pod('f2', 'fluentd-gcp-v3.2.0-8h5hp'), pod('f3', 'fluentd-gcp-v3.2.0-pb44f')], victims: ['f1'], limits: {timeoutMs: 180_000, settleMs: 5000}}],
		[{type: 'pod-deleted', at: t0 + 1500, uid: 'f1', name: victim.name}],
		[{type: 'pod-seen', at: t0 + 1700, pod: pod('f4', 'fluentd-gcp-v3.2.0-zz9zz', {ready: false})}],
		[{type: 'pod-seen', at: t0 + 3300, pod: pod('f4', 'fluentd-gcp-v3.2.0-zz9zz')}],
		probes('end-to-end', -1000, 12_000, 500),
		ticks(12_000),
	));
	return {namespace: 'kube-system', component: componentRef('DaemonSet', 'fluentd-gcp-v3.2.0'), mode: 'pod', podCount: 3, measurement, interrupted: false};
}
