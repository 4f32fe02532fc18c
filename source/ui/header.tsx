// Two lines: who and where (knockdown, context, server, clock), then what (namespace,
// counts, connection state, read-only).
import React from 'react';
import {Box, Text} from 'ink';
import type {ConnectionState} from '../kube/pod-source.js';
import type {Theme, ThemeColor} from './theme.js';
import {clip} from './text-fit.js';

export type ScreenInfo = {
	contextName: string;
	server: string;
	namespace: string;
	readOnly: boolean;
	/** The in-process simulated cluster (--demo). */
	demo?: boolean;
};

function connectionText(state: ConnectionState, now: number): {text: string; color: ThemeColor} {
	switch (state.phase) {
		case 'connecting': {
			return {text: '… connecting', color: 'warn'};
		}

		case 'live': {
			return state.note ? {text: `● live (${state.note})`, color: 'warn'} : {text: '● live', color: 'ok'};
		}

		case 'reconnecting': {
			const seconds = Math.max(0, Math.floor((now - state.since) / 1000));
			return {text: `↻ reconnecting for ${seconds} s (${state.reason})`, color: 'warn'};
		}

		case 'not-answering': {
			const seconds = Math.max(0, Math.floor((now - state.since) / 1000));
			return {text: `✗ API server not answering for ${seconds} s (${state.reason})`, color: 'bad'};
		}

		case 'failed': {
			return {text: `✗ failed: ${state.reason}`, color: 'bad'};
		}
	}
}

/** HH:MM:SS in the machine's time zone: the clock a speaker and the audience share. */
export function clockText(now: number): string {
	const date = new Date(now);
	return [date.getHours(), date.getMinutes(), date.getSeconds()].map(part => String(part).padStart(2, '0')).join(':');
}

type HeaderProps = {
	info: ScreenInfo;
	width: number;
	now: number;
	pods: number;
	components: number;
	connection: ConnectionState;
	theme: Theme;
};

export function Header({info, width, now, pods, components, connection, theme}: HeaderProps) {
	const clock = clockText(now);
	const where = `${info.contextName}${info.demo ? ' (demo)' : ''} · ${info.server}`;
	const state = connectionText(connection, now);
	const counts = `${pods} ${pods === 1 ? 'pod' : 'pods'} · ${components} ${components === 1 ? 'component' : 'components'}`;
	// Before the connection state, whose reason can be long and is cut first.
	const readOnly = info.readOnly ? '[read-only] ' : '';
	const first = 'knockdown  ';
	const second = `ns ${info.namespace} · ${counts} · `;
	return (
		<Box flexDirection="column" width={width}>
			<Box width={width}>
				<Box flexGrow={1}>
					<Text wrap="truncate-end">
						<Text bold color={theme.color('title')}>{first}</Text>
						<Text>{clip(where, Math.max(1, width - first.length - clock.length - 1))}</Text>
					</Text>
				</Box>
				<Text>{clock}</Text>
			</Box>
			<Text wrap="truncate-end">
				<Text>{second}</Text>
				{readOnly ? <Text color={theme.color('accent')}>{readOnly}</Text> : null}
				<Text color={theme.color(state.color)} bold={state.color !== 'ok'}>{state.text}</Text>
			</Text>
		</Box>
	);
}
