// The screen's `e`: the session's finished experiments as four files side by side (.md,
// .json, and the pictures for the slides, .svg and .html, drawn from the same JSON), under a
// name of their own that sorts by time and is never one already there.
import path from 'node:path';
import type {ExperimentRecord} from '../experiment/engine.js';
import {sessionJson, sessionMarkdown} from './experiment-report.js';
import {renderExperiments} from './render.js';

/** Where new files go; the disk's is in commands/output.ts, tests pass their own. */
export type NewFiles = {
	exists(file: string): boolean;
	/** Write a file that is not there yet; refuses (rejects) one that is, even one that appeared after the name was chosen. */
	writeNew(file: string, text: string): Promise<void>;
};

/** `knockdown-report-2026-11-26T15-40-12Z`: sortable, and no colons for any file system. */
export function reportBaseName(at: number): string {
	return `knockdown-report-${new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '-')}`;
}

const reportExtensions = ['.md', '.json', '.svg', '.html'];

/** The report's path without extension where none of its files (.md, .json, .svg, .html) exists yet: `…Z`, then `…Z-2`, `…Z-3`. */
export function freeReportBase(cwd: string, at: number, exists: (file: string) => boolean): string {
	// Two exports in one second, or a file already there: the next free name, never an overwrite.
	let base = path.join(cwd, reportBaseName(at));
	for (let n = 2; reportExtensions.some(extension => exists(`${base}${extension}`)); n++) {
		base = path.join(cwd, `${reportBaseName(at)}-${n}`);
	}

	return base;
}

/** Writes the session's report into `cwd`; returns its path without extension. */
export async function writeSessionReport(records: ExperimentRecord[], at: number, cwd: string, files: NewFiles): Promise<string> {
	const base = freeReportBase(cwd, at, file => files.exists(file));
	const session = sessionJson(records, at);
	await files.writeNew(`${base}.md`, sessionMarkdown(records, at));
	await files.writeNew(`${base}.json`, JSON.stringify(session, null, 2) + '\n');
	await files.writeNew(`${base}.svg`, renderExperiments(session.experiments, 'svg', at));
	await files.writeNew(`${base}.html`, renderExperiments(session.experiments, 'html', at));
	return base;
}
