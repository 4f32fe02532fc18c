// From what the user typed (a component, a mode) to exactly what will be deleted. Nothing
// is deleted that the user did not name: an unknown or ambiguous name is an error that
// lists the components there are.
import type {KillMode} from '../config/config.js';
import {isWorkloadKind, matchComponent, type ComponentGroup, type ComponentRef} from '../model/component.js';
import type {ExperimentAction} from '../model/measurement.js';
import {isPodReady, type PodLike} from '../model/pod-status.js';

export class PlanError extends Error {}

export type ExperimentPlan = {
	component: ComponentRef;
	action: ExperimentAction;
	/** The pods the action deletes (for a workload: every pod it owns). */
	victims: PodLike[];
	/** Every pod of the component at planning time. */
	pods: PodLike[];
};

/** Whether mode workload can delete this component's object (a static or bare pod has none). */
export function hasWorkloadObject(component: ComponentRef): boolean {
	return isWorkloadKind(component.kind);
}

/** How components are named in messages: `kube-dns`, or `deployment/kube-dns` when a bare name would be ambiguous. */
export function knownComponentNames(groups: Array<ComponentGroup<PodLike>>): string[] {
	const counts = new Map<string, number>();
	for (const group of groups) {
		counts.set(group.component.name, (counts.get(group.component.name) ?? 0) + 1);
	}

	return groups.map(group => (counts.get(group.component.name) ?? 0) > 1 ? group.component.key : group.component.name);
}

export function findComponent(groups: Array<ComponentGroup<PodLike>>, arg: string, namespace: string): ComponentGroup<PodLike> {
	const ref = matchComponent(arg, groups.map(group => group.component));
	// A pod's own name (kube-dns-7df4cb66cb-9ft98) names the component it belongs to.
	const group = (ref && groups.find(candidate => candidate.component.key === ref.key))
		?? groups.find(candidate => candidate.pods.some(pod => pod.metadata?.name === arg));
	if (!group) {
		const known = knownComponentNames(groups);
		throw new PlanError(known.length === 0
			? `unknown component "${arg}": namespace ${namespace} has no pods`
			: `unknown component "${arg}" in ${namespace} (known: ${known.join(', ')})`);
	}

	return group;
}

function isTerminating(pod: PodLike): boolean {
	return Boolean(pod.metadata?.deletionTimestamp);
}

function byName(a: PodLike, b: PodLike): number {
	return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** `kill 1` in one container of one pod (the screen's `x`): the pod stays, the container restarts. */
export function planContainerKill(group: ComponentGroup<PodLike>, podName: string, container?: string): ExperimentPlan {
	const pods = [...group.pods].sort(byName);
	const pod = pods.find(candidate => candidate.metadata?.name === podName && !isTerminating(candidate));
	if (!pod) {
		throw new PlanError(`pod ${podName} is not a live pod of ${group.component.name}`);
	}

	return {component: group.component, action: {kind: 'kill-container', pod: podName, container}, victims: [pod], pods};
}

export function planExperiment(group: ComponentGroup<PodLike>, mode: KillMode, podName?: string): ExperimentPlan {
	const {component} = group;
	const pods = [...group.pods].sort(byName);
	const alive = pods.filter(pod => !isTerminating(pod));
	switch (mode) {
		case 'pod': {
			const pod = podName
				? alive.find(candidate => candidate.metadata?.name === podName)
				// A Ready pod, so the experiment takes something away.
				: alive.find(candidate => isPodReady(candidate)) ?? alive[0];
			if (!pod) {
				throw new PlanError(podName ? `pod ${podName} is not a live pod of ${component.name}` : `${component.name} has no pod left to delete`);
			}

			return {component, action: {kind: 'delete-pod', pod: pod.metadata?.name ?? ''}, victims: [pod], pods};
		}

		case 'pods': {
			if (alive.length === 0) {
				throw new PlanError(`${component.name} has no pod left to delete`);
			}

			return {component, action: {kind: 'delete-pods'}, victims: alive, pods};
		}

		case 'workload': {
			const {kind} = component;
			if (!isWorkloadKind(kind)) {
				const what = component.kind === 'StaticPod'
					? `${component.name} is a static pod: the kubelet runs it from a file, there is no workload object to delete`
					: `${component.name} is a ${component.kind === 'Pod' ? 'bare pod' : component.kind}, not a Deployment, DaemonSet or StatefulSet`;
				throw new PlanError(`${what} (use --mode pod or pods)`);
			}

			return {component, action: {kind: 'delete-workload', workloadKind: kind, workloadName: component.name}, victims: pods, pods};
		}

		case 'static': {
			// A node experiment (experiment/node-experiment.ts), started by `kill <static pod> --mode static`.
			throw new PlanError(`--mode static moves a static pod's manifest out for real: knockdown kill ${component.name} --mode static --node NODE`);
		}
	}
}

/** The question asked before a plan is carried out: what goes, where, on which cluster. */
export function planQuestion(plan: ExperimentPlan, namespace: string, contextName: string): string {
	const where = `in namespace ${namespace} on context ${contextName}`;
	const names = plan.victims.map(pod => pod.metadata?.name ?? '');
	const pods = `${names.length} pod${names.length === 1 ? '' : 's'}`;
	switch (plan.action.kind) {
		case 'delete-pod': {
			return `delete pod ${plan.action.pod} of ${plan.component.name} ${where}?`;
		}

		case 'delete-pods': {
			return `delete ${names.length === 1 ? 'the only pod' : `all ${pods}`} of ${plan.component.name} (${names.join(', ')}) ${where}?`;
		}

		case 'delete-workload': {
			return `delete ${plan.action.workloadKind.toLowerCase()}/${plan.action.workloadName} itself (it owns ${pods}: ${names.join(', ')}) ${where}?`;
		}

		case 'kill-container': {
			return `kill 1 in container ${plan.action.container ?? '(the first)'} of pod ${plan.action.pod} ${where}?`;
		}

		// Node experiments are not planned here (commands/kill-node.ts asks its own question).
		case 'stop-kubelet':
		case 'stop-static-pod': {
			return `stop ${plan.action.kind === 'stop-kubelet' ? 'the kubelet' : plan.action.pod} on node ${plan.action.node} for ${Math.round(plan.action.forMs / 1000)} s ${where}?`;
		}
	}
}
