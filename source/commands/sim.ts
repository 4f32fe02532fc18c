// `knockdown sim`: the simulated cluster in the foreground until SIGINT/SIGTERM. Prints one
// line when it is ready (scripts wait for it) and, if asked, writes a kubeconfig for it.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Config} from '../config/config.js';
import {startSim} from '../sim/index.js';
import type {SimHandle} from '../sim/sim-handle.js';
import {CommandError, type CommandIo} from './io.js';

export async function runSim(config: Config, io: CommandIo): Promise<number> {
	const {port, host, speed, nodes, profile, forbid, tls, token, writeKubeconfig} = config.sim;
	let sim: SimHandle;
	try {
		sim = await startSim({port, host, speed, nodes, profile, forbid, tls, token});
	} catch (error) {
		throw new CommandError(listenFailure(error, host, port));
	}

	// Up: from now on a signal stops the server cleanly.
	io.trapSignals?.();

	try {
		if (writeKubeconfig) {
			const file = path.resolve(io.cwd, writeKubeconfig);
			try {
				writeFileSync(file, sim.kubeconfig, {mode: 0o600});
			} catch (error) {
				throw new CommandError(`cannot write the kubeconfig to ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
			}
		}

		io.stdout.write(`sim listening on ${sim.url}\n`);
		if (!io.signal.aborted) {
			await new Promise<void>(resolve => {
				io.signal.addEventListener('abort', () => resolve(), {once: true});
			});
		}
	} finally {
		await sim.stop();
	}

	return 0;
}

function listenFailure(error: unknown, host: string, port: number): string {
	const code = (error as NodeJS.ErrnoException)?.code;
	switch (code) {
		case 'EADDRINUSE': {
			return `port ${port} on ${host} is already in use (pick another with --port, or --port 0 for a free one)`;
		}

		case 'EACCES': {
			return `not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges; try --port 0)`;
		}

		case 'EADDRNOTAVAIL':
		case 'ENOTFOUND': {
			return `cannot listen on ${host}: no such local address (try --host 127.0.0.1)`;
		}

		default: {
			return `the simulated cluster did not start: ${error instanceof Error ? error.message : String(error)}`;
		}
	}
}
