// The sweep as one picture: a row per component with its service outage ± bound (coloured
// and textured by verdict), its function outage, when the first replacement was Ready and
// when it had recovered, on one seconds axis; beside it, what the talk said and whether
// the measurement held it. A pure function of the sweep's JSON.
import type {ExperimentJson} from './experiment-report.js';
import {verdictWords, verdictLooks} from './experiment-svg.js';
import {
	el,
	legend,
	lookAttributes,
	markShapes,
	middleCut,
	secondsText,
	svgDocument,
	text,
	tickStep,
	tooltip,
	wrapText,
	type SvgTheme,
} from './svg.js';
import {talkSaid, type SweepJson, type SweepRowJson} from './sweep-report.js';

/** A total outage over some windows, with the sum of their bounds (open windows count their minimum). */
export type OutageTotal = {ms: number; uncertaintyMs: number; open: boolean};

export function outageTotal(experiment: ExperimentJson | null, layer: string | null): OutageTotal | undefined {
	const windows = experiment && layer ? experiment.outages.filter(outage => outage.layer === layer) : [];
	if (windows.length === 0) {
		return undefined;
	}

	return {
		ms: windows.reduce((sum, window) => sum + (window.durationMs ?? window.minMs), 0),
		uncertaintyMs: windows.reduce((sum, window) => sum + (window.uncertaintyMs ?? 0), 0),
		open: windows.some(window => window.durationMs === null),
	};
}

const width = 1280;
const labelLeft = 24;
const plotLeft = 330;
const plotRight = 930;
const talkLeft = 960;
const rowHeight = 72;

const heldWords: Record<SweepRowJson['verified'], string> = {
	confirmed: '✓ confirmed',
	refuted: '✗ refuted',
	unmeasured: '– not tested',
	'not-in-talk': 'not in the talk',
};

/** The longest time any row shows: the axis runs to it. */
export function sweepDomainMs(report: SweepJson): number {
	const times = report.rows.flatMap(row => {
		const service = outageTotal(row.experiment, 'end-to-end');
		const function_ = outageTotal(row.experiment, row.experiment?.functionLayer ?? null);
		return [
			row.recoveredMs ?? 0,
			row.firstReplacementReadyMs ?? 0,
			service ? service.ms + service.uncertaintyMs : 0,
			function_ ? function_.ms + function_.uncertaintyMs : 0,
		];
	});
	// Room to the right of the longest bar for its words (`5.5 s ± 0.5 s`, `ready … · recovered …`).
	return Math.max(2000, Math.ceil((Math.max(...times) * 1.6) / 1000) * 1000);
}

export function sweepSvg(report: SweepJson, options: {theme?: SvgTheme; id?: string} = {}): string {
	const prefix = options.id ?? 'knockdown-sweep';
	const domainMs = sweepDomainMs(report);
	const x = (ms: number) => plotLeft + ((Math.min(ms, domainMs) / domainMs) * (plotRight - plotLeft));
	const measured = report.rows.filter(row => row.experiment);
	const impact = measured.filter(row => row.verdict === 'service-impact').length;
	const held = report.rows.filter(row => row.verified === 'confirmed').length;
	const refuted = report.rows.filter(row => row.verified === 'refuted').length;

	const parts: string[] = [
		text(labelLeft, 44, 'kube-system knocked down, measured', {class: 'title'}),
		text(labelLeft, 74, `${measured.length} components knocked down · ${impact} took the service down · the talk's claim held for ${held}, was refuted for ${refuted}`, {class: 'subtitle'}),
		text(labelLeft, 98, `namespace ${report.namespace} · mode ${report.mode} · ${new Date(report.startedAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`, {class: 'detail muted'}),
		text(plotLeft, 134, 'service outage ± bound · function outage · recovery', {class: 'group muted'}),
		text(talkLeft, 134, 'THE TALK SAID → MEASURED', {class: 'group muted'}),
	];
	const top = 146;
	const rows = report.rows.map((row, index) => drawRow(prefix, row, top + (index * rowHeight), x));
	const bottom = top + (report.rows.length * rowHeight);

	const step = tickStep(domainMs, 10);
	const grid: string[] = [];
	const axis: string[] = [el('line', {x1: plotLeft, x2: plotRight, y1: bottom + 4, y2: bottom + 4, class: 'axis'})];
	for (let at = 0; at <= domainMs; at += step) {
		grid.push(el('line', {x1: x(at), x2: x(at), y1: top, y2: bottom + 4, class: 'grid'}));
		axis.push(
			el('line', {x1: x(at), x2: x(at), y1: bottom + 4, y2: bottom + 10, class: 'axis'}),
			text(x(at), bottom + 28, at === 0 ? 't0' : `+${at / 1000} s`, {class: 'tick', 'text-anchor': 'middle'}),
		);
	}

	axis.push(text(plotRight, bottom + 50, 'seconds from each component\'s t0', {class: 'detail muted', 'text-anchor': 'end'}));
	const legendBlock = legend(prefix, [
		{look: 'verdict-impact', label: 'service impact'},
		{look: 'verdict-none', label: 'no service impact'},
		{look: 'verdict-unknown', label: 'unknown'},
		{look: 'verdict-not-recovered', label: 'not recovered'},
		{look: 'function', label: 'function outage (DNS, metrics API)'},
		{mark: el('path', {d: 'M-12,0 H12 M-12,-6 V6 M12,-6 V6', class: 'whisker'}), label: '± bound'},
		{mark: markShapes.ready, label: 'first replacement Ready'},
		{mark: markShapes.recovered, label: 'recovered'},
	], labelLeft, bottom + 84, width - (2 * labelLeft));
	const height = bottom + 84 + legendBlock.height + 8;
	return svgDocument(
		{prefix, width, height, theme: options.theme ?? 'auto', title: `kube-system knocked down, measured: ${impact} of ${measured.length} components took the service down`},
		[...parts, ...grid, ...rows, ...axis, legendBlock.markup].join(''),
	);
}

function drawRow(prefix: string, row: SweepRowJson, top: number, x: (ms: number) => number): string {
	const experiment = row.experiment;
	const look = row.verdict ? verdictLooks[row.verdict] : 'verdict-unknown';
	const parts: string[] = [
		el('line', {x1: labelLeft, x2: width - labelLeft, y1: top + rowHeight - 2, y2: top + rowHeight - 2, class: 'grid'}),
		// The verdict as a chip: its colour and texture, and its word under the name.
		el('rect', {x: labelLeft, y: top + 10, width: 12, height: rowHeight - 22, rx: 2, ...lookAttributes(prefix, look), 'data-kind': 'verdict-chip'}),
		text(labelLeft + 22, top + 28, middleCut(row.name, 27), {class: 'label', 'font-weight': 700}),
		text(labelLeft + 22, top + 48, `${row.verdict ? verdictWords[row.verdict].toLowerCase() : 'not measured'} · ${row.type} ×${row.count}`, {class: 'detail muted'}),
	];
	if (!experiment) {
		parts.push(...wrapText(row.serviceImpact, 64).slice(0, 2).map((line, index) => text(plotLeft, top + 30 + (index * 20), line, {class: 'detail muted'})));
	} else {
		parts.push(...outageBar(prefix, 'service', outageTotal(experiment, 'end-to-end'), look, top + 8, 18, x, row.serviceImpact));
		const functionLayer = experiment.functionLayer;
		const function_ = outageTotal(experiment, functionLayer);
		if (function_) {
			parts.push(...outageBar(prefix, 'function', function_, 'function', top + 32, 12, x, row.functionImpact ?? ''));
		} else if (row.functionImpact) {
			parts.push(text(plotLeft + 4, top + 42, row.functionImpact, {class: 'detail muted'}));
		}

		// Recovery: a track from t0 to recovered, the first Ready replacement on it.
		const trackY = top + 56;
		if (row.recoveredMs !== null) {
			parts.push(el('line', {x1: x(0), x2: x(row.recoveredMs), y1: trackY, y2: trackY, class: 'rule', 'data-kind': 'recovery', 'data-to-ms': row.recoveredMs}));
			parts.push(el('g', {transform: `translate(${x(row.recoveredMs)},${trackY})`, 'data-kind': 'mark-recovered'}, tooltip(`recovered +${secondsText(row.recoveredMs)}`), markShapes.recovered));
		}

		if (row.firstReplacementReadyMs !== null) {
			parts.push(el('g', {transform: `translate(${x(row.firstReplacementReadyMs)},${trackY})`, 'data-kind': 'mark-ready'}, tooltip(`first replacement Ready +${secondsText(row.firstReplacementReadyMs)}`), markShapes.ready));
		}

		const recovery = [
			row.firstReplacementReadyMs === null ? undefined : `ready +${secondsText(row.firstReplacementReadyMs)}`,
			row.verdict === 'not-recovered' ? 'NOT recovered' : row.recoveredMs === null ? undefined : `recovered +${secondsText(row.recoveredMs)}`,
		].filter(Boolean).join(' · ');
		parts.push(text(x(Math.max(row.recoveredMs ?? 0, row.firstReplacementReadyMs ?? 0)) + 14, trackY + 5, recovery, {class: 'detail'}));
	}

	const said = talkSaid(row);
	parts.push(
		text(talkLeft, top + 28, middleCut(said, 34), {class: 'label'}),
		text(talkLeft, top + 50, heldWords[row.verified], {class: 'label', 'font-weight': row.verified === 'confirmed' || row.verified === 'refuted' ? 700 : 400, 'data-kind': `held-${row.verified}`}),
	);
	return el('g', {'data-row': row.name}, tooltip(`${row.name}: ${row.serviceImpact}${row.talk ? ` — the talk: ${row.talk.says}` : ''}`), ...parts);
}

function outageBar(prefix: string, kind: 'service' | 'function', total: OutageTotal | undefined, look: Parameters<typeof lookAttributes>[1], y: number, height: number, x: (ms: number) => number, words: string): string[] {
	if (!total) {
		return [text(plotLeft + 4, y + height - 3, kind === 'service' ? words : '', {class: 'detail'})];
	}

	const right = x(total.ms);
	const parts = [el('rect', {x: plotLeft, y, width: Math.max(2, right - plotLeft), height, ...lookAttributes(prefix, look), 'data-kind': `${kind}-outage`, 'data-ms': total.ms}, tooltip(words))];
	if (total.uncertaintyMs > 0) {
		const low = x(Math.max(0, total.ms - total.uncertaintyMs));
		const high = x(total.ms + total.uncertaintyMs);
		const middle = y + (height / 2);
		parts.push(el('path', {d: `M${low},${middle} H${high} M${low},${middle - 7} V${middle + 7} M${high},${middle - 7} V${middle + 7}`, class: 'whisker', 'data-kind': `${kind}-bound`, 'data-low-ms': Math.max(0, total.ms - total.uncertaintyMs), 'data-high-ms': total.ms + total.uncertaintyMs}));
	}

	const amount = total.open ? `≥ ${secondsText(total.ms)}, still down` : `${secondsText(total.ms)} ± ${secondsText(total.uncertaintyMs)}`;
	const label = kind === 'service' ? amount : `${words.split(' down ')[0]} ${amount}`;
	parts.push(text(x(total.ms + total.uncertaintyMs) + 10, y + height - 3, label, {class: kind === 'service' ? 'label' : 'detail', 'font-weight': kind === 'service' ? 700 : 400}));
	return parts;
}
