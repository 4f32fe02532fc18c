// Where things are on the simulated network: a node's internal IP from its place in the
// node list, and pod IPs handed out from each node's pod range (host-network pods use the node's).
import type {KubeObject} from '../store.js';
import type {Indexes} from './indexes.js';
import type {ProfileDefinition} from './profiles.js';

export class Addresses {
	private readonly nextPodIp = new Map<string, number>();

	constructor(private readonly profile: ProfileDefinition, private readonly indexes: Indexes) {}

	nodeIp(nodeName: string): string {
		const index = this.indexes.nodeIndex.get(nodeName);
		return this.profile.addressing(index ?? 250).internalIp;
	}

	allocatePodIp(nodeName: string, pod: KubeObject): string {
		if (pod.spec?.hostNetwork) {
			return this.nodeIp(nodeName);
		}

		const index = this.indexes.nodeIndex.get(nodeName) ?? 0;
		const next = this.nextPodIp.get(nodeName) ?? 0;
		this.nextPodIp.set(nodeName, next + 1);
		return `${this.profile.addressing(index).podCidrPrefix}.${2 + (next % 250)}`;
	}
}
