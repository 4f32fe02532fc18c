// READY, STATUS, RESTARTS and AGE of a pod, computed exactly as `kubectl get pods` prints
// them. This is a port of printPod in k8s.io/kubernetes pkg/printers/internalversion/printers.go
// and of HumanDuration in k8s.io/apimachinery pkg/util/duration: the audience compares what
// knockdown shows with what kubectl shows, so every branch of kubectl's rules is kept, in
// kubectl's order, even where it looks odd (the reverse loop over containers, the single
// `break` after the first unfinished init container).
//
// Time is always passed in (nowMs); nothing here reads the clock.

/** A timestamp as client-node's deserializer gives it (Date) or as plain JSON has it (ISO string). */
export type Timestamp = Date | string;

export type ContainerStateLike = {
	waiting?: {reason?: string | null; message?: string | null} | null;
	running?: {startedAt?: Timestamp | null} | null;
	terminated?: {
		exitCode?: number | null;
		signal?: number | null;
		reason?: string | null;
		startedAt?: Timestamp | null;
		finishedAt?: Timestamp | null;
	} | null;
};

export type ContainerStatusLike = {
	name: string;
	ready?: boolean | null;
	started?: boolean | null;
	restartCount?: number | null;
	state?: ContainerStateLike | null;
	lastState?: ContainerStateLike | null;
};

export type OwnerReferenceLike = {
	apiVersion?: string;
	kind: string;
	name: string;
	uid?: string;
	controller?: boolean | null;
};

/**
 * The part of a Pod this project reads. Both client-node's V1Pod and a pod parsed from JSON
 * fit it, so the same functions serve informers, recorded fixtures and the simulator.
 */
export type PodLike = {
	metadata?: {
		name?: string;
		namespace?: string;
		uid?: string;
		creationTimestamp?: Timestamp | null;
		deletionTimestamp?: Timestamp | null;
		labels?: Record<string, string> | null;
		annotations?: Record<string, string> | null;
		ownerReferences?: OwnerReferenceLike[] | null;
	} | null;
	spec?: {
		nodeName?: string | null;
		containers?: Array<{name: string}> | null;
		initContainers?: Array<{name: string; restartPolicy?: string | null}> | null;
	} | null;
	status?: {
		phase?: string | null;
		reason?: string | null;
		conditions?: Array<{type: string; status: string; reason?: string | null}> | null;
		containerStatuses?: ContainerStatusLike[] | null;
		initContainerStatuses?: ContainerStatusLike[] | null;
	} | null;
};

export type PodDisplay = {ready: string; status: string; restarts: string; age: string};

export type PodRestarts = {
	count: number;
	/** How long ago the latest counted container termination finished; absent when unknown. */
	lastRestartAgoMs?: number;
	/** The RESTARTS cell: `22` or `22 (5m ago)`. */
	text: string;
};

/** Milliseconds since the epoch, or undefined for a missing or unparsable timestamp. */
export function timestampMs(value: Timestamp | null | undefined): number | undefined {
	if (value === undefined || value === null) return undefined;
	const ms = value instanceof Date ? value.getTime() : Date.parse(value);
	return Number.isFinite(ms) ? ms : undefined;
}

/**
 * apimachinery's duration.HumanDuration: about two significant figures, e.g. `45s`, `2m5s`,
 * `12m`, `3h10m`, `20h`, `5d3h`, `40d`, `2y30d`, `9y`. A clock up to 2 s behind counts as "now".
 */
export function formatAge(ms: number): string {
	// Go converts with int(), which truncates toward zero.
	const seconds = Math.trunc(ms / 1000);
	if (seconds < -1) return '<invalid>';
	if (seconds < 0) return '0s';
	if (seconds < 60 * 2) return `${seconds}s`;

	const minutes = Math.floor(seconds / 60);
	if (minutes < 10) {
		const s = seconds % 60;
		return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
	}
	if (minutes < 60 * 3) return `${minutes}m`;

	const hours = Math.floor(minutes / 60);
	if (hours < 8) {
		const m = minutes % 60;
		return m === 0 ? `${hours}h` : `${hours}h${m}m`;
	}
	if (hours < 48) return `${hours}h`;
	if (hours < 24 * 8) {
		const h = hours % 24;
		const days = Math.floor(hours / 24);
		return h === 0 ? `${days}d` : `${days}d${h}h`;
	}
	if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
	if (hours < 24 * 365 * 8) {
		const days = Math.floor(hours / 24);
		const years = Math.floor(days / 365);
		const dy = days % 365;
		return dy === 0 ? `${years}y` : `${years}y${dy}d`;
	}
	return `${Math.floor(hours / 24 / 365)}y`;
}

/** kubectl's translateTimestampSince: `<unknown>` for a missing timestamp. */
function ageSince(timestamp: Timestamp | null | undefined, nowMs: number): string {
	const ms = timestampMs(timestamp);
	return ms === undefined ? '<unknown>' : formatAge(nowMs - ms);
}

// A sidecar: an init container with restartPolicy Always keeps running beside the app
// containers, so kubectl counts it in READY and in RESTARTS.
function isRestartableInitContainer(container: {restartPolicy?: string | null} | undefined): boolean {
	return container?.restartPolicy === 'Always';
}

function hasCondition(pod: PodLike, type: string): boolean {
	return (pod.status?.conditions ?? []).some(condition => condition.type === type && condition.status === 'True');
}

export function isPodReady(pod: PodLike): boolean {
	return hasCondition(pod, 'Ready');
}

/**
 * A pod's identity across its life: the uid, or the name for hand-made objects without one.
 * The engine's tracked pods, the cluster view and the measurement's observations all key on
 * it, so they must compute it the same way.
 */
export function podUid(pod: PodLike): string {
	return pod.metadata?.uid ?? pod.metadata?.name ?? '';
}

type PrintedPod = {
	readyContainers: number;
	totalContainers: number;
	reason: string;
	restarts: number;
	lastRestartMs?: number;
};

// Everything kubectl derives in one pass; READY, STATUS and RESTARTS share intermediate state
// (whether the pod is still initializing decides which restarts are counted).
function printPod(pod: PodLike): PrintedPod {
	const spec = pod.spec ?? {};
	const status = pod.status ?? {};
	const specInitContainers = spec.initContainers ?? [];

	let restarts = 0;
	let restartableInitContainerRestarts = 0;
	let totalContainers = (spec.containers ?? []).length;
	let readyContainers = 0;
	let lastRestartMs: number | undefined;
	let lastRestartableInitContainerRestartMs: number | undefined;
	const later = (current: number | undefined, candidate: Timestamp | null | undefined) => {
		const ms = timestampMs(candidate);
		return ms !== undefined && (current === undefined || ms > current) ? ms : current;
	};

	const podPhase = status.phase ?? '';
	let reason: string = podPhase;
	if (status.reason) reason = status.reason;

	for (const condition of status.conditions ?? []) {
		if (condition.type === 'PodScheduled' && condition.reason === 'SchedulingGated') reason = 'SchedulingGated';
	}

	const initContainersByName = new Map(specInitContainers.map(container => [container.name, container]));
	for (const container of specInitContainers) {
		if (isRestartableInitContainer(container)) totalContainers++;
	}

	let initializing = false;
	const initStatuses = status.initContainerStatuses ?? [];
	for (let index = 0; index < initStatuses.length; index++) {
		const container = initStatuses[index]!;
		const restartable = isRestartableInitContainer(initContainersByName.get(container.name));
		restarts += container.restartCount ?? 0;
		lastRestartMs = later(lastRestartMs, container.lastState?.terminated?.finishedAt);
		if (restartable) {
			restartableInitContainerRestarts += container.restartCount ?? 0;
			lastRestartableInitContainerRestartMs = later(
				lastRestartableInitContainerRestartMs,
				container.lastState?.terminated?.finishedAt,
			);
		}

		const terminated = container.state?.terminated;
		const waiting = container.state?.waiting;
		if (terminated && (terminated.exitCode ?? 0) === 0) continue;
		if (restartable && container.started === true) {
			if (container.ready) readyContainers++;
			continue;
		}

		if (terminated) {
			// Initialization failed.
			if (!terminated.reason) {
				reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
			} else {
				reason = `Init:${terminated.reason}`;
			}
		} else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
			reason = `Init:${waiting.reason}`;
		} else {
			reason = `Init:${index}/${specInitContainers.length}`;
		}

		initializing = true;
		break;
	}

	if (!initializing || hasCondition(pod, 'Initialized')) {
		restarts = restartableInitContainerRestarts;
		lastRestartMs = lastRestartableInitContainerRestartMs;
		let hasRunning = false;
		const statuses = status.containerStatuses ?? [];
		// kubectl walks the containers from last to first, so the first container's state wins.
		for (let index = statuses.length - 1; index >= 0; index--) {
			const container = statuses[index]!;
			restarts += container.restartCount ?? 0;
			lastRestartMs = later(lastRestartMs, container.lastState?.terminated?.finishedAt);

			const waiting = container.state?.waiting;
			const terminated = container.state?.terminated;
			if (waiting?.reason) {
				reason = waiting.reason;
			} else if (terminated?.reason) {
				reason = terminated.reason;
			} else if (terminated) {
				reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
			} else if (container.ready && container.state?.running) {
				hasRunning = true;
				readyContainers++;
			}
		}

		// A pod with one container finished and another still running is not "Completed".
		if (reason === 'Completed' && hasRunning) {
			reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
		}
	}

	const deleting = pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
	const terminalPhase = podPhase === 'Succeeded' || podPhase === 'Failed';
	if (deleting && status.reason === 'NodeLost') {
		reason = 'Unknown';
	} else if (deleting && !terminalPhase) {
		reason = 'Terminating';
	}

	return {readyContainers, totalContainers, reason, restarts, lastRestartMs};
}

/** The READY column as numbers: ready containers (sidecars included) of all containers. */
export function podReadyCount(pod: PodLike): {ready: number; total: number} {
	const printed = printPod(pod);
	return {ready: printed.readyContainers, total: printed.totalContainers};
}

/** The STATUS column: Running, CrashLoopBackOff, Init:1/2, Terminating, Evicted, … */
export function podStatusReason(pod: PodLike): string {
	return printPod(pod).reason;
}

/** The RESTARTS column: `22 (5m ago)` when the latest termination time is known. */
export function podRestarts(pod: PodLike, nowMs: number): PodRestarts {
	const {restarts, lastRestartMs} = printPod(pod);
	if (restarts === 0 || lastRestartMs === undefined) return {count: restarts, text: String(restarts)};
	const lastRestartAgoMs = nowMs - lastRestartMs;
	return {count: restarts, lastRestartAgoMs, text: `${restarts} (${formatAge(lastRestartAgoMs)} ago)`};
}

/** The AGE column: time since creationTimestamp. */
export function podAge(pod: PodLike, nowMs: number): string {
	return ageSince(pod.metadata?.creationTimestamp, nowMs);
}

/** READY, STATUS, RESTARTS and AGE as `kubectl get pods` prints them at nowMs. */
export function podDisplay(pod: PodLike, nowMs: number): PodDisplay {
	const printed = printPod(pod);
	let restarts = String(printed.restarts);
	if (printed.restarts !== 0 && printed.lastRestartMs !== undefined) {
		restarts = `${printed.restarts} (${formatAge(nowMs - printed.lastRestartMs)} ago)`;
	}

	return {
		ready: `${printed.readyContainers}/${printed.totalContainers}`,
		status: printed.reason,
		restarts,
		age: podAge(pod, nowMs),
	};
}
