// `knockdown report FILE.json …`: saved JSON reports (experiments, sessions of `e`, a sweep)
// rendered again in any format, so last night's run can be shown on today's slides. No
// cluster is needed.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type {Config} from '../config/config.js';
import {renderExperiments, renderSweep} from '../report/render.js';
import {readSavedReports, SavedReportError} from '../report/saved-report.js';
import {CommandError, type CommandIo} from './io.js';
import {writeOutput} from './output.js';

async function readDocument(file: string, io: CommandIo): Promise<{file: string; value: unknown}> {
	const full = path.resolve(io.cwd, file);
	let text: string;
	try {
		text = await readFile(full, 'utf8');
	} catch (error) {
		throw new CommandError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error)}`, 2);
	}

	try {
		return {file, value: JSON.parse(text)};
	} catch (error) {
		throw new CommandError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`, 2);
	}
}

export async function runReport(config: Config, io: CommandIo): Promise<number> {
	const documents = [];
	for (const file of config.files) {
		documents.push(await readDocument(file, io));
	}

	let report;
	try {
		report = readSavedReports(documents);
	} catch (error) {
		if (error instanceof SavedReportError) {
			throw new CommandError(error.message, 2);
		}

		throw error;
	}

	const text = report.kind === 'sweep'
		? renderSweep(report.sweep, config.format)
		// A session's time: when its last experiment started (the render itself reads no clock).
		: renderExperiments(report.experiments, config.format, Math.max(0, ...report.experiments.map(json => json.t0)));
	const file = await writeOutput(config.out, io, text);
	if (file) {
		io.stdout.write(`report written to ${file}\n`);
	}

	return 0;
}
