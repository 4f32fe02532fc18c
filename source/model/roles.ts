// What each well-known kube-system component is for, in a few words, and what the talk
// ("kube-system 落としてみました", Kubernetes Meetup Tokyo #16) said happens when it is stopped. Only
// components whose role is known are listed: an unknown component gets no role rather than
// a guess.
import type {ComponentRef} from './component.js';

type RoleEntry = {
	/** The component name, or its stem when versionSuffixed (fluentd-gcp for fluentd-gcp-v3.2.0). */
	name: string;
	/** GKE add-ons carry their version in the workload name: fluentd-gcp-v3.2.0, heapster-v1.6.0-beta.1. */
	versionSuffixed?: boolean;
	role: string;
};

const roles: RoleEntry[] = [
	// From the talk's component table (GKE 1.11).
	{name: 'kubelet', role: 'works with kube-apiserver, starts containers'},
	{name: 'kube-proxy', role: 'manages network traffic'},
	{name: 'kube-dns', role: 'DNS inside the cluster'},
	{name: 'kube-dns-autoscaler', role: 'scales kube-dns'},
	{name: 'fluentd-gcp', versionSuffixed: true, role: 'ships container logs to Stackdriver Logging'},
	{name: 'fluentd-gcp-scaler', role: 'scales fluentd'},
	{name: 'event-exporter', versionSuffixed: true, role: 'ships kube-apiserver events to Stackdriver Logging'},
	{name: 'metrics-server', versionSuffixed: true, role: 'serves metrics for the HPA'},
	{name: 'heapster', versionSuffixed: true, role: 'sends metrics to Stackdriver Monitoring'},
	// Well known elsewhere (kubeadm/kind control plane, later GKE).
	{name: 'coredns', role: 'DNS inside the cluster'},
	{name: 'kindnet', role: 'pod network (CNI) and routes between nodes in kind'},
	{name: 'etcd', role: 'stores every API object of the cluster'},
	{name: 'kube-apiserver', role: 'serves the Kubernetes API'},
	{name: 'kube-controller-manager', role: 'runs the core controllers (ReplicaSets, nodes, endpoints…)'},
	{name: 'kube-scheduler', role: 'assigns new pods to nodes'},
	{name: 'l7-default-backend', role: 'default backend for GKE Ingress'},
	{name: 'konnectivity-agent', role: 'tunnels control-plane traffic to the nodes (logs, exec, webhooks)'},
];

function matches(entry: {name: string; versionSuffixed?: boolean}, name: string): boolean {
	if (name === entry.name) return true;
	// `-v` and a digit, so fluentd-gcp-scaler is not taken for a version of fluentd-gcp.
	return entry.versionSuffixed === true && name.startsWith(`${entry.name}-v`) && /\d/.test(name.charAt(entry.name.length + 2));
}

/** The role of a component known by name (`fluentd-gcp-v3.2.0`, `kube-proxy`, `kubelet`), or undefined. */
export function roleOfName(name: string): string | undefined {
	return roles.find(entry => matches(entry, name))?.role;
}

/** The role a known kube-system component plays, in short English; undefined for anything unknown. */
export function roleOf(component: ComponentRef): string | undefined {
	return roleOfName(component.name);
}

export type TalkRow = {
	/** As the talk wrote it: `kube-proxy-*`, `fluentd-gcp-v*`, `kube-dns`. */
	name: string;
	/** How it ran on GKE 1.11: systemd unit, static Pod, Deployment, DaemonSet. */
	type: string;
	/** How many ran on the talk's 3-node cluster. */
	count: number;
	/** What the talk says happens when it is stopped. */
	talkSays: string;
	/** The talk marked this "(expected)": a guess it could not verify. */
	expected: boolean;
	/** Which side of the talk's picture it sits on. */
	talkImpact: 'service impact' | 'no service impact';
	/** Why the experiment is different for it, when it is. */
	note?: string;
};

export const talkRows: readonly TalkRow[] = [
	{
		name: 'kubelet',
		type: 'systemd unit',
		count: 3,
		talkSays: 'service keeps running, but pods can no longer be deleted or started',
		expected: false,
		talkImpact: 'service impact',
		note: 'a systemd unit on each node: it cannot be stopped through the Kubernetes API',
	},
	{
		name: 'kube-proxy-*',
		type: 'static Pod',
		count: 3,
		talkSays: 'came back at once, so nothing could be seen; container-to-container traffic should fail and take the service down',
		expected: true,
		talkImpact: 'service impact',
	},
	{
		name: 'kube-dns',
		type: 'Deployment',
		count: 2,
		talkSays: 'APP → DB through a Service fails: service outage',
		expected: false,
		talkImpact: 'service impact',
	},
	{
		name: 'kube-dns-autoscaler',
		type: 'Deployment',
		count: 1,
		talkSays: 'no service impact; scaling stops',
		expected: true,
		talkImpact: 'no service impact',
	},
	{
		name: 'fluentd-gcp-v*',
		type: 'DaemonSet',
		count: 3,
		talkSays: 'no service impact; logs are no longer shipped',
		expected: false,
		talkImpact: 'no service impact',
	},
	{
		name: 'fluentd-gcp-scaler',
		type: 'Deployment',
		count: 1,
		talkSays: 'no service impact; scaling stops',
		expected: true,
		talkImpact: 'no service impact',
	},
	{
		name: 'event-exporter-v*',
		type: 'Deployment',
		count: 1,
		talkSays: 'no service impact; event logs are no longer shipped',
		expected: true,
		talkImpact: 'no service impact',
	},
	{
		name: 'metrics-server-v*',
		type: 'Deployment',
		count: 1,
		talkSays: 'no service impact; HPA stops working',
		expected: true,
		talkImpact: 'no service impact',
	},
	{
		name: 'heapster-v*',
		type: 'Deployment',
		count: 1,
		talkSays: 'no service impact; metrics are no longer shipped',
		expected: true,
		talkImpact: 'no service impact',
	},
];

// The talk's names as patterns: `x-v*` is a version-suffixed workload, `x-*` is a static pod
// whose mirror pods are x-<node> (its component is named x).
function talkRowMatches(row: TalkRow, name: string): boolean {
	if (name === row.name) return true;
	if (row.name.endsWith('-v*')) return matches({name: row.name.slice(0, -3), versionSuffixed: true}, name);
	if (row.name.endsWith('-*')) {
		const stem = row.name.slice(0, -2);
		return name === stem || name.startsWith(`${stem}-`);
	}

	return false;
}

/**
 * What the talk said about a component, by its component name (`kube-dns`, `kube-proxy`,
 * `fluentd-gcp-v3.2.0`, `kubelet`), or undefined when the talk did not cover it.
 */
export function talkRowFor(componentName: string): TalkRow | undefined {
	return talkRows.find(row => talkRowMatches(row, componentName));
}
