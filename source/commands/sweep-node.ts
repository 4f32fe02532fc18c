// The talk's last rows in a sweep: the kubelet stopped on one node (and, while it is away, a
// pod there of a Deployment the talk found harmless deleted, to see the deletion hang and the
// replacement fail to start), and kube-proxy stopped for real (its manifest moved out) on the
// same node, each a node experiment (kill-node.ts) after the pod components. A static pod's
// stop is kept short (20 s at most): its rules freeze, and the question is only whether the
// path breaks meanwhile.
import type {Config} from '../config/config.js';
import {nodeStopOn, type NodeStop} from '../experiment/helper-pod.js';
import {PlanError} from '../experiment/plan.js';
import {componentRef} from '../model/component.js';
import {talkRowFor} from '../model/roles.js';
import {resultLine} from '../report/experiment-report.js';
import type {SweepEntry} from '../report/sweep-report.js';
import type {CommandIo} from './io.js';
import type {Lab} from './lab.js';

export const sweepStaticStopMs = 20_000;

export async function sweepNodeRows(lab: Lab, config: Config, io: CommandIo, progress: NodeJS.WritableStream): Promise<{entries: SweepEntry[]; interrupted: boolean}> {
	const kubelet = {...componentRef('Kubelet', 'kubelet'), name: 'kubelet'};
	let nodes: string[];
	try {
		nodes = (await lab.nodeActor.listNodeNames()).sort();
	} catch (error) {
		return {entries: [{component: kubelet, podCount: 0, note: error instanceof Error ? error.message : String(error)}], interrupted: false};
	}

	// To try the talk's "pods can no longer be deleted or started": a pod of a Deployment the
	// talk found harmless to lose (the sweep deleted its pods already), on the stopped node.
	// Without --node, the first node that holds one is stopped, so the claim is tried
	// wherever the scheduler put those pods.
	// Grouped once: the view groups every pod of the namespace on each call.
	const harmlessPods = lab.view.components()
		.filter(group => group.component.kind === 'Deployment' && talkRowFor(group.component.name)?.talkImpact === 'no service impact')
		.flatMap(group => group.pods)
		.filter(pod => !pod.metadata?.deletionTimestamp);
	const harmlessPodOn = (name: string) => harmlessPods.find(pod => pod.spec?.nodeName === name)?.metadata?.name;
	const node = config.nodeStop.node ?? nodes.find(name => harmlessPodOn(name) !== undefined) ?? nodes[0];

	if (!node) {
		return {entries: [{component: kubelet, podCount: 0, note: 'the cluster has no node'}], interrupted: false};
	}

	const proxy = lab.view.components().find(group => group.component.kind === 'StaticPod' && group.component.name === 'kube-proxy');
	const stops: Array<{stop: NodeStop; label: string}> = [
		{stop: nodeStopOn({kind: 'kubelet'}, node, config.nodeStop.forMs, config.nodeStop), label: `kubelet of ${node}`},
		...(proxy ? [{
			stop: nodeStopOn({kind: 'static-pod', component: 'kube-proxy'}, node, Math.min(config.nodeStop.forMs, sweepStaticStopMs), config.nodeStop),
			label: `kube-proxy on ${node}, stopped for real`,
		}] : []),
	];
	const tryDelete = harmlessPodOn(node);
	const entries: SweepEntry[] = [];
	for (const {stop, label} of stops) {
		if (io.signal.aborted) {
			return {entries, interrupted: true};
		}

		const alsoDelete = stop.kind === 'kubelet' && tryDelete ? {deleter: lab.deleter, pod: tryDelete} : undefined;
		progress.write(`[node] ${label} for ${Math.round(stop.forMs / 1000)} s${alsoDelete ? ` (and, once it is stopped, delete ${alsoDelete.pod} on it)` : ''}…\n`);
		const component = stop.kind === 'kubelet' ? kubelet : proxy!.component;
		try {
			const running = await lab.startNodeExperiment(stop, {signal: io.signal, alsoDelete});
			const record = await running.done;
			for (const note of await running.cleanup) {
				progress.write(`    ${note}\n`);
			}

			if (record.interrupted && record.measurement.t0 === undefined) {
				return {entries, interrupted: true};
			}

			// A kubelet's count is the talk's: one per node.
			entries.push({component, podCount: stop.kind === 'kubelet' ? nodes.length : record.podCount, record, stopped: stop.kind === 'static-pod'});
			progress.write(`    ${resultLine(record)}\n`);
			if (record.interrupted) {
				return {entries, interrupted: true};
			}
		} catch (error) {
			const note = error instanceof Error ? error.message : String(error);
			entries.push({component, podCount: 0, note: error instanceof PlanError ? note : `not measured: ${note}`, stopped: stop.kind === 'static-pod'});
			progress.write(`    skipped: ${note}\n`);
		}
	}

	return {entries, interrupted: false};
}
