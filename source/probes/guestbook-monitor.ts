// The monitor over a real cluster: the probe layers on client-node's transport. Used by the
// live screen's health panel and by the headless kill/sweep commands alike.
import type {Connection} from '../kube/connect.js';
import {createKubeProbeTransport} from '../kube/probe-transport.js';
import {createMonitor, type GuestbookMonitor, type MonitorOptions} from './monitor.js';

export type {GuestbookMonitor, MonitorOptions} from './monitor.js';

export function createGuestbookMonitor(connection: Pick<Connection, 'kubeConfig'>, options: MonitorOptions): GuestbookMonitor {
	return createMonitor(createKubeProbeTransport(connection.kubeConfig), options);
}
