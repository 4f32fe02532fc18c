// Before a command changes the cluster: --read-only refuses it before anything is sent, and
// a person at a terminal is asked y/N unless --yes. Without a terminal there is nobody to
// ask, so without --yes nothing is deleted: a script says --yes on purpose. --demo is asked
// nothing: its cluster is the simulator this process started, and nothing else can be touched.
import {createInterface} from 'node:readline';
import type {Config} from '../config/config.js';
import {CommandError, type CommandIo} from './io.js';

/** Whether stdin is a terminal a person can answer on. */
function isTerminal(io: CommandIo): boolean {
	return Boolean((io.stdin as NodeJS.ReadStream).isTTY);
}

/** --read-only: a command that changes the cluster does not run at all. */
export function refuseReadOnly(config: Pick<Config, 'readOnly'>, command: string): void {
	if (config.readOnly) {
		throw new CommandError(`--read-only: ${command} changes the cluster, so it does not run (nothing was sent)`, 2);
	}
}

/**
 * Ask `question [y/N]` on stderr and read one line; only `y` or `yes` goes on. --yes (and
 * --demo) skip the question. Anything else (Enter, n, end of input) is a refusal, exit 2; without a
 * terminal there is nobody to ask, so it is a refusal that says to pass --yes.
 */
export async function confirm(config: Pick<Config, 'yes' | 'demo'>, io: CommandIo, command: string, question: string): Promise<void> {
	if (config.yes || config.demo) {
		return;
	}

	if (!isTerminal(io)) {
		throw new CommandError(`${command} changes the cluster and asks first, but stdin is not a terminal: pass --yes to go ahead without asking (nothing was deleted)`, 2);
	}

	const lines = createInterface({input: io.stdin, output: io.stderr, terminal: false});
	try {
		const answer = await new Promise<string | undefined>(resolve => {
			lines.once('line', resolve);
			lines.once('close', () => resolve(undefined));
			io.signal.addEventListener('abort', () => resolve(undefined), {once: true});
			io.stderr.write(`${question} [y/N] `);
		});
		if (io.signal.aborted) {
			throw new CommandError('interrupted: nothing was deleted', 130);
		}

		if (!/^\s*y(es)?\s*$/i.test(answer ?? '')) {
			if (answer === undefined) {
				io.stderr.write('\n');
			}

			throw new CommandError('not confirmed: nothing was deleted', 2);
		}
	} finally {
		lines.close();
	}
}
