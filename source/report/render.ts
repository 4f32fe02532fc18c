// A report in the format asked for: the one place that maps a format to its renderer, for
// `kill`, `sweep`, `report` and the screen's `e`.
import type {OutputFormat} from '../config/config.js';
import {experimentJsonMarkdown, experimentsMarkdown, sessionSchema} from './experiment-report.js';
import {experimentsSvg, type PictureExperiment} from './experiment-svg.js';
import {experimentsHtml, sweepHtml} from './html-report.js';
import {sweepSvg} from './sweep-svg.js';
import {sweepMarkdown, type SweepJson} from './sweep-report.js';

/** One experiment alone is its own document; several are a session (written at `writtenAt`). */
export function renderExperiments(experiments: PictureExperiment[], format: OutputFormat, writtenAt: number): string {
	const [only] = experiments;
	switch (format) {
		case 'json': {
			const document = experiments.length === 1 ? only : {schema: sessionSchema, writtenAt, experiments};
			return JSON.stringify(document, null, 2) + '\n';
		}

		case 'svg': {
			return experimentsSvg(experiments) + '\n';
		}

		case 'html': {
			return experimentsHtml(experiments);
		}

		case 'text': {
			return experiments.map(json => json.result + '\n').join('');
		}

		case 'md': {
			return experiments.length === 1 ? experimentJsonMarkdown(only) : experimentsMarkdown(experiments, writtenAt);
		}
	}
}

export function renderSweep(sweep: SweepJson, format: OutputFormat): string {
	switch (format) {
		case 'json': {
			return JSON.stringify(sweep, null, 2) + '\n';
		}

		case 'svg': {
			return sweepSvg(sweep) + '\n';
		}

		case 'html': {
			return sweepHtml(sweep);
		}

		case 'text':
		case 'md': {
			return sweepMarkdown(sweep);
		}
	}
}
