// One experiment as a picture a speaker can show: a lane per victim, per replacement, per
// probe layer (and per node, when the JSON has node events) on one time axis from t0, the
// measured outage window with the band its true extent lies in, the verdict and the
// result line as the title. A pure function of the experiment's JSON: no clock, no I/O.
import {layerLabel, pathLayers} from '../probes/catalog.js';
import type {ProbeLayer} from '../probes/types.js';
import type {ExperimentJson} from './experiment-report.js';
import {sinceT0Text} from './measurement-text.js';
import {
	el,
	escapeXml,
	legend,
	lookAttributes,
	markShapes,
	middleCut,
	secondsText,
	solidAttributes,
	svgDocument,
	text,
	tickStep,
	tooltip,
	wrapText,
	type LegendItem,
	type Look,
	type MarkShape,
	type SvgTheme,
} from './svg.js';

/** A node-level event drawn on the node's lane: the kubelet stopped, NotReady, Ready again, back. */
export type NodeEvent = {atMs: number; text: string};

/** What the picture is drawn from: an experiment's JSON (node experiments carry `node`). */
export type PictureExperiment = ExperimentJson;

/** The events of a node experiment's `node` in time order; none for other experiments. */
export function nodeEventsOf(json: PictureExperiment): NodeEvent[] {
	const node = json.node;
	if (!node) {
		return [];
	}

	const stopped = json.action === 'stop-kubelet' ? 'kubelet stopped' : 'manifest moved out';
	const events: Array<{atMs: number | null | undefined; text: string}> = [
		{atMs: node.stopRunningMs, text: stopped},
		{atMs: node.notReadyMs, text: 'NotReady'},
		{atMs: node.kubeletBackMs, text: 'kubelet back'},
		{atMs: node.readyAgainMs, text: 'Ready'},
	];
	return events
		.filter((event): event is NodeEvent => typeof event.atMs === 'number')
		.sort((a, b) => a.atMs - b.atMs);
}

export type LaneGroup = 'victims' | 'replacements' | 'probes' | 'nodes';

/** A stretch of one state; `toMs` null runs to the end of the axis. */
export type Segment = {fromMs: number | null; toMs: number | null; look: Look; title: string; thin?: boolean};
export type Mark = {atMs: number; shape: MarkShape; title: string};
/** Where a window's true extent lies ([L0, L1]), drawn as a band around the measured window. */
export type Band = {fromMs: number; toMs: number | null; title: string};

export type Lane = {
	group: LaneGroup;
	/** `victim:NAME`, `replacement:NAME`, `probe:LAYER`, `node:NAME`: tests and tooltips find lanes by it. */
	key: string;
	label: string;
	/** A second, smaller line under the label: the lane's one number. */
	detail: string;
	segments: Segment[];
	marks: Mark[];
	bands: Band[];
	/** Text written beside a window (its duration). */
	notes: Array<{atMs: number; text: string}>;
};

const groupTitles: Record<LaneGroup, string> = {
	victims: 'DELETED',
	replacements: 'REPLACEMENTS',
	probes: 'PROBES',
	nodes: 'NODES',
};

function victimLanes(json: PictureExperiment): Lane[] {
	return json.victims.map(victim => {
		const stopping = victim.terminatingMs ?? victim.goneMs;
		const segments: Segment[] = [
			{fromMs: null, toMs: stopping, look: 'victim-running', title: `${victim.name} running`},
		];
		if (stopping !== null) {
			segments.push({fromMs: stopping, toMs: victim.goneMs, look: 'terminating', title: `${victim.name} terminating ${sinceT0Text(stopping)}`});
		}

		const marks: Mark[] = [];
		if (victim.terminatingMs !== null) {
			marks.push({atMs: victim.terminatingMs, shape: 'terminating', title: `terminating ${sinceT0Text(victim.terminatingMs)}`});
		}

		if (victim.goneMs !== null) {
			marks.push({atMs: victim.goneMs, shape: 'gone', title: `gone ${sinceT0Text(victim.goneMs)}`});
		}

		const detail = victim.goneMs === null
			? (victim.terminatingMs === null ? 'still there at the end' : `terminating ${sinceT0Text(victim.terminatingMs)}, not gone`)
			: `gone ${sinceT0Text(victim.goneMs)}${victim.node ? ` · ${middleCut(victim.node, 22)}` : ''}`;
		return {group: 'victims', key: `victim:${victim.name}`, label: `✕ ${victim.name}`, detail, segments, marks, bands: [], notes: []};
	});
}

function replacementLanes(json: PictureExperiment): Lane[] {
	return json.replacements.map(replacement => {
		const {name, createdMs, scheduledMs, runningMs, readyMs} = replacement;
		const steps: Array<{atMs: number | null; look: Look; shape: MarkShape; word: string}> = [
			{atMs: createdMs, look: 'pending', shape: 'created', word: 'created'},
			{atMs: scheduledMs, look: 'scheduled', shape: 'scheduled', word: 'scheduled'},
			{atMs: runningMs, look: 'starting', shape: 'running', word: 'running'},
			{atMs: readyMs, look: 'ready', shape: 'ready', word: 'ready'},
		];
		const known = steps.filter((step): step is typeof step & {atMs: number} => step.atMs !== null);
		// Each state lasts until the next step that happened (a step can be skipped between two watch events).
		const segments: Segment[] = known.map((step, index) => ({
			fromMs: step.atMs,
			toMs: known[index + 1]?.atMs ?? null,
			look: step.look,
			title: `${name} ${step.word} ${sinceT0Text(step.atMs)}`,
		}));
		const marks = known.map(step => ({atMs: step.atMs, shape: step.shape, title: `${step.word} ${sinceT0Text(step.atMs)}`}));
		const sameName = replacement.sameNameAsVictim ? ' · same name' : '';
		const detail = readyMs === null
			? `not Ready at the end (created ${sinceT0Text(createdMs)})${sameName}`
			// A mirror pod's name holds its node already.
			: `ready ${sinceT0Text(readyMs)}${sameName}${replacement.node && !sameName ? ` · ${middleCut(replacement.node, 22)}` : ''}`;
		return {
			group: 'replacements',
			key: `replacement:${name}`,
			label: `+ ${name}`,
			detail,
			segments,
			marks,
			bands: [],
			notes: [],
		};
	});
}

/** The layers that were probed, in path order then the rest (end-to-end last among the path's). */
function probedLayers(json: PictureExperiment): ProbeLayer[] {
	const seen = new Set<ProbeLayer>([...json.probeLayers.map(layer => layer.layer), ...json.outages.map(outage => outage.layer)]);
	const order = [...pathLayers, ...seen];
	return [...new Set(order)].filter(layer => seen.has(layer));
}

function probeLanes(json: PictureExperiment): Lane[] {
	return probedLayers(json).map(layer => {
		const seen = json.probeLayers.find(item => item.layer === layer);
		const outages = json.outages.filter(outage => outage.layer === layer);
		const segments: Segment[] = [];
		if (seen) {
			segments.push({fromMs: seen.firstMs, toMs: seen.lastMs, look: 'probe-ok', title: `${layerLabel(layer)}: ${seen.probes} probes`, thin: true});
			for (const run of seen.unknown) {
				segments.push({fromMs: run.startMs, toMs: run.endMs, look: 'unknown', title: `${layerLabel(layer)} unknown ${sinceT0Text(run.startMs)}`});
			}

			for (const run of seen.slow) {
				segments.push({fromMs: run.startMs, toMs: run.endMs, look: 'slow', title: `${layerLabel(layer)} slow ${sinceT0Text(run.startMs)}${run.endMs === null ? '' : ` – ${sinceT0Text(run.endMs)}`}`});
			}
		}

		const bands: Band[] = [];
		const notes: Lane['notes'] = [];
		for (const outage of outages) {
			const amount = outage.durationMs === null ? `≥ ${secondsText(outage.minMs)}, still down` : `${secondsText(outage.durationMs)} ± ${secondsText(outage.uncertaintyMs ?? 0)}`;
			segments.push({
				fromMs: outage.startMs,
				toMs: outage.endMs,
				look: 'failing',
				title: `${layerLabel(layer)} failing ${sinceT0Text(outage.startMs)} – ${outage.endMs === null ? 'end' : sinceT0Text(outage.endMs)}: ${amount}${outage.detail ? ` (${outage.detail})` : ''}`,
			});
			// measurement.md: the true outage began after the last ok probe (L0 = L1 − max) and
			// ended before the first ok one after (L1); without an ok probe before, only F0 is known.
			const from = outage.endMs !== null && outage.maxMs !== null ? outage.endMs - outage.maxMs : outage.startMs;
			bands.push({fromMs: from, toMs: outage.endMs, title: `the true outage lies within ${sinceT0Text(from)} – ${outage.endMs === null ? 'end' : sinceT0Text(outage.endMs)} (between ${secondsText(outage.minMs)} and ${outage.maxMs === null ? '?' : secondsText(outage.maxMs)})`});
			notes.push({atMs: outage.endMs ?? outage.startMs, text: amount});
		}

		const total = outages.reduce((sum, outage) => sum + (outage.durationMs ?? outage.minMs), 0);
		const detail = outages.length > 0
			? `down ${secondsText(total)}${outages.length > 1 ? ` in ${outages.length} windows` : ''}`
			: seen && seen.slow.length > 0 ? `slow ${seen.slow.length}×, never failed` : seen ? `never failed (${seen.probes} probes)` : 'not probed';
		const label = layer === 'end-to-end' ? `${layerLabel(layer)} (service)` : layer === json.functionLayer ? `${layerLabel(layer)} (function)` : layerLabel(layer);
		return {group: 'probes', key: `probe:${layer}`, label, detail, segments, marks: [], bands, notes};
	});
}

function nodeLanes(json: PictureExperiment): Lane[] {
	const events = nodeEventsOf(json);
	if (!json.node || events.length === 0) {
		return [];
	}

	const node = json.node.name;
	return [{
		group: 'nodes',
		key: `node:${node}`,
		label: node,
		detail: events.map(event => `${event.text} ${sinceT0Text(event.atMs)}`).join(' · '),
		segments: [],
		marks: events.map(event => ({atMs: event.atMs, shape: 'event', title: `${event.text} ${sinceT0Text(event.atMs)}`})),
		bands: [],
		notes: events.map(event => ({atMs: event.atMs, text: event.text})),
	}];
}

/** Every lane of the picture, top to bottom. A new kind of lane is one more builder here. */
export function experimentLanes(json: PictureExperiment): Lane[] {
	return [...victimLanes(json), ...replacementLanes(json), ...nodeLanes(json), ...probeLanes(json)];
}

/** The axis: from before t0 (at least 1 s, more if a window began earlier) to the end of the experiment. */
export function timeDomain(json: PictureExperiment, lanes: Lane[]): {fromMs: number; toMs: number} {
	const times: number[] = [0, json.endedMs ?? 0, json.recoveredMs ?? 0];
	for (const lane of lanes) {
		for (const segment of lane.segments) {
			if (!segment.thin) {
				times.push(...[segment.fromMs, segment.toMs].filter((at): at is number => at !== null));
			}
		}

		times.push(...lane.marks.map(mark => mark.atMs), ...lane.bands.map(band => band.fromMs));
	}

	const earliest = Math.min(...times);
	const latest = Math.max(...times);
	return {fromMs: Math.floor(Math.min(-1000, earliest - 500) / 500) * 500, toMs: Math.ceil((latest + 500) / 1000) * 1000};
}

export const verdictWords: Record<ExperimentJson['verdict'], string> = {
	'service-impact': 'SERVICE IMPACT',
	'no-service-impact': 'NO SERVICE IMPACT',
	unknown: 'UNKNOWN',
	'not-recovered': 'NOT RECOVERED',
};

export const verdictLooks: Record<ExperimentJson['verdict'], Look> = {
	'service-impact': 'verdict-impact',
	'no-service-impact': 'verdict-none',
	unknown: 'verdict-unknown',
	'not-recovered': 'verdict-not-recovered',
};

export type ExperimentSvgOptions = {theme?: SvgTheme; /** Root id, unique per page when several pictures share one. */ id?: string};

const width = 1280;
const labelLeft = 24;
const plotLeft = 390;
const plotRight = width - 48;
const laneHeight = 46;
const barHeight = 22;
const groupHeight = 28;

const legendItems: Array<LegendItem & {shape?: MarkShape}> = [
	{look: 'victim-running', label: 'victim running'},
	{look: 'terminating', label: 'terminating'},
	{mark: markShapes.gone, shape: 'gone', label: 'gone'},
	{look: 'pending', label: 'created, pending'},
	{look: 'scheduled', label: 'scheduled'},
	{look: 'starting', label: 'running, not Ready'},
	{look: 'ready', label: 'Ready'},
	{mark: markShapes.created, shape: 'created', label: 'created'},
	{mark: markShapes.scheduled, shape: 'scheduled', label: 'scheduled'},
	{mark: markShapes.running, shape: 'running', label: 'running'},
	{mark: markShapes.ready, shape: 'ready', label: 'Ready'},
	{mark: markShapes.event, shape: 'event', label: 'node event'},
	{look: 'probe-ok', label: 'probed, ok', thin: true},
	{look: 'failing', label: 'failing (measured window)'},
	{look: 'band', label: 'true outage lies within'},
	{look: 'slow', label: 'slow'},
	{look: 'unknown', label: 'unknown'},
];

/** The legend of what this picture draws (a quiet experiment has no failing window to explain). */
export function experimentLegend(lanes: Lane[]): LegendItem[] {
	const looks = new Set<Look>(lanes.flatMap(lane => [...lane.segments.map(segment => segment.look), ...(lane.bands.length > 0 ? ['band' as const] : [])]));
	const shapes = new Set(lanes.flatMap(lane => lane.marks.map(mark => mark.shape)));
	return legendItems.filter(item => (item.look !== undefined && looks.has(item.look)) || (item.shape !== undefined && shapes.has(item.shape)));
}

export function experimentSvg(json: PictureExperiment, options: ExperimentSvgOptions = {}): string {
	const prefix = options.id ?? 'knockdown-experiment';
	const lanes = experimentLanes(json);
	const domain = timeDomain(json, lanes);
	const x = (ms: number) => plotLeft + (((ms - domain.fromMs) / (domain.toMs - domain.fromMs)) * (plotRight - plotLeft));
	const clampX = (ms: number | null, fallback: number) => Math.min(plotRight, Math.max(plotLeft, ms === null ? fallback : x(ms)));

	// Title: the verdict as a badge, then the result line, wrapped to the width.
	const parts: string[] = [];
	const verdict = verdictWords[json.verdict];
	const badgeWidth = 28 + (verdict.length * 11);
	parts.push(
		el('rect', {x: labelLeft, y: 18, width: badgeWidth, height: 34, rx: 6, ...solidAttributes(verdictLooks[json.verdict]), 'data-kind': 'verdict'}),
		el('rect', {x: labelLeft + 6, y: 24, width: badgeWidth - 12, height: 22, rx: 4, fill: '#000000', 'fill-opacity': 0.55}),
		text(labelLeft + (badgeWidth / 2), 41, verdict, {class: 'badge-text', 'text-anchor': 'middle'}),
		text(labelLeft + badgeWidth + 16, 45, `${json.component} knocked down`, {class: 'title'}),
	);
	let y = 80;
	for (const line of wrapText(json.result, 110)) {
		parts.push(text(labelLeft, y, line, {class: 'subtitle'}));
		y += 25;
	}

	const context = [`${json.componentKey}`, `namespace ${json.namespace}`, `t0 ${new Date(json.t0).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`];
	if (json.verdictReason) {
		context.push(json.verdictReason);
	}

	parts.push(text(labelLeft, y, context.join(' · '), {class: 'detail muted'}));
	y += 22;

	// Lanes, grouped, each a label on the left and its bars on the axis.
	const lanesTop = y + 8;
	const laneParts: string[] = [];
	let group: LaneGroup | undefined;
	let laneY = lanesTop;
	for (const lane of lanes) {
		if (lane.group !== group) {
			group = lane.group;
			laneParts.push(text(labelLeft, laneY + 20, groupTitles[group], {class: 'group muted'}));
			laneY += groupHeight;
		}

		laneParts.push(drawLane(prefix, lane, laneY, x, clampX));
		laneY += laneHeight;
	}

	const lanesBottom = laneY + 4;
	// Behind the lanes: the service outage as a column, the grid and t0.
	const behind: string[] = [];
	for (const outage of json.outages.filter(item => item.layer === 'end-to-end')) {
		const left = clampX(outage.startMs, plotLeft);
		const right = clampX(outage.endMs, plotRight);
		behind.push(el('rect', {x: left, y: lanesTop, width: right - left, height: lanesBottom - lanesTop, class: 'outage-column', 'data-kind': 'outage-column'}, tooltip(`service outage ${sinceT0Text(outage.startMs)} – ${outage.endMs === null ? 'end' : sinceT0Text(outage.endMs)}`)));
	}

	const step = tickStep(domain.toMs - domain.fromMs, 14);
	const ticks: number[] = [];
	for (let at = Math.ceil(domain.fromMs / step) * step; at <= domain.toMs; at += step) {
		ticks.push(at);
	}

	const axisY = lanesBottom + 6;
	for (const at of ticks) {
		behind.push(el('line', {x1: x(at), x2: x(at), y1: lanesTop, y2: axisY, class: 'grid'}));
	}

	const front: string[] = [
		el('line', {x1: plotLeft, x2: plotRight, y1: axisY, y2: axisY, class: 'axis'}),
		...ticks.flatMap(at => [
			el('line', {x1: x(at), x2: x(at), y1: axisY, y2: axisY + 6, class: 'axis'}),
			text(x(at), axisY + 24, at === 0 ? '0' : `${at < 0 ? '−' : '+'}${Math.abs(at) / 1000} s`, {class: 'tick', 'text-anchor': 'middle'}),
		]),
		text(plotRight, axisY + 46, 'seconds from t0 (the delete request)', {class: 'detail muted', 'text-anchor': 'end'}),
		el('line', {x1: x(0), x2: x(0), y1: lanesTop - 6, y2: axisY, class: 't0', 'data-kind': 't0'}),
		text(x(0), lanesTop - 10, 't0', {class: 'label', 'text-anchor': 'middle', 'font-weight': 700}),
	];

	const legendTop = axisY + 80;
	const legendBlock = legend(prefix, experimentLegend(lanes), labelLeft, legendTop, width - (2 * labelLeft));
	const height = legendTop + legendBlock.height + 8;
	return svgDocument(
		{prefix, width, height, theme: options.theme ?? 'auto', title: `${verdict}: ${json.result}`},
		[...parts, ...behind, ...laneParts, ...front, legendBlock.markup].join(''),
	);
}

function drawLane(prefix: string, lane: Lane, top: number, x: (ms: number) => number, clampX: (ms: number | null, fallback: number) => number): string {
	const middle = top + (laneHeight / 2) - 4;
	const barTop = middle - (barHeight / 2);
	const parts: string[] = [
		el('line', {x1: plotLeft, x2: plotRight, y1: top + laneHeight - 2, y2: top + laneHeight - 2, class: 'grid'}),
		// About 9.5 px a character at 17 px and 7.8 at 14 px: both end before the bars begin.
		text(labelLeft, middle - 2, middleCut(lane.label, 34), {class: 'label'}),
		text(labelLeft + 16, middle + 16, middleCut(lane.detail, 42), {class: 'detail muted'}),
	];
	const segment = (item: Segment) => {
		const left = clampX(item.fromMs, plotLeft);
		const right = clampX(item.toMs, plotRight);
		const height = item.thin ? 4 : barHeight;
		return el('rect', {
			x: left,
			y: middle - (height / 2),
			width: Math.max(item.thin ? 0 : 1.5, right - left),
			height,
			...lookAttributes(prefix, item.look),
			'data-kind': item.look,
			'data-from-ms': item.fromMs ?? undefined,
			'data-to-ms': item.toMs ?? undefined,
		}, tooltip(item.title));
	};

	// The ok line first, then the band a window's true extent lies in, then the states on top.
	parts.push(...lane.segments.filter(item => item.thin).map(item => segment(item)));
	for (const band of lane.bands) {
		const left = clampX(band.fromMs, plotLeft);
		const right = clampX(band.toMs, plotRight);
		parts.push(el('rect', {x: left, y: barTop - 6, width: right - left, height: barHeight + 12, rx: 3, ...lookAttributes(prefix, 'band'), 'data-kind': 'band', 'data-from-ms': band.fromMs, 'data-to-ms': band.toMs ?? undefined}, tooltip(band.title)));
	}

	parts.push(...lane.segments.filter(item => !item.thin).map(item => segment(item)));
	for (const note of lane.notes) {
		const at = Math.min(plotRight - 4, x(note.atMs) + 10);
		const anchor = at > plotRight - 170 ? 'end' : 'start';
		parts.push(text(anchor === 'end' ? Math.min(plotRight, x(note.atMs)) - 10 : at, middle + 6, note.text, {class: 'label', 'font-weight': 700, 'text-anchor': anchor}));
	}

	// Steps closer than a mark's width (created and scheduled often are) alternate above and on
	// the bar; steps at the same moment (a mirror pod created Ready) show the last one only.
	let previousX = Number.NEGATIVE_INFINITY;
	let raised = false;
	for (const [index, mark] of lane.marks.entries()) {
		const at = x(mark.atMs);
		const next = lane.marks[index + 1];
		if (next && x(next.atMs) - at < 3) {
			continue;
		}

		raised = at - previousX < 14 ? !raised : false;
		previousX = at;
		parts.push(el('g', {transform: `translate(${at},${raised ? middle - 16 : middle})`, 'data-kind': `mark-${mark.shape}`}, tooltip(mark.title), markShapes[mark.shape]));
	}

	return el('g', {'data-lane': lane.key}, tooltip(`${lane.label}: ${lane.detail}`), ...parts);
}

/** Several experiments stacked in one SVG (a session, or `report` given several files). */
export function experimentsSvg(experiments: PictureExperiment[], options: {theme?: SvgTheme} = {}): string {
	if (experiments.length === 1) {
		return experimentSvg(experiments[0], {theme: options.theme});
	}

	const pictures = experiments.map((json, index) => experimentSvg(json, {theme: options.theme, id: `knockdown-experiment-${index + 1}`}));
	const heights = pictures.map(picture => Number(/height="([\d.]+)"/.exec(picture)?.[1] ?? 0));
	let y = 0;
	const placed = pictures.map((picture, index) => {
		const at = y;
		y += heights[index];
		return picture.replace('<svg ', `<svg y="${at}" `);
	});
	const height = Math.max(1, y);
	return el('svg', {xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${experiments.length} experiments`},
		el('title', {}, escapeXml(`${experiments.length} experiments`)), ...placed);
}
