// The bench's output: a table on stdout and the same numbers in bench/results.json (not
// committed), one section per script, so the next change can be compared with this one.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

export const resultsPath = fileURLToPath(new URL('../results.json', import.meta.url));

export type ResultRow = {
	/** What was measured, e.g. "first full screen, 20,631 pods". */
	metric: string;
	/** The number (undefined when it could not be measured; `note` says why). */
	value: number | undefined;
	unit: string;
	/** The target from the issue, as text, e.g. "≤ 200". */
	target?: string;
	/** Whether the value meets the target (undefined: no target or no value). */
	ok?: boolean;
	note?: string;
};

export function printTable(title: string, rows: readonly ResultRow[]): void {
	const cells = rows.map(row => [
		row.metric,
		row.value === undefined ? 'unknown' : `${formatNumber(row.value)} ${row.unit}`,
		row.target ?? '',
		row.ok === undefined ? '' : (row.ok ? 'ok' : 'MISSED'),
		row.note ?? '',
	]);
	const header = ['metric', 'value', 'target', '', 'note'];
	const widths = header.map((_, column) => Math.max(header[column]!.length, ...cells.map(cell => cell[column]!.length)));
	const line = (cell: string[]) => `| ${cell.map((text, column) => text.padEnd(widths[column]!)).join(' | ')} |`;
	process.stdout.write(`\n### ${title}\n\n${line(header)}\n|${widths.map(width => '-'.repeat(width + 2)).join('|')}|\n${cells.map(cell => line(cell)).join('\n')}\n`);
}

function formatNumber(value: number): string {
	return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2);
}

/** Replace this script's section of bench/results.json, keeping the other scripts' sections. */
export function saveResults(section: string, data: unknown): void {
	let all: Record<string, unknown> = {};
	if (existsSync(resultsPath)) {
		try {
			all = JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>;
		} catch {
			all = {};
		}
	}

	all[section] = {at: new Date().toISOString(), ...data as object};
	writeFileSync(resultsPath, JSON.stringify(all, null, 2) + '\n');
}
