// Where a command's report goes: --out FILE (relative to the working directory), else stdout.
import {constants, existsSync} from 'node:fs';
import {access, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {Config} from '../config/config.js';
import type {ExperimentRecord, RunningExperiment} from '../experiment/engine.js';
import {experimentJson, formatTimelineEntry, resultLine} from '../report/experiment-report.js';
import {timelineInOrder} from '../model/measurement.js';
import {OrderedTimeline} from '../report/ordered-timeline.js';
import {renderExperiments} from '../report/render.js';
import type {NewFiles} from '../report/session-files.js';
import {CommandError, type CommandIo} from './io.js';

/**
 * Where --out will be written, checked before anything is deleted: its folder exists and is
 * writable, and it is not a folder itself. An existing file is replaced, as `> FILE` would.
 */
export async function checkOutput(out: string | undefined, io: CommandIo): Promise<void> {
	if (!out) {
		return;
	}

	const file = path.resolve(io.cwd, out);
	const existing = await stat(file).catch(() => undefined);
	if (existing?.isDirectory()) {
		throw new CommandError(`--out ${file} is a folder; name a file in it (nothing was deleted)`, 2);
	}

	const target = existing ? file : path.dirname(file);
	try {
		await access(target, constants.W_OK);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why = code === 'ENOENT' ? `folder ${target} does not exist` : `${target} is not writable (${code ?? String(error)})`;
		throw new CommandError(`cannot write the report to ${file}: ${why} (nothing was deleted)`, 2);
	}
}

/** The disk, for the screen's `e`: 'wx' never writes over a file, even one that appeared after its name was chosen. */
export const newFilesOnDisk: NewFiles = {
	exists: file => existsSync(file),
	writeNew: async (file, text) => writeFile(file, text, {encoding: 'utf8', flag: 'wx'}),
};

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

/** The live timeline goes to stdout unless stdout carries the document (json, svg, html without --out). */
export function printsLive(config: Config): boolean {
	return config.format === 'text' || config.out !== undefined;
}

/** The result line after the live timeline, then the report in --format to --out or stdout. */
export async function writeExperimentReport(record: ExperimentRecord, config: Config, io: CommandIo): Promise<void> {
	if (printsLive(config)) {
		io.stdout.write(`\n${resultLine(record)}\n`);
	}

	if (config.format === 'text' && !config.out) {
		return;
	}

	const text = config.format === 'text'
		? [...timelineInOrder(record.measurement).map(entry => formatTimelineEntry(record.measurement, entry)), '', resultLine(record), ''].join('\n')
		: renderExperiments([experimentJson(record)], config.format, record.measurement.t0 ?? 0);
	const file = await writeOutput(config.out, io, text);
	if (file) {
		io.stdout.write(`report written to ${file}\n`);
	}
}

/**
 * The timeline as it comes, in time order (report/ordered-timeline.ts): a line waits until
 * nothing stamped earlier can still arrive — a probe timeout plus the API server's liveness
 * check (1 s) and half a second to spare — so the live output runs that far behind.
 */
export async function printTimelineInOrder(running: RunningExperiment, config: Config, io: CommandIo): Promise<ExperimentRecord> {
	if (!printsLive(config)) {
		return running.done;
	}

	const timeline = new OrderedTimeline(config.probeTimeoutMs + 1500);
	const print = (all: boolean) => {
		const state = running.state();
		for (const {entry, late} of timeline.take(io.clock.now(), all)) {
			io.stdout.write(formatTimelineEntry(state, entry) + (late ? '  (known late)' : '') + '\n');
		}
	};

	running.onEntry(entry => timeline.add(entry));
	const timer = io.clock.every(200, () => print(false));
	try {
		return await running.done;
	} finally {
		timer.cancel();
		print(true);
	}
}
