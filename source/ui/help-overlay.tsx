// `?`: every key, built-in and added, with what it does.
import React from 'react';
import {Box, Text} from 'ink';
import type {KeyHelp} from './keymap.js';
import {clip} from './text-fit.js';
import type {Theme} from './theme.js';

export function HelpOverlay({keys, width, height, theme}: {keys: readonly KeyHelp[]; width: number; height: number; theme: Theme}) {
	const keyWidth = Math.max(...keys.map(key => key.keys.length), 4) + 2;
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="round" paddingX={1}>
			<Text bold color={theme.color('title')}>Keys</Text>
			{keys.map(key => (
				<Text key={key.keys} wrap="truncate-end">
					<Text bold>{key.keys.padEnd(keyWidth)}</Text>
					<Text>{clip(key.help, Math.max(10, width - keyWidth - 4))}</Text>
				</Text>
			))}
			<Text color={theme.color('muted')}>{'Markers: + new pod · ! restart count went up · ✗ gone (deleted)'}</Text>
			<Text color={theme.color('muted')} wrap="truncate-end">{'Esc or ? closes this help. Only y pressed by itself once a question shows answers it; a paste cancels.'}</Text>
		</Box>
	);
}
