// What a command gets from the process: streams, environment, the clock and a signal that
// fires on SIGINT/SIGTERM. Commands return an exit code instead of exiting.
import type {Clock} from '../time/clock.js';

export type CommandIo = {
	stdout: NodeJS.WriteStream | NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
	stdin: NodeJS.ReadStream | NodeJS.ReadableStream;
	env: NodeJS.ProcessEnv;
	cwd: string;
	signal: AbortSignal;
	/** The one time source the command's watches, probes and experiments read and wait on. */
	clock: Clock;
	/** From now on SIGINT/SIGTERM fire `signal` (until then they end the process); on from the start unless a command calls it. */
	trapSignals?(): void;
};

/** A command's expected failure: printed as one line on stderr, with this exit code. */
export class CommandError extends Error {
	constructor(
		message: string,
		readonly exitCode = 2,
	) {
		super(message);
	}
}
