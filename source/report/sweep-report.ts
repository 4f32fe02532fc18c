// The talk's table, filled in with measurements: one row per component of the namespace, the
// kubelet's (measured by a node experiment, or saying why not) and kube-proxy stopped for real,
// as Markdown or JSON.
import type {ExperimentRecord, MeasuredOn} from '../experiment/engine.js';
import type {ComponentKind, ComponentRef} from '../model/component.js';
import {verdictOf, type Verdict} from '../model/measurement.js';
import {seconds} from './measurement-text.js';
import {talkRowFor, talkRows, type TalkRow} from '../model/roles.js';
import {
	experimentJson,
	degradationText,
	functionImpactText,
	measuredOnText,
	serviceImpactText,
	whatWasDone,
	type ExperimentJson,
} from './experiment-report.js';

export const sweepSchema = 'knockdown.sweep/v1';

/** One component's turn in a sweep: its experiment, or why there was none. */
export type SweepEntry = {
	component: ComponentRef;
	podCount: number;
	record?: ExperimentRecord;
	/** Why this component was not knocked down (e.g. a plan error), or how it was done differently. */
	note?: string;
	/** A static pod stopped for real (its manifest moved out), not its mirror pod deleted: its own row. */
	stopped?: boolean;
};

export type Verification = 'confirmed' | 'refuted' | 'unmeasured' | 'not-in-talk';

export type SweepRowJson = {
	name: string;
	type: string;
	count: number;
	deleted: string;
	verdict: Verdict | null;
	serviceImpact: string;
	functionImpact: string | null;
	firstReplacementReadyMs: number | null;
	recoveredMs: number | null;
	verified: Verification;
	/** What the talk said, when it covered this component. */
	talk: {name: string; says: string; expected: boolean; impact: TalkRow['talkImpact']} | null;
	/** The talk's words the measurement was held against, when not its impact side (the kubelet: "service keeps running"). */
	claim?: string;
	note: string | null;
	experiment: ExperimentJson | null;
};

export type SweepJson = {
	schema: typeof sweepSchema;
	/** Which context, API server, namespace and knockdown version measured it (null when not known). */
	measuredOn: MeasuredOn | null;
	namespace: string;
	mode: string;
	startedAt: number;
	finishedAt: number;
	rows: SweepRowJson[];
};

const kindNames: Record<ComponentKind, string> = {
	Deployment: 'Deployment',
	DaemonSet: 'DaemonSet',
	StatefulSet: 'StatefulSet',
	ReplicaSet: 'ReplicaSet',
	Job: 'Job',
	StaticPod: 'static Pod',
	Pod: 'Pod',
	Kubelet: 'systemd',
};

function verification(talk: TalkRow | undefined, verdict: Verdict | undefined): Verification {
	if (!talk) {
		return 'not-in-talk';
	}

	if (verdict === 'service-impact') {
		return talk.talkImpact === 'service impact' ? 'confirmed' : 'refuted';
	}

	if (verdict === 'no-service-impact') {
		return talk.talkImpact === 'no service impact' ? 'confirmed' : 'refuted';
	}

	return 'unmeasured';
}

/**
 * The kubelet row, measured: the talk said "service keeps running, but pods can no longer be
 * deleted or started". The first half is held against the probes; the second is reported as
 * seen on the node (hanging deletes, pods that could not start), or as not tried.
 */
function kubeletFacts(entry: SweepEntry, verdict: Verdict): {verified: Verification; claim: string; note: string} {
	const node = entry.record?.measurement.node;
	const verified: Verification = verdict === 'no-service-impact' ? 'confirmed' : verdict === 'service-impact' ? 'refuted' : 'unmeasured';
	const hung = node?.hangingDeletes.length ?? 0;
	const unstarted = node?.unstarted.length ?? 0;
	const where = node?.name ?? 'the node';
	const deleted = hung > 0 ? `deleted: seen, ${hung} deletion${hung === 1 ? '' : 's'} hung until the kubelet was back` : `deleted: not tried (nothing on ${where} was deleted while its kubelet was away)`;
	const started = unstarted > 0 ? `started: seen, ${unstarted} pod${unstarted === 1 ? '' : 's'} bound to ${where} could not start` : `started: not seen (no pod was bound to ${where} while its kubelet was away)`;
	const note = `pods can no longer be ${deleted}; ${started}`;
	return {verified, claim: '"service keeps running"', note};
}

function rowOf(entry: SweepEntry): SweepRowJson {
	const talk = talkRowFor(entry.component.name);
	const talkJson = talk ? {name: talk.name, says: talk.talkSays, expected: talk.expected, impact: talk.talkImpact} : null;
	const name = entry.stopped ? `${entry.component.name} (stopped)` : entry.component.name;
	if (!entry.record) {
		return {
			name,
			type: kindNames[entry.component.kind],
			count: entry.podCount,
			deleted: '—',
			verdict: null,
			serviceImpact: 'not measured',
			functionImpact: null,
			firstReplacementReadyMs: null,
			recoveredMs: null,
			verified: talk ? 'unmeasured' : 'not-in-talk',
			talk: talkJson,
			note: entry.note ?? null,
			experiment: null,
		};
	}

	const state = entry.record.measurement;
	const {verdict} = verdictOf(state);
	const json = experimentJson(entry.record);
	// Deleting a mirror pod never stops a static pod's container: whatever the path did, the
	// component itself was not down, so the talk's guess about it stays untested.
	const staticPod = entry.component.kind === 'StaticPod' && !entry.stopped;
	const staticNote = staticPod
		? `deleting a mirror pod does not stop the static pod's container (the kubelet recreates the mirror at once), so ${entry.component.name} itself was never down: the talk's "came back at once" is what was measured`
		: undefined;
	const kubelet = entry.component.kind === 'Kubelet' ? kubeletFacts(entry, verdict) : undefined;
	return {
		name,
		type: kindNames[entry.component.kind],
		count: entry.component.kind === 'Kubelet' ? entry.podCount : entry.record.podCount,
		deleted: whatWasDone(state),
		verdict,
		serviceImpact: [verdict === 'not-recovered' ? `NOT RECOVERED; ${serviceImpactText(state)}` : serviceImpactText(state), degradationText(state)].filter(Boolean).join('; '),
		functionImpact: functionImpactText(state) ?? null,
		firstReplacementReadyMs: json.firstReplacementReadyMs,
		recoveredMs: json.recoveredMs,
		verified: kubelet?.verified ?? (staticPod && talk ? 'unmeasured' : verification(talk, verdict)),
		talk: talkJson,
		...(kubelet ? {claim: kubelet.claim} : {}),
		note: [entry.note, staticNote, kubelet?.note].filter(Boolean).join('; ') || null,
		experiment: json,
	};
}

function kubeletRow(nodeCount: number): SweepRowJson {
	const talk = talkRows.find(row => row.name === 'kubelet')!;
	return {
		name: 'kubelet',
		type: talk.type,
		count: nodeCount,
		deleted: '—',
		verdict: null,
		serviceImpact: 'cannot be stopped through the API: a systemd unit on each node, not a pod',
		functionImpact: null,
		firstReplacementReadyMs: null,
		recoveredMs: null,
		verified: 'unmeasured',
		talk: {name: talk.name, says: talk.talkSays, expected: talk.expected, impact: talk.talkImpact},
		note: talk.note ?? null,
		experiment: null,
	};
}

/** Rows in the talk's order (kubelet first), then the components the talk did not cover, by name. */
export function sweepRows(entries: SweepEntry[], nodeCount: number): SweepRowJson[] {
	const rows = entries.map(entry => rowOf(entry));
	const order = (row: SweepRowJson) => {
		const index = row.talk ? talkRows.findIndex(talk => talk.name === row.talk!.name) : -1;
		return index === -1 ? talkRows.length : index;
	};

	// The kubelet row says why it is not measured only when no node experiment measured it.
	const measured = entries.some(entry => entry.component.kind === 'Kubelet');
	return [...(measured ? [] : [kubeletRow(nodeCount)]), ...rows].sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
}

export function sweepJson(options: {namespace: string; mode: string; startedAt: number; finishedAt: number; entries: SweepEntry[]; nodeCount: number; measuredOn?: MeasuredOn}): SweepJson {
	return {
		schema: sweepSchema,
		measuredOn: options.measuredOn ?? null,
		namespace: options.namespace,
		mode: options.mode,
		startedAt: options.startedAt,
		finishedAt: options.finishedAt,
		rows: sweepRows(options.entries, options.nodeCount),
	};
}

function escapeCell(text: string): string {
	return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function time(ms: number | null): string {
	return ms === null ? '—' : `+${seconds(ms)}`;
}

/** Markdown lines are kept to this many characters, so a table fits a slide. */
export const slideWidth = 100;

/** Words wrapped to the slide width; later lines start with `indent` (a list item's continuation). */
function wrapProse(line: string, indent = ''): string[] {
	const lines: string[] = [];
	let current = '';
	for (const word of line.split(' ')) {
		const next = current === '' ? word : `${current} ${word}`;
		if (next.length <= slideWidth || current.trim() === '') {
			current = next;
		} else {
			lines.push(current);
			current = indent + word;
		}
	}

	return current === '' ? lines : [...lines, current];
}

function tableLines(headers: string[], rows: string[][]): string[] {
	const line = (cells: string[]) => `| ${cells.map(cell => escapeCell(cell)).join(' | ')} |`;
	return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(cells => line(cells))];
}

/**
 * A Markdown table no line of which is wider than the slide: while a line is too wide, its
 * longest cell moves to a numbered note under the table (`cannot be stopped … [1]`).
 */
export function slideTable(headers: string[], rows: string[][], notes: string[]): string[] {
	const cells = rows.map(row => [...row]);
	for (;;) {
		const lines = tableLines(headers, cells);
		const widest = lines.slice(2).reduce((best, text, index) => text.length > (lines[best + 2]?.length ?? 0) ? index : best, 0);
		if ((lines[widest + 2]?.length ?? 0) <= slideWidth) {
			return lines;
		}

		const row = cells[widest];
		const longest = row.reduce((best, cell, index) => cell.length > row[best].length ? index : best, 0);
		if (row[longest].length <= 12) {
			return lines;
		}

		notes.push(row[longest]);
		const mark = ` [${notes.length}]`;
		const room = Math.max(8, row[longest].length - (lines[widest + 2].length - slideWidth) - mark.length - 1);
		const cut = row[longest].slice(0, room).replace(/\s+\S*$/, '');
		row[longest] = `${cut.length > 0 ? cut : row[longest].slice(0, room)}…${mark}`;
	}
}

/** The talk's words the measurement was held against: its claim where one is named (the kubelet), else its impact. */
export function talkSaid(row: SweepRowJson): string {
	if (!row.talk) {
		return '—';
	}

	return row.claim ?? `${row.talk.impact}${row.talk.expected ? ' (expected)' : ''}`;
}

const heldText: Record<Verification, string> = {
	confirmed: '**confirmed**',
	refuted: '**refuted**',
	unmeasured: 'not tested',
	'not-in-talk': '—',
};

/**
 * The talk's table, measured, as four tables a slide can hold (no line over 100 characters):
 * what was knocked down, what it did, how it came back, and the talk's claim against it.
 */
export function sweepMarkdown(report: SweepJson): string {
	const notes: string[] = [];
	const recovered = (row: SweepRowJson) => row.verdict === 'not-recovered' ? 'not recovered' : time(row.recoveredMs);
	const lines = [
		`# kube-system knocked down, measured`,
		'',
		...wrapProse(`Namespace \`${report.namespace}\`, mode \`${report.mode}\`, ${new Date(report.startedAt).toISOString()} – ${new Date(report.finishedAt).toISOString()}.`),
		...wrapProse(`Measured on ${measuredOnText(report.measuredOn ?? undefined)}.`),
		...wrapProse('Service impact is the guestbook path measured end to end (outage window ± probe uncertainty, and the hop that broke); "Held" holds the talk\'s claim against the measurement — "(expected)" marks what the talk could only guess.'),
		'',
		'## What was knocked down',
		'',
		...slideTable(['Name', 'Type', 'Count', 'Deleted'], report.rows.map(row => [row.name, row.type, String(row.count), row.deleted]), notes),
		'',
		'## What it did',
		'',
		...slideTable(['Name', 'Service impact', 'Function impact'], report.rows.map(row => [row.name, row.serviceImpact, row.functionImpact ?? '—']), notes),
		'',
		'## How it came back',
		'',
		...slideTable(['Name', 'First replacement ready', 'Recovered'], report.rows.map(row => [row.name, time(row.firstReplacementReadyMs), recovered(row)]), notes),
		'',
		'## The talk, held against it',
		'',
		...slideTable(['Name', 'In the talk as', 'The talk said', 'Held'], report.rows.map(row => [row.name, row.talk?.name ?? '—', talkSaid(row), heldText[row.verified]]), notes),
	];
	if (notes.length > 0) {
		lines.push('', ...notes.flatMap((note, index) => wrapProse(`[${index + 1}] ${note}`, '    ')));
	}

	const noted = report.rows.filter(row => row.note);
	if (noted.length > 0) {
		lines.push('', ...noted.flatMap(row => wrapProse(`- **${row.name}**: ${row.note}`, '  ')));
	}

	lines.push('');
	return lines.join('\n');
}
