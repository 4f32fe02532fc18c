// An experiment drawn against one time axis: a row per victim, per replacement and per
// probe layer, so a speaker can point at "DNS went down here, the new pod got Ready here".
// Plain text, one character per time slot; the screen's `t` view and the Markdown report
// both use it.
import {outageWindows, type Measurement} from '../model/measurement.js';
import {layerLabel, pathLayers} from '../probes/catalog.js';
import type {ProbeLayer} from '../probes/types.js';

export type TimelineChartOptions = {
	/** Columns for the bars (labels come on top of this). */
	width: number;
	/** The end of the axis (default: when the experiment ended, else its latest time). */
	endAt?: number;
	/** Width of the label column (default: the longest label, at most 34). */
	labelWidth?: number;
};

export const chartLegend = 'victim: █ running ▒ terminating · replacement: · pending ░ running █ ready · probes: ─ ok █ failing ? unknown';

/** One line per row, an axis line at the bottom; empty when the experiment has not started. */
export function timelineChart(state: Measurement, options: TimelineChartOptions): string[] {
	if (state.t0 === undefined) {
		return [];
	}

	const t0 = state.t0;
	const end = Math.max(t0 + 1000, options.endAt ?? state.ending?.at ?? state.now);
	const width = Math.max(10, options.width);
	const slotMs = (end - t0) / width;
	const slotStart = (index: number) => t0 + (index * slotMs);
	const bar = (pick: (from: number, to: number) => string) => Array.from({length: width}, (_, index) => pick(slotStart(index), slotStart(index + 1))).join('');

	const rows: Array<{label: string; bar: string}> = [];
	for (const victim of state.victims) {
		rows.push({
			label: `✕ ${victim.name}`,
			bar: bar(from => {
				if (victim.goneAt !== undefined && from >= victim.goneAt) {
					return ' ';
				}

				return victim.terminatingAt !== undefined && from >= victim.terminatingAt ? '▒' : '█';
			}),
		});
	}

	for (const replacement of state.replacements) {
		rows.push({
			label: `+ ${replacement.name}`,
			bar: bar((_from, to) => {
				if (to <= replacement.createdAt) {
					return ' ';
				}

				if (replacement.readyAt !== undefined && to > replacement.readyAt) {
					return '█';
				}

				return replacement.runningAt !== undefined && to > replacement.runningAt ? '░' : '·';
			}),
		});
	}

	const layers = [...new Set<ProbeLayer>([...pathLayers, ...state.probes.map(result => result.layer)])]
		.filter(layer => state.probes.some(result => result.layer === layer));
	for (const layer of layers) {
		const windows = outageWindows(state, layer);
		const results = state.probes.filter(result => result.layer === layer);
		rows.push({
			label: layerLabel(layer),
			bar: bar((from, to) => {
				if (windows.some(window => window.firstFailAt < to && (window.firstOkAfterAt ?? Number.POSITIVE_INFINITY) > from)) {
					return '█';
				}

				const inSlot = results.filter(result => result.sentAt >= from && result.sentAt < to);
				if (inSlot.length > 0 && inSlot.every(result => result.outcome === 'unknown')) {
					return '?';
				}

				// Between probes the layer is as the last probe found it.
				const last = [...results].reverse().find(result => result.sentAt < to);
				return last === undefined ? ' ' : last.outcome === 'unknown' ? '?' : '─';
			}),
		});
	}

	const labelWidth = options.labelWidth ?? Math.min(34, Math.max(...rows.map(row => row.label.length), 8));
	const fit = (label: string) => label.length > labelWidth ? label.slice(0, labelWidth - 1) + '…' : label.padEnd(labelWidth);
	const lines = rows.map(row => `${fit(row.label)} │${row.bar}│`);
	lines.push(`${' '.repeat(labelWidth)} └${axis(end - t0, width)}`);
	return lines;
}

/** `+0 s      +5 s      +10 s` under the bars, with a tick step that keeps labels apart. */
function axis(spanMs: number, width: number): string {
	const steps = [1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000];
	const stepMs = steps.find(step => (step / spanMs) * width >= 8) ?? steps.at(-1)!;
	const chars = Array.from({length: width + 8}, () => ' ');
	for (let at = 0; at <= spanMs; at += stepMs) {
		const column = Math.round((at / spanMs) * width);
		const label = `+${at / 1000} s`;
		if (column + label.length <= chars.length) {
			for (const [offset, char] of [...label].entries()) {
				chars[column + offset] = char;
			}
		}
	}

	return chars.join('').trimEnd();
}
