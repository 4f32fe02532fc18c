// The latest Events of the namespace, newest first, as many as fit. In a narrow column (the
// right-hand side of a wide terminal) each event takes two lines, so its message is read.
import React from 'react';
import {Box, Text} from 'ink';
import {formatAge} from '../model/pod-status.js';
import type {EventEntry} from '../model/screen.js';
import {clip, fitEnd, fitMiddle} from './text-fit.js';
import type {Theme} from './theme.js';

type EventsPanelProps = {
	events: readonly EventEntry[];
	width: number;
	height: number;
	now: number;
	theme: Theme;
};

/** Below this width an event takes two lines: what happened to what, then the message. */
const twoLineEventsBelow = 70;

function eventParts(entry: EventEntry, now: number): {age: string; reason: string; object: string; shortObject: string; message: string} {
	const {event} = entry;
	const kind = (event.involvedObject?.kind ?? '').toLowerCase();
	const name = event.involvedObject?.name ?? '';
	const object = name ? `${kind}/${name}` : '';
	// Most events are about pods: in a narrow column, their name alone.
	const shortObject = kind === 'pod' ? name : object;
	const count = (event.count ?? 1) > 1 ? ` (×${event.count})` : '';
	const message = (event.message ?? '').replaceAll(/\s+/g, ' ').trim() + count;
	const age = fitEnd(formatAge(Math.max(0, now - entry.time)), 5, 'right');
	const reason = fitEnd(event.reason ?? '', 16);
	return {age, reason, object, shortObject, message};
}

export function EventsPanel({events, width, height, now, theme}: EventsPanelProps) {
	if (height <= 0) {
		return null;
	}

	const twoLines = width < twoLineEventsBelow;
	const shown = events.slice(0, Math.max(0, twoLines ? Math.floor((height - 1) / 2) : height - 1));
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate-end">
				{'Events'}
				<Text color={theme.color('muted')} bold={false}>{' (newest first)'}</Text>
			</Text>
			{shown.length === 0 ? <Text color={theme.color('muted')}>{'  none yet'}</Text> : null}
			{shown.map(entry => {
				const parts = eventParts(entry, now);
				const warning = entry.event.type === 'Warning';
				// The age ticks every second: a text of its own, so the rest stays one text Ink has seen.
				const head = (
					<Box>
						<Box flexShrink={0}><Text color={theme.color('muted')}>{parts.age}</Text></Box>
						<Text wrap="truncate-end">
							<Text>{' '}</Text>
							<Text color={theme.color(warning ? 'bad' : 'accent')} bold={warning}>{twoLines ? parts.reason.trimEnd() : parts.reason}</Text>
							<Text>{' ' + (twoLines ? fitMiddle(parts.shortObject, Math.max(5, width - 7 - parts.reason.trimEnd().length)).trimEnd() : `${parts.object}: ${parts.message}`)}</Text>
						</Text>
					</Box>
				);
				return twoLines
					? (
						<Box key={entry.key} flexDirection="column">
							{head}
							<Text wrap="truncate-end" color={theme.color('muted')}>{'      ' + clip(parts.message, width - 6)}</Text>
						</Box>
					)
					: <Box key={entry.key}>{head}</Box>;
			})}
		</Box>
	);
}
