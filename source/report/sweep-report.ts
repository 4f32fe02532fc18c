// The talk's table, filled in with measurements: one row per component of the namespace
// (and kubelet's, which stays and says why it cannot be measured), as Markdown or JSON.
import type {ExperimentRecord, MeasuredOn} from '../experiment/engine.js';
import type {ComponentKind, ComponentRef} from '../model/component.js';
import {seconds, verdictOf, type Verdict} from '../model/measurement.js';
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

function verifiedText(row: SweepRowJson): string {
	if (!row.talk) {
		return 'not in the talk';
	}

	const said = `${row.talk.impact}${row.talk.expected ? ' (expected)' : ''}`;
	switch (row.verified) {
		case 'confirmed': {
			return `${said} — **confirmed**`;
		}

		case 'refuted': {
			return `${said} — **refuted**`;
		}

		default: {
			return `${said} — not tested`;
		}
	}
}

function rowOf(entry: SweepEntry): SweepRowJson {
	const talk = talkRowFor(entry.component.name);
	const talkJson = talk ? {name: talk.name, says: talk.talkSays, expected: talk.expected, impact: talk.talkImpact} : null;
	if (!entry.record) {
		return {
			name: entry.component.name,
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
	const staticPod = entry.component.kind === 'StaticPod';
	const staticNote = staticPod
		? `deleting a mirror pod does not stop the static pod's container (the kubelet recreates the mirror at once), so ${entry.component.name} itself was never down: the talk's "came back at once" is what was measured`
		: undefined;
	return {
		name: entry.component.name,
		type: kindNames[entry.component.kind],
		count: entry.record.podCount,
		deleted: whatWasDone(state),
		verdict,
		serviceImpact: [verdict === 'not-recovered' ? `NOT RECOVERED; ${serviceImpactText(state)}` : serviceImpactText(state), degradationText(state)].filter(Boolean).join('; '),
		functionImpact: functionImpactText(state) ?? null,
		firstReplacementReadyMs: json.firstReplacementReadyMs,
		recoveredMs: json.recoveredMs,
		verified: staticPod && talk ? 'unmeasured' : verification(talk, verdict),
		talk: talkJson,
		note: [entry.note, staticNote].filter(Boolean).join('; ') || null,
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

	return [kubeletRow(nodeCount), ...rows].sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
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

export function sweepMarkdown(report: SweepJson): string {
	const lines = [
		`# kube-system knocked down, measured`,
		'',
		`Namespace \`${report.namespace}\`, mode \`${report.mode}\`, ${new Date(report.startedAt).toISOString()} – ${new Date(report.finishedAt).toISOString()}.`,
		`Measured on ${measuredOnText(report.measuredOn ?? undefined)}.`,
		'Service impact is the guestbook path measured end to end (outage window ± probe uncertainty, and the hop that broke);',
		'"Verified" holds the talk\'s claim against the measurement — "(expected)" marks what the talk could only guess.',
		'',
		'| Name | Type | Count | Deleted | Service impact | Function impact | First replacement ready | Recovered | Verified (talk) |',
		'|---|---|---|---|---|---|---|---|---|',
	];
	for (const row of report.rows) {
		const recovered = row.verdict === 'not-recovered' ? 'not recovered' : time(row.recoveredMs);
		const cells = [
			row.talk && row.talk.name !== row.name ? `${row.name} (${row.talk.name})` : row.name,
			row.type,
			String(row.count),
			row.deleted,
			row.serviceImpact,
			row.functionImpact ?? '—',
			time(row.firstReplacementReadyMs),
			recovered,
			verifiedText(row),
		];
		lines.push(`| ${cells.map(cell => escapeCell(cell)).join(' | ')} |`);
	}

	const notes = report.rows.filter(row => row.note);
	if (notes.length > 0) {
		lines.push('', ...notes.map(row => `- **${row.name}**: ${row.note}`));
	}

	lines.push('');
	return lines.join('\n');
}
