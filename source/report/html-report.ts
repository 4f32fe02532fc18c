// Standalone HTML pages: the pictures inline as SVG and the tables as HTML tables, one
// file with no scripts and nothing to fetch, light or dark as the viewer prefers.
import {layerLabel} from '../probes/catalog.js';
import {timelineEntryText} from './experiment-report.js';
import {experimentSvg, type PictureExperiment} from './experiment-svg.js';
import {sinceT0Text} from './measurement-text.js';
import {escapeXml, secondsText} from './svg.js';
import {sweepSvg} from './sweep-svg.js';
import type {SweepJson, SweepRowJson} from './sweep-report.js';

const pageStyle = [
	':root{color-scheme:light dark;--bg:#ffffff;--fg:#1b1b1b;--muted:#5a5a5a;--rule:#d8d8d8;--head:#f2f2f2}',
	'@media (prefers-color-scheme: dark){:root{--bg:#121212;--fg:#f0f0f0;--muted:#b0b0b0;--rule:#3a3a3a;--head:#1e1e1e}}',
	'body{background:var(--bg);color:var(--fg);font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",Arial,sans-serif;font-size:18px;line-height:1.45;margin:2rem auto;max-width:1320px;padding:0 1rem}',
	'h1{font-size:2rem;margin:0 0 .5rem}h2{font-size:1.4rem;margin:2.5rem 0 .5rem}',
	'.muted{color:var(--muted)}',
	'svg{max-width:100%;height:auto;display:block;margin:1rem 0}',
	'table{border-collapse:collapse;margin:1rem 0;font-size:16px}',
	'th,td{border:1px solid var(--rule);padding:.35rem .6rem;text-align:left;vertical-align:top}',
	'th{background:var(--head)}',
	'td.num{text-align:right;white-space:nowrap}',
	'pre{font-size:14px;overflow-x:auto}',
].join('\n');

function page(title: string, body: string[]): string {
	return [
		'<!doctype html>',
		'<html lang="en">',
		'<head>',
		'<meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		`<title>${escapeXml(title)}</title>`,
		`<style>\n${pageStyle}\n</style>`,
		'</head>',
		'<body>',
		...body,
		'</body>',
		'</html>',
		'',
	].join('\n');
}

function table(headers: string[], rows: string[][], numeric: number[] = []): string {
	const head = `<tr>${headers.map(header => `<th>${escapeXml(header)}</th>`).join('')}</tr>`;
	const body = rows.map(cells => `<tr>${cells.map((cell, index) => `<td${numeric.includes(index) ? ' class="num"' : ''}>${escapeXml(cell)}</td>`).join('')}</tr>`);
	return ['<table>', head, ...body, '</table>'].join('\n');
}

function time(ms: number | null): string {
	return ms === null ? '—' : sinceT0Text(ms);
}

/** One experiment's section: the result, the picture, the windows and pods as tables, the timeline. */
function experimentSection(json: PictureExperiment, id: string): string[] {
	const parts = [
		`<h2>${escapeXml(json.component)} <span class="muted">(${escapeXml(json.componentKey)}, namespace ${escapeXml(json.namespace)})</span></h2>`,
		experimentSvg(json, {id}),
	];
	if (json.outages.length > 0) {
		parts.push(table(
			['Layer', 'Start', 'End', 'Duration', 'True outage between'],
			json.outages.map(outage => [
				layerLabel(outage.layer),
				time(outage.startMs),
				time(outage.endMs),
				outage.durationMs === null ? 'ongoing' : `${secondsText(outage.durationMs)} ± ${secondsText(outage.uncertaintyMs ?? 0)}`,
				`${secondsText(outage.minMs)} … ${outage.maxMs === null ? '?' : secondsText(outage.maxMs)}`,
			]),
			[1, 2],
		));
	}

	if (json.victims.length + json.replacements.length > 0) {
		parts.push(table(
			['Pod', 'Role', 'Created', 'Scheduled', 'Running', 'Ready', 'Terminating', 'Gone'],
			[
				...json.victims.map(victim => [victim.name, 'victim', '', '', '', '', time(victim.terminatingMs), time(victim.goneMs)]),
				...json.replacements.map(replacement => [
					replacement.name,
					replacement.sameNameAsVictim ? 'replacement (same name)' : 'replacement',
					time(replacement.createdMs),
					time(replacement.scheduledMs),
					time(replacement.runningMs),
					time(replacement.readyMs),
					'',
					'',
				]),
			],
			[2, 3, 4, 5, 6, 7],
		));
	}

	if (json.timeline.length > 0) {
		const lines = json.timeline.map(entry => timelineEntryText(entry));
		parts.push(`<details><summary>Timeline</summary><pre>${escapeXml(lines.join('\n'))}</pre></details>`);
	}

	return parts;
}

/** One or several experiments (a session, `kill --format html`, `report`) as one page. */
export function experimentsHtml(experiments: PictureExperiment[]): string {
	const title = experiments.length === 1 ? `knockdown: ${experiments[0].component}` : `knockdown: ${experiments.length} experiments`;
	return page(title, [
		`<h1>${escapeXml(title)}</h1>`,
		experiments.length === 0 ? '<p>No experiment finished.</p>' : `<ul>${experiments.map(json => `<li>${escapeXml(json.result)}</li>`).join('')}</ul>`,
		...experiments.flatMap((json, index) => experimentSection(json, `knockdown-experiment-${index + 1}`)),
	]);
}

function held(row: SweepRowJson): string {
	const said = row.talk ? `${row.talk.impact}${row.talk.expected ? ' (expected)' : ''}` : 'not in the talk';
	const words = {confirmed: 'confirmed', refuted: 'refuted', unmeasured: 'not tested', 'not-in-talk': ''}[row.verified];
	return words ? `${said} — ${words}` : said;
}

/** The sweep: its picture, the talk's table measured (whole: a page wraps), each experiment's picture. */
export function sweepHtml(report: SweepJson): string {
	const rows = report.rows.map(row => [
		row.talk && row.talk.name !== row.name ? `${row.name} (${row.talk.name})` : row.name,
		row.type,
		String(row.count),
		row.deleted,
		row.serviceImpact,
		row.functionImpact ?? '—',
		time(row.firstReplacementReadyMs),
		row.verdict === 'not-recovered' ? 'not recovered' : time(row.recoveredMs),
		held(row),
	]);
	const notes = report.rows.filter(row => row.note);
	return page('kube-system knocked down, measured', [
		'<h1>kube-system knocked down, measured</h1>',
		`<p class="muted">Namespace ${escapeXml(report.namespace)}, mode ${escapeXml(report.mode)}, ${escapeXml(new Date(report.startedAt).toISOString())} – ${escapeXml(new Date(report.finishedAt).toISOString())}. Service impact is the guestbook path measured end to end (outage window ± probe uncertainty, and the hop that broke); “(expected)” marks what the talk could only guess.</p>`,
		sweepSvg(report),
		table(['Name', 'Type', 'Count', 'Deleted', 'Service impact', 'Function impact', 'First replacement ready', 'Recovered', 'The talk said — held?'], rows, [2, 6, 7]),
		notes.length === 0 ? '' : `<ul>${notes.map(row => `<li><strong>${escapeXml(row.name)}</strong>: ${escapeXml(row.note ?? '')}</li>`).join('')}</ul>`,
		...report.rows.flatMap((row, index) => row.experiment ? experimentSection(row.experiment, `knockdown-experiment-${index + 1}`) : []),
	]);
}
