// `knockdown sim`: the simulated cluster in the foreground until SIGINT/SIGTERM.
import type {Config} from '../config/config.js';
import type {CommandIo} from './io.js';

export async function runSim(_config: Config, _io: CommandIo): Promise<number> {
	throw new Error('not built yet');
}
