// Start a simulated cluster for a test (real world, port 0, fast clock) and poll for
// conditions with a deadline instead of sleeping.
import {serveCluster} from '../../source/sim/server/index.js';
import type {SimHandle, SimOptions} from '../../source/sim/sim-handle.js';
import {createFakeCluster, type FakeCluster} from './fake-cluster.js';

/** The simulated cluster at `speed` 20 unless told otherwise, on a free loopback port. Call `stop()` when done. */
export async function startTestSim(options: SimOptions = {}): Promise<SimHandle> {
	// Loaded on demand so that protocol tests over the fake world do not load the real one.
	const {startSim} = await import('../../source/sim/index.js');
	return startSim({port: 0, host: '127.0.0.1', speed: 20, ...options});
}

/** The API server over a small fixed world (test/helpers/fake-cluster.ts), for protocol tests. */
export async function startFakeSim(options: {forbid?: string[]; deleteDelayMs?: number; tls?: boolean; token?: string} = {}): Promise<SimHandle & {cluster: FakeCluster}> {
	const cluster = createFakeCluster({deleteDelayMs: options.deleteDelayMs});
	const handle = await serveCluster(cluster, {forbid: options.forbid, tls: options.tls, token: options.token});
	return {...handle, cluster};
}

/** What `eventually` hands back: the check's value without the falsy ones it kept polling past. */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Poll `check` until it returns something truthy (returned) or the deadline passes (throws with `what`). */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000, intervalMs = 50): Promise<Truthy<Awaited<T>>> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value) {
				return value as Truthy<Awaited<T>>;
			}
		} catch (error) {
			last = error;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
		}

		await new Promise(resolve => setTimeout(resolve, intervalMs));
	}
}
