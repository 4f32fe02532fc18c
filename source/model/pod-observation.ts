// What the measurement reads of a pod at one moment: the few fields a watch event gives it.
// Its own file so measurement.ts and node-measurement.ts can share it without importing each other.
/** What the measurement needs to know about one pod, as a watch event showed it. */
export type PodObservation = {
	uid: string;
	name: string;
	nodeName?: string;
	/** status.phase */
	phase?: string;
	/** condition Ready=True */
	ready: boolean;
	/** metadata.deletionTimestamp is set */
	terminating: boolean;
	/** nodeName set or PodScheduled=True */
	scheduled: boolean;
	/** Sum of the containers' restart counts (kill-container waits for it to grow). */
	restarts?: number;
};
