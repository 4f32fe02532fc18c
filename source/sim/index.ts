// The simulator's library entry: startSim(options) → SimHandle: the world (sim/world) with
// its controllers running on a clock `speed` times faster than real time, served over HTTP (or HTTPS).
import {systemClock} from '../time/clock.js';
import {serveCluster} from './server/index.js';
import type {SimHandle, SimOptions} from './sim-handle.js';
import {createCluster} from './world/index.js';

export type {SimHandle, SimOptions} from './sim-handle.js';

export async function startSim(options: SimOptions = {}): Promise<SimHandle> {
	const profile = options.profile ?? 'gke-1.11';
	// Unref'd: the simulator's housekeeping must not hold a process that is otherwise done.
	const clock = systemClock({unref: true});
	const build = () => {
		const cluster = createCluster({profile, nodes: options.nodes, clock, speed: options.speed});
		cluster.start();
		return cluster;
	};

	const cluster = build();
	try {
		return await serveCluster(cluster, {port: options.port ?? 0, host: options.host ?? '127.0.0.1', profile, forbid: options.forbid, tls: options.tls, token: options.token, rebuild: build});
	} catch (error) {
		cluster.stop();
		throw error;
	}
}
