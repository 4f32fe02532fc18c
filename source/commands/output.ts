// Where a command's report goes: --out FILE (relative to the working directory), else stdout.
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {CommandError, type CommandIo} from './io.js';

/** Writes the report; returns the file it went to, or undefined for stdout. */
export async function writeOutput(out: string | undefined, io: CommandIo, text: string): Promise<string | undefined> {
	if (!out) {
		io.stdout.write(text);
		return undefined;
	}

	const file = path.resolve(io.cwd, out);
	try {
		await writeFile(file, text);
	} catch (error) {
		throw new CommandError(`cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`, 1);
	}

	return file;
}
