// Which cluster a command talks to: the kubeconfig's (flags, KUBECONFIG, ~/.kube/config) or,
// with --demo, a simulated cluster started in this process. Either way the app reaches it
// only through client-node over HTTP.
import type {Config} from '../config/config.js';
import {ConnectError, connectionFromString, loadConnection, type Connection} from '../kube/connect.js';
import {checkNamespaceReadable, PreflightError} from '../kube/preflight.js';
import type {SimHandle} from '../sim/sim-handle.js';
import {CommandError, type CommandIo} from './io.js';

export type Target = {
	connection: Connection;
	/** The in-process simulator, with --demo. */
	sim?: SimHandle;
	close(): Promise<void>;
};

export async function openTarget(config: Config, io: CommandIo): Promise<Target> {
	if (config.demo) {
		const {startSim} = await import('../sim/index.js');
		const sim = await startSim({
			profile: config.sim.profile,
			speed: config.sim.speed,
			nodes: config.sim.nodes,
			forbid: config.sim.forbid,
		});
		return {connection: connectionFromString(sim.kubeconfig), sim, close: () => sim.stop()};
	}

	try {
		const connection = loadConnection({
			kubeconfigPath: config.connection.kubeconfigPath,
			kubeconfigEnv: io.env.KUBECONFIG,
			context: config.connection.context,
		});
		return {connection, close: async () => {}};
	} catch (error) {
		if (error instanceof ConnectError) {
			throw new CommandError(error.message, 2);
		}

		throw error;
	}
}

/**
 * openTarget, then ask the API server once whether the namespace exists and its pods may be
 * listed: an unreachable server or a wrong namespace is one sentence and exit code 2 at once,
 * not a screen that never fills or a command that waits for its watches to time out.
 */
export async function openCheckedTarget(config: Config, io: CommandIo): Promise<Target> {
	const target = await openTarget(config, io);
	try {
		await checkNamespaceReadable(target.connection, config.namespace);
	} catch (error) {
		await target.close();
		if (error instanceof PreflightError) {
			throw new CommandError(error.message, 2);
		}

		throw error;
	}

	return target;
}
