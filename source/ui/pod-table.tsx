// The table: component lines with their pods under them. Only the rows that fit are drawn
// (the window comes from the model), so thousands of pods cost what a screenful costs.
import React from 'react';
import {Box, Text} from 'ink';
import {podDisplay} from '../model/pod-status.js';
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

function PodLine({row, selected, columns, now, theme}: {row: PodRow; selected: boolean; columns: PodColumns; now: number; theme: Theme}) {
	const {entry} = row;
	const marks = podMarks(entry, now);
	const display = podDisplay(entry.pod, now);
	// Readable without colour: + new, ! restarted, ✗ gone.
	const marker = marks.gone ? '✗' : marks.flashing ? '!' : marks.isNew ? '+' : ' ';
	const status = marks.gone ? 'gone' : display.status;
	const markerColor = marks.gone ? theme.color('muted') : marks.flashing ? theme.color('flash') : marks.isNew ? theme.color('new') : undefined;
	const node = entry.pod.spec?.nodeName ?? '<none>';
	return (
		<Text wrap="truncate-end" inverse={selected} dimColor={marks.gone}>
			<Text>{selected ? '›' : ' '}</Text>
			<Text color={markerColor} bold>{marker}</Text>
			<Text>{' '}</Text>
			<Text color={marks.isNew ? theme.color('new') : undefined}>{fitMiddle(entry.name, columns.name)}</Text>
			<Text>{' ' + fitEnd(display.ready, columns.ready)}</Text>
			<Text color={marks.gone ? undefined : theme.color(statusColor(status) ?? 'ok')}>{' ' + fitEnd(status, columns.status)}</Text>
			<Text color={marks.flashing ? theme.color('flash') : undefined} bold={marks.flashing}>{' ' + fitEnd(display.restarts, columns.restarts)}</Text>
			<Text>{' ' + fitEnd(display.age, columns.age)}</Text>
			{columns.node > 0 ? <Text color={theme.color('muted')}>{' ' + fitMiddle(node, columns.node)}</Text> : null}
		</Text>
	);
}

function Line({row, selected, columns, now, theme}: {row: Row; selected: boolean; columns: PodColumns; now: number; theme: Theme}) {
	return row.type === 'component'
		? <ComponentLine row={row} selected={selected} theme={theme}/>
		: <PodLine row={row} selected={selected} columns={columns} now={now} theme={theme}/>;
}

export function PodTable({window, width, height, now, theme, emptyText}: PodTableProps) {
	const columns = podColumns(width);
	const more = window.total - (window.top + window.rows.length);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate-end">
				{titles(columns)}
				{window.total > window.rows.length
					? <Text color={theme.color('muted')} bold={false}>{`  ${window.top + 1}–${window.top + window.rows.length} of ${window.total}${more > 0 ? ' ↓' : ''}`}</Text>
					: null}
			</Text>
			{window.rows.length === 0 ? <Text color={theme.color('muted')}>{`  ${emptyText}`}</Text> : null}
			{window.rows.map((row, index) => (
				<Line
					key={row.key}
					row={row}
					selected={window.top + index === window.selected}
					columns={columns}
					now={now}
					theme={theme}
				/>
			))}
		</Box>
	);
}
