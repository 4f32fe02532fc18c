// The latest Events of the namespace, newest first, as many as fit.
import React from 'react';
import {Box, Text} from 'ink';
import {formatAge} from '../model/pod-status.js';
import type {EventEntry} from '../model/screen.js';
import {fitEnd} from './text-fit.js';
import type {Theme} from './theme.js';

type EventsPanelProps = {
	events: readonly EventEntry[];
	width: number;
	height: number;
	now: number;
	theme: Theme;
};

export function eventLine(entry: EventEntry, now: number, width: number): {age: string; reason: string; rest: string} {
	const {event} = entry;
	const object = event.involvedObject?.name ? `${(event.involvedObject.kind ?? '').toLowerCase()}/${event.involvedObject.name}` : '';
	const message = (event.message ?? '').replaceAll(/\s+/g, ' ').trim();
	const count = (event.count ?? 1) > 1 ? ` (×${event.count})` : '';
	const age = fitEnd(formatAge(Math.max(0, now - entry.time)), 5, 'right');
	const reason = fitEnd(event.reason ?? '', 16);
	return {age, reason, rest: `${object}: ${message}${count}`};
}

export function EventsPanel({events, width, height, now, theme}: EventsPanelProps) {
	if (height <= 0) {
		return null;
	}

	const shown = events.slice(0, Math.max(0, height - 1));
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate-end">
				{'Events'}
				<Text color={theme.color('muted')} bold={false}>{' (newest first)'}</Text>
			</Text>
			{shown.length === 0 ? <Text color={theme.color('muted')}>{'  none yet'}</Text> : null}
			{shown.map(entry => {
				const line = eventLine(entry, now, width);
				const warning = entry.event.type === 'Warning';
				return (
					<Text key={entry.key} wrap="truncate-end">
						<Text color={theme.color('muted')}>{line.age}</Text>
						<Text>{' '}</Text>
						<Text color={theme.color(warning ? 'bad' : 'accent')} bold={warning}>{line.reason}</Text>
						<Text>{' ' + line.rest}</Text>
					</Text>
				);
			})}
		</Box>
	);
}
