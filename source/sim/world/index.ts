// The simulated cluster's world, behind the SimCluster interface the HTTP server uses.
import type {ClusterOptions, SimCluster} from '../cluster.js';
import {simClock} from '../clock.js';
import {World, type WorldOptions} from './world.js';

export {timing, type WorldOptions} from './world.js';
export {resolverTimeoutMs} from './network.js';

/**
 * Build the settled world of a profile (default gke-1.11: the talk's three-node GKE
 * cluster with the guestbook). Controllers react to changes at once; call start() for
 * the periodic ones (addon manager, kube-dns-autoscaler) and stop() to cancel every timer.
 */
export function createCluster(options: ClusterOptions & Partial<Pick<WorldOptions, 'random' | 'eventLimit'>>): SimCluster {
	return new World(simClock(options.clock, options.speed), options);
}
