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
