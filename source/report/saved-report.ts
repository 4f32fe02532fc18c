// Saved JSON reports read back (`knockdown report FILE.json …`): an experiment
// (`knockdown.experiment/v1`), a session of the screen's `e` (`knockdown.session/v1`) or a
// sweep (`knockdown.sweep/v1`). Reports written before a field existed still render: what
// they lack is filled with what the renderers read as "not known".
import {experimentSchema, sessionSchema, type ExperimentJson} from './experiment-report.js';
import type {PictureExperiment} from './experiment-svg.js';
import {sweepSchema, type SweepJson} from './sweep-report.js';

export type SavedReport = {kind: 'experiments'; experiments: PictureExperiment[]} | {kind: 'sweep'; sweep: SweepJson};

/** A document that is not a knockdown report, or reports that cannot be shown together. */
export class SavedReportError extends Error {}

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `kube-dns · service impact`: for reports saved before the result line was part of the JSON. */
function fallbackResult(json: Loose): string {
	const outage = typeof json.serviceOutageMs === 'number' ? `service outage ${(json.serviceOutageMs / 1000).toFixed(1)} s` : String(json.verdict).replaceAll('-', ' ');
	return `${String(json.component)} · ${outage}`;
}

export function readExperiment(value: unknown, where: string): PictureExperiment {
	if (!isObject(value) || value.schema !== experimentSchema) {
		throw new SavedReportError(`${where} is not a knockdown experiment (schema ${experimentSchema})`);
	}

	for (const [field, type] of [['component', 'string'], ['t0', 'number'], ['verdict', 'string']] as const) {
		if (typeof value[field] !== type) {
			throw new SavedReportError(`${where}: "${field}" is missing or not a ${type}`);
		}
	}

	for (const field of ['outages', 'victims', 'replacements'] as const) {
		if (!Array.isArray(value[field])) {
			throw new SavedReportError(`${where}: "${field}" is missing or not a list`);
		}
	}

	const json = value as Partial<ExperimentJson> & Loose;
	return {
		...json,
		componentKey: json.componentKey ?? json.component,
		namespace: json.namespace ?? '',
		result: json.result ?? fallbackResult(json),
		functionImpact: json.functionImpact ?? null,
		probeLayers: json.probeLayers ?? [],
		degradations: json.degradations ?? [],
		measuredOn: json.measuredOn ?? null,
		timeline: json.timeline ?? [],
		verdictReason: json.verdictReason ?? null,
		functionLayer: json.functionLayer ?? null,
	} as PictureExperiment;
}

function readSweep(value: Loose, where: string): SweepJson {
	if (!Array.isArray(value.rows)) {
		throw new SavedReportError(`${where}: "rows" is missing or not a list`);
	}

	const sweep = value as unknown as SweepJson;
	return {
		...sweep,
		rows: sweep.rows.map((row, index) => ({...row, experiment: row.experiment ? readExperiment(row.experiment, `${where} row ${index + 1}`) : null})),
	};
}

/**
 * Parsed documents (with the file each came from) as one report: any number of
 * experiments and sessions together, or one sweep on its own.
 */
export function readSavedReports(documents: Array<{file: string; value: unknown}>): SavedReport {
	const experiments: PictureExperiment[] = [];
	const sweeps: SweepJson[] = [];
	for (const {file, value} of documents) {
		const schema = isObject(value) ? value.schema : undefined;
		if (schema === sweepSchema) {
			sweeps.push(readSweep(value as Loose, file));
		} else if (schema === sessionSchema) {
			const list = (value as Loose).experiments;
			if (!Array.isArray(list)) {
				throw new SavedReportError(`${file}: "experiments" is missing or not a list`);
			}

			experiments.push(...list.map((item, index) => readExperiment(item, `${file} experiment ${index + 1}`)));
		} else if (schema === experimentSchema) {
			experiments.push(readExperiment(value, file));
		} else {
			throw new SavedReportError(`${file} is not a knockdown report (its schema is ${typeof schema === 'string' ? `"${schema}"` : 'missing'}; expected ${experimentSchema}, ${sessionSchema} or ${sweepSchema})`);
		}
	}

	if (sweeps.length > 0) {
		if (sweeps.length > 1 || experiments.length > 0) {
			throw new SavedReportError('a sweep renders on its own: give one sweep report, or experiment and session reports');
		}

		return {kind: 'sweep', sweep: sweeps[0]};
	}

	return {kind: 'experiments', experiments};
}
