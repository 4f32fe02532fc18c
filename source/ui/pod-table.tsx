// The table: component lines with their pods under them. Only the rows that fit are drawn
// (the window comes from the model), so thousands of pods cost what a screenful costs.
import React from 'react';
import {Box, Text} from 'ink';
import {podDisplay, type PodDisplay} from '../model/pod-status.js';
import {podMarks, type ComponentRow, type PodRow, type Row, type RowWindow} from '../model/screen.js';
import {podColumns, type PodColumns} from './layout.js';
import {fitEnd, fitMiddle} from './text-fit.js';
import {statusColor, type Theme} from './theme.js';

type PodTableProps = {
	window: RowWindow;
	width: number;
	height: number;
	now: number;
	theme: Theme;
	/** Shown when there is nothing to list. */
	emptyText: string;
};

const kindLabel: Record<string, string> = {
	Deployment: 'Deployment',
	DaemonSet: 'DaemonSet',
	StatefulSet: 'StatefulSet',
	ReplicaSet: 'ReplicaSet',
	Job: 'Job',
	StaticPod: 'static pod',
	Pod: 'pod',
};

function titles(columns: PodColumns): string {
	return [
		' '.repeat(columns.mark - 1),
		fitEnd('NAME', columns.name),
		fitEnd('READY', columns.ready),
		fitEnd('STATUS', columns.status),
		fitEnd('RESTARTS', columns.restarts),
		fitEnd('AGE', columns.age),
		columns.node > 0 ? fitEnd('NODE', columns.node) : '',
	].join(' ').trimEnd();
}

function ComponentLine({row, selected, theme}: {row: ComponentRow; selected: boolean; theme: Theme}) {
	const {summary} = row;
	const healthy = summary.ready >= summary.desired && summary.desired > 0;
	const counts = `${summary.ready}/${summary.desired}`;
	return (
		<Text wrap="truncate-end" inverse={selected}>
			<Text>{selected ? '› ' : '  '}</Text>
			<Text bold color={theme.color('accent')}>{summary.component.name}</Text>
			<Text color={theme.color('muted')}>{`  ${kindLabel[summary.component.kind] ?? summary.component.kind}  `}</Text>
			<Text color={theme.color(healthy ? 'ok' : 'warn')} bold={!healthy}>{counts}</Text>
			<Text color={theme.color('muted')}>{' ready'}</Text>
			{summary.role ? <Text>{`  · ${summary.role}`}</Text> : null}
		</Text>
	);
}

function PodLine({row, cells, selected, columns, now, theme}: {row: PodRow; cells: Cells; selected: boolean; columns: PodColumns; now: number; theme: Theme}) {
	const {entry} = row;
	const marks = podMarks(entry, now);
	const {display, status} = cells;
	// Readable without colour: + new, ! restarted, ✗ gone.
	const marker = marks.gone ? '✗' : marks.flashing ? '!' : marks.isNew ? '+' : ' ';
	const markerColor = marks.gone ? theme.color('muted') : marks.flashing ? theme.color('flash') : marks.isNew ? theme.color('new') : undefined;
	const node = entry.pod.spec?.nodeName ?? '<none>';
	// AGE, which ticks every second, is a text of its own: Ink 6 remembers the size of every
	// distinct text it ever laid out, so a row drawn as one text with its age in it would be
	// remembered anew every second, for as long as the screen runs.
	return (
		<Box>
			<Text wrap="truncate-end" inverse={selected} dimColor={marks.gone}>
				<Text>{selected ? '›' : ' '}</Text>
				<Text color={markerColor} bold>{marker}</Text>
				<Text>{' '}</Text>
				<Text color={marks.isNew ? theme.color('new') : undefined}>{fitMiddle(entry.name, columns.name)}</Text>
				<Text>{' ' + fitEnd(display.ready, columns.ready)}</Text>
				<Text color={marks.gone ? undefined : theme.color(statusColor(status))}>{' ' + fitEnd(status, columns.status)}</Text>
				<Text color={marks.flashing ? theme.color('flash') : undefined} bold={marks.flashing}>{' ' + fitEnd(display.restarts, columns.restarts)}</Text>
			</Text>
			<Text wrap="truncate-end" inverse={selected} dimColor={marks.gone}>{' ' + fitEnd(display.age, columns.age)}</Text>
			{columns.node > 0 ? <Text wrap="truncate-end" inverse={selected} dimColor={marks.gone} color={theme.color('muted')}>{' ' + fitMiddle(node, columns.node)}</Text> : null}
		</Box>
	);
}

function Line({row, cells, selected, columns, now, theme}: {row: Row; cells?: Cells; selected: boolean; columns: PodColumns; now: number; theme: Theme}) {
	if (row.type === 'component') {
		return <ComponentLine row={row} selected={selected} theme={theme}/>;
	}

	// PodTable computes the cells of every pod row it draws.
	return cells ? <PodLine row={row} cells={cells} selected={selected} columns={columns} now={now} theme={theme}/> : null;
}

type Cells = {display: PodDisplay; status: string};

export function PodTable({window, width, height, now, theme, emptyText}: PodTableProps) {
	// kubectl's values for the rows on screen, computed once: they also size the columns.
	const cells = new Map<string, Cells>();
	const widths = {name: 0, ready: 0, status: 0, restarts: 0, age: 0, node: 0};
	for (const row of window.rows) {
		if (row.type !== 'pod') {
			continue;
		}

		const display = podDisplay(row.entry.pod, now);
		const status = row.entry.goneAt === undefined ? display.status : 'gone';
		cells.set(row.key, {display, status});
		widths.name = Math.max(widths.name, row.entry.name.length);
		widths.node = Math.max(widths.node, (row.entry.pod.spec?.nodeName ?? '<none>').length);
		widths.ready = Math.max(widths.ready, display.ready.length);
		widths.status = Math.max(widths.status, status.length);
		widths.restarts = Math.max(widths.restarts, display.restarts.length);
		widths.age = Math.max(widths.age, display.age.length);
	}

	const columns = podColumns(width, widths);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate-end">{titles(columns)}</Text>
			{window.rows.length === 0 ? <Text color={theme.color('muted')}>{`  ${emptyText}`}</Text> : null}
			{window.rows.map((row, index) => (
				<Line
					key={row.key}
					row={row}
					cells={cells.get(row.key)}
					selected={window.top + index === window.selected}
					columns={columns}
					now={now}
					theme={theme}
				/>
			))}
		</Box>
	);
}
