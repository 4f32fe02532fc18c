// How long the simulated cluster's controllers and kubelets take: one place for every delay
// (ranges are [min, max] ms, drawn with the world's random source).
export const hour = 3_600_000;
export const addonIntervalMs = 60_000;
export const autoscalerPollMs = 10_000;
export const maxBackoffMs = 300_000;
export const backoffResetMs = 600_000;

export const timing = {
	/** ReplicaSet / DaemonSet controller reaction to a lost or missing pod. */
	replaceMs: [100, 300] as const,
	scheduleMs: 100,
	kubeletPickupMs: 20,
	/** ContainerCreating → Running. */
	containerCreatingMs: [1000, 2000] as const,
	/** SIGTERM → containers stopped. */
	stopMs: [1000, 2000] as const,
	/** Containers stopped → pod object removed. */
	removeAfterStopMs: 100,
	endpointsMs: [500, 1000] as const,
	programMs: [200, 500] as const,
	mirrorRemoveMs: 300,
	mirrorRecreateMs: [400, 600] as const,
	restartNoticeMs: 100,
};

/**
 * The node lifecycle controller and the kubelet as a service on its node (docs/simulator.md
 * gives the sources). A node whose kubelet stopped posting status is marked Unknown after the
 * grace period; pods that do not tolerate the unreachable taint are evicted after their
 * tolerationSeconds (300 by default, added by the DefaultTolerationSeconds admission plugin).
 */
export const nodeLifecycle = {
	/** kube-controller-manager --node-monitor-grace-period. */
	gracePeriodMs: 40_000,
	/** kube-apiserver --default-unreachable-toleration-seconds. */
	defaultTolerationSeconds: 300,
	/** A restarted kubelet's first node status (Ready again). */
	kubeletStatusMs: 2000,
};
