// Dispatch a validated Config to its command.
import type {Config} from '../config/config.js';
import {CommandError, type CommandIo} from './io.js';

export async function runCommand(config: Config, io: CommandIo): Promise<number> {
	try {
		switch (config.command) {
			case 'sim': {
				const {runSim} = await import('./sim.js');
				return await runSim(config, io);
			}

			default: {
				throw new CommandError(`${config.command} is not built yet`, 2);
			}
		}
	} catch (error) {
		if (error instanceof CommandError) {
			io.stderr.write(`knockdown: ${error.message}\n`);
			return error.exitCode;
		}

		throw error;
	}
}
