import type {Config} from '../config/config.js';
import {CommandError, type CommandIo} from './io.js';

export async function runGuestbook(_config: Config, _io: CommandIo): Promise<number> {
	throw new CommandError('not built yet', 2);
}
