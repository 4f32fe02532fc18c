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

			case 'ui': {
				// Ink draws nothing until the program ends when CI (or CONTINUOUS_INTEGRATION)
				// is set, and decides that once, as it loads. A person at a terminal inside a
				// CI job (a debug shell, a test harness) would see a blank screen: on a
				// terminal, the screen is drawn.
				if ('isTTY' in io.stdout && io.stdout.isTTY) {
					delete process.env.CI;
					delete process.env.CONTINUOUS_INTEGRATION;
				}

				const {runUi} = await import('./ui.js');
				return await runUi(config, io);
			}

			case 'kill': {
				const {runKill} = await import('./kill.js');
				return await runKill(config, io);
			}

			case 'sweep': {
				const {runSweep} = await import('./sweep.js');
				return await runSweep(config, io);
			}

			case 'report': {
				const {runReport} = await import('./report.js');
				return await runReport(config, io);
			}

			case 'guestbook-install':
			case 'guestbook-uninstall': {
				const {runGuestbook} = await import('./guestbook.js');
				return await runGuestbook(config, io);
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
