// One API-server liveness check per cluster connection, shared by whoever needs it (the
// watches' connection state, the probes): two pingers against one server would only double
// the load and could disagree about the same moment.
import type {KubeConfig} from '@kubernetes/client-node';
import {createApiLiveness, type ApiLiveness} from '../probes/api-liveness.js';
import {createKubeProbeTransport} from './probe-transport.js';

const shared = new WeakMap<KubeConfig, {liveness: ApiLiveness; users: number}>();

/** The connection's liveness check, started on first use; `release()` stops it after its last user. */
export function acquireApiLiveness(kubeConfig: KubeConfig): {liveness: ApiLiveness; release(): void} {
	let entry = shared.get(kubeConfig);
	if (!entry) {
		entry = {liveness: createApiLiveness(createKubeProbeTransport(kubeConfig)), users: 0};
		shared.set(kubeConfig, entry);
	}

	entry.users++;
	const held = entry;
	let released = false;
	return {
		liveness: held.liveness,
		release() {
			if (released) {
				return;
			}

			released = true;
			held.users--;
			if (held.users === 0) {
				held.liveness.stop();
				shared.delete(kubeConfig);
			}
		},
	};
}
