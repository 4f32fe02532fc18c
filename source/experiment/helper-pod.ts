// The helper pod that stops something on a node's host for a while: privileged, sharing the
// host's PIDs, pinned to the node by nodeName (no scheduler involved), tolerating every taint
// (the node goes NotReady under it). Its command first schedules the undo on the host itself
// with a transient systemd timer, then stops the kubelet or moves a static pod's manifest out
// of the kubelet's directory: so the kubelet restarts, or the manifest returns, even if
// knockdown, the helper pod or the connection dies on the way. Pure: builds objects only.

export const helperLabel = 'app.kubernetes.io/name';
export const helperLabelValue = 'knockdown-helper';

export type NodeStop =
	| {kind: 'kubelet'; node: string; forMs: number; unit: string}
	| {kind: 'static-pod'; node: string; forMs: number; component: string; manifestDir: string; manifestFile: string};

/**
 * The stop on `node` for `forMs`, with how the flags say it is done there: the kubelet's
 * systemd unit, or the static pod's manifest directory and file (by default its usual name).
 */
export function nodeStopOn(
	what: {kind: 'kubelet'} | {kind: 'static-pod'; component: string},
	node: string,
	forMs: number,
	flags: {kubeletUnit: string; manifestDir: string; manifestFile?: string},
): NodeStop {
	return what.kind === 'kubelet'
		? {kind: 'kubelet', node, forMs, unit: flags.kubeletUnit}
		: {kind: 'static-pod', node, forMs, component: what.component, manifestDir: flags.manifestDir, manifestFile: flags.manifestFile ?? defaultManifestFile(what.component)};
}

/** Enter every namespace of the host's PID 1 (possible because the pod shares the host's PIDs). */
const onHost = 'nsenter -t 1 -m -u -i -n -p --';

/** The manifest file of a static pod: GKE names kube-proxy's `kube-proxy.manifest`, kubeadm names its `<component>.yaml`. */
export function defaultManifestFile(component: string): string {
	return component === 'kube-proxy' ? 'kube-proxy.manifest' : `${component}.yaml`;
}

/** Where a moved-out manifest waits: beside the manifest directory, never in a temporary directory a reboot clears. */
export function parkedManifestPath(stop: Extract<NodeStop, {kind: 'static-pod'}>): string {
	const dir = stop.manifestDir.replace(/\/+$/, '');
	const parent = dir.slice(0, dir.lastIndexOf('/')) || '/';
	return `${parent === '/' ? '' : parent}/${stop.manifestFile}.knockdown`;
}

/** The transient unit that undoes the stop (named so a person can find it: `systemctl list-timers 'knockdown-*'`). */
export function undoUnitName(stamp: string): string {
	return `knockdown-undo-${stamp}`;
}

/** The helper's shell script: the undo is scheduled first, and the stop runs only if that worked. */
export function helperScript(stop: NodeStop, stamp: string): string {
	const seconds = Math.max(1, Math.ceil(stop.forMs / 1000));
	const timer = `systemd-run --unit=${undoUnitName(stamp)} --on-active=${seconds}s`;
	if (stop.kind === 'kubelet') {
		return `${onHost} ${timer} systemctl start ${stop.unit} && ${onHost} systemctl stop ${stop.unit}`;
	}

	const dir = stop.manifestDir.replace(/\/+$/, '');
	const manifest = `${dir}/${stop.manifestFile}`;
	const parked = parkedManifestPath(stop);
	return `${onHost} ${timer} mv ${parked} ${manifest} && ${onHost} mv ${manifest} ${parked}`;
}

/** How to undo by hand on the node, for the sentence printed when the helper could not be cleaned up. */
export function manualUndo(stop: NodeStop): string {
	return stop.kind === 'kubelet'
		? `systemctl start ${stop.unit}`
		: `mv ${parkedManifestPath(stop)} ${stop.manifestDir.replace(/\/+$/, '')}/${stop.manifestFile}`;
}

export function helperPodName(stamp: string): string {
	return `knockdown-helper-${stamp}`;
}

export function helperPod(stop: NodeStop, options: {namespace: string; image: string; stamp: string}): Record<string, any> {
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			name: helperPodName(options.stamp),
			namespace: options.namespace,
			labels: {[helperLabel]: helperLabelValue},
			annotations: {
				'knockdown/what': stop.kind === 'kubelet' ? `stop ${stop.unit} on ${stop.node}` : `move ${stop.manifestFile} out of ${stop.manifestDir} on ${stop.node}`,
				'knockdown/undo': `${undoUnitName(options.stamp)} (${manualUndo(stop)}) after ${Math.max(1, Math.ceil(stop.forMs / 1000))} s`,
			},
		},
		spec: {
			nodeName: stop.node,
			hostPID: true,
			restartPolicy: 'Never',
			terminationGracePeriodSeconds: 1,
			tolerations: [{operator: 'Exists'}],
			containers: [{
				name: 'knockdown-helper',
				image: options.image,
				command: ['sh', '-c', helperScript(stop, options.stamp)],
				securityContext: {privileged: true},
				terminationMessagePolicy: 'FallbackToLogsOnError',
			}],
		},
	};
}

/** A short, unique, DNS-label-safe stamp for names: base-36 time. */
export function helperStamp(nowMs: number): string {
	return Math.floor(nowMs).toString(36);
}
