// The monitor over a real cluster: the probe layers on client-node's transport. Used by the
// live screen's health panel and by the headless kill/sweep commands alike.
import {acquireApiLiveness} from '../kube/api-liveness.js';
import type {Connection} from '../kube/connect.js';
import {createKubeProbeTransport} from '../kube/probe-transport.js';
import {createMonitor, type GuestbookMonitor, type MonitorOptions} from './monitor.js';

export type {GuestbookMonitor, MonitorOptions} from './monitor.js';

/** The probes, with the connection's API-server liveness check deciding whose fault a timeout is. */
export function createGuestbookMonitor(connection: Pick<Connection, 'kubeConfig'>, options: MonitorOptions): GuestbookMonitor {
	const {liveness, release} = acquireApiLiveness(connection.kubeConfig);
	const monitor = createMonitor(createKubeProbeTransport(connection.kubeConfig), {apiServer: liveness, ...options});
	return {
		...monitor,
		stop() {
			monitor.stop();
			release();
		},
	};
}
