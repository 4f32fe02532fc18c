// The live kube-system screen. It draws what the selectors hand it and routes every key
// through the one keymap; everything it knows comes from the store.
import React, {useEffect, useSyncExternalStore, type ReactNode} from 'react';
import {Box, Text, useInput, type Key} from 'ink';
import {selectCounts, selectShownPodCount, selectWindow, type RowWindow, type ScreenState} from '../model/screen.js';
import {EventsPanel} from './events-panel.js';
import {Footer} from './footer.js';
import {Header, type ScreenInfo} from './header.js';
import {HelpOverlay} from './help-overlay.js';
import {commandFor, screenKeys, type KeyBinding} from './keymap.js';
import {computeLayout, type TerminalSize} from './layout.js';
import {PodTable} from './pod-table.js';
import type {ScreenStore} from './screen-store.js';
import type {Theme} from './theme.js';
import {useTerminalSize} from './use-terminal-size.js';

/**
 * What later features plug in: keys (delete, hammer, timeline, export), a modal that takes
 * the keyboard (the delete confirmation), a banner (the running experiment), the status
 * line (the question, a result, an error) and the side panel (guestbook health).
 */
export type ScreenExtensions = {
	bindings?: readonly KeyBinding[];
	/**
	 * Called first for every key except while typing a filter; return true when it took the key.
	 * `together`: the key came in one chunk with others (a paste, typed ahead): never an answer.
	 */
	captureInput?(input: string, key: Key, together: boolean): boolean;
	banner?: {height: number; node: ReactNode};
	/** Replaces the status line while set. */
	statusLine?: ReactNode;
	/** The health panel: beside the table on wide terminals, under it on narrow ones. */
	sidePanel?: {height: number; render(size: {width: number; height: number}): ReactNode};
};

export type AppProps = {
	store: ScreenStore;
	info: ScreenInfo;
	theme: Theme;
	onQuit(): void;
	/** A fixed size; else the terminal's, following resizes. */
	size?: TerminalSize;
	extensions?: ScreenExtensions;
	/** --stage: no events list (the banner's big clock, the table and the panel are what a talk shows). */
	stage?: boolean;
};

/** The Key for one character of a chunk: Enter and Backspace are characters there. */
function splitKey(key: Key, character: string): Key {
	return {...key, return: character === '\r' || character === '\n', backspace: character === '\u007F' || character === '\b'};
}

export function useScreenState(store: ScreenStore): ScreenState {
	return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}

function podsText(count: number): string {
	return count === 1 ? '1 pod' : `${count} pods`;
}

function StatusLine({state, window, width, theme}: {state: ScreenState; window: RowWindow; width: number; theme: Theme}) {
	const {view} = state;
	const more = window.total - (window.top + window.rows.length);
	const position = window.total > window.rows.length
		? `rows ${window.top + 1}–${window.top + window.rows.length} of ${window.total}${more > 0 ? ' ↓' : ''}`
		: undefined;
	if (view.mode === 'filter') {
		return (
			<Text wrap="truncate-end">
				<Text bold color={theme.color('accent')}>{'/'}</Text>
				<Text>{view.filter}</Text>
				<Text inverse>{' '}</Text>
				<Text color={theme.color('muted')}>{`   ${podsText(selectShownPodCount(state))} · Enter keeps · Esc clears`}</Text>
			</Text>
		);
	}

	const parts = [`sort: ${view.sort}`];
	if (view.filter) {
		parts.push(`filter "${view.filter}": ${podsText(selectShownPodCount(state))} (Esc clears)`);
	}

	if (position) {
		parts.push(position);
	}

	return <Text wrap="truncate-end" color={theme.color('muted')}>{parts.join(' · ').slice(0, width)}</Text>;
}

export function App({store, info, theme, onQuit, size: fixedSize, extensions = {}, stage = false}: AppProps) {
	const state = useScreenState(store);
	const size = useTerminalSize(fixedSize);
	const layout = computeLayout(size, {bannerHeight: extensions.banner?.height, panelHeight: extensions.sidePanel?.height, noEvents: state.events.length === 0, hideEvents: stage});
	const bindings = extensions.bindings ?? [];

	useEffect(() => {
		if (state.view.viewportRows !== layout.viewportRows) {
			store.dispatch({type: 'viewport', rows: layout.viewportRows});
		}
	}, [layout.viewportRows, state.view.viewportRows, store]);

	/**
	 * Returns false when the rest of a chunk must be dropped: after an action key or a key a
	 * question or menu took, what followed was typed before the screen showed its effect.
	 */
	const route = (input: string, key: Key, together: boolean): boolean => {
		const current = store.getState();
		if (current.view.mode !== 'filter' && extensions.captureInput?.(input, key, together)) {
			return false;
		}

		const command = commandFor(current.view.mode, current.view.filter, input, key, bindings);
		switch (command.type) {
			case 'action': {
				store.dispatch(command.action);
				break;
			}

			case 'quit': {
				onQuit();
				break;
			}

			case 'binding': {
				command.binding.run();
				return false;
			}

			case 'none': {
				break;
			}
		}

		return true;
	};

	useInput((input, key) => {
		// Keys typed fast (or sent by tmux, or pasted) can arrive as one chunk: "/dns\r" is
		// four key presses, and the mode changes after the first.
		if (input.length > 1 && !key.ctrl && !key.meta) {
			for (const character of input) {
				if (!route(character, splitKey(key, character), true)) {
					return;
				}
			}

			return;
		}

		route(input, key, false);
	});

	const keys = screenKeys(bindings.map(binding => ({keys: binding.keys.join('/'), label: binding.label, help: binding.help})));
	const counts = selectCounts(state);
	const window = selectWindow(state);
	const emptyText = state.view.filter
		? `no pod matches "${state.view.filter}"`
		: state.connection.phase === 'live'
			? `no pods in namespace ${info.namespace}`
			: 'waiting for the first list of pods…';
	const table = <PodTable window={window} width={layout.table.width} height={layout.table.height} now={state.now} theme={theme} emptyText={emptyText}/>;
	const panel = extensions.sidePanel && layout.panel.height > 0
		? <Box width={layout.panel.width} height={layout.panel.height} overflow="hidden">{extensions.sidePanel.render(layout.panel)}</Box>
		: null;
	const events = layout.events.height > 0
		? <EventsPanel events={state.events} width={layout.events.width} height={layout.events.height} now={state.now} theme={theme}/>
		: null;
	// The help takes the whole body: with the keys later features add, it needs the room.
	const bodyHeight = layout.height - layout.header - layout.banner - layout.status - layout.footer;
	let body: ReactNode;
	if (state.view.mode === 'help') {
		body = <HelpOverlay keys={keys} width={layout.columns} height={bodyHeight} theme={theme}/>;
	} else if (layout.wide) {
		body = (
			<Box height={bodyHeight}>
				{table}
				<Box width={1}/>
				<Box flexDirection="column" width={layout.events.width}>
					{panel}
					{events}
				</Box>
			</Box>
		);
	} else {
		body = (
			<Box flexDirection="column" height={bodyHeight}>
				{table}
				{panel}
				{events}
			</Box>
		);
	}

	return (
		<Box flexDirection="column" width={layout.columns} height={layout.height}>
			<Header
				info={info}
				width={layout.columns}
				now={state.now}
				pods={counts.pods}
				components={counts.components}
				connection={state.connection}
				theme={theme}
			/>
			{extensions.banner && layout.banner > 0
				? <Box height={layout.banner} overflow="hidden">{extensions.banner.node}</Box>
				: null}
			{body}
			<Box height={1}>
				{extensions.statusLine ?? <StatusLine state={state} window={window} width={layout.columns} theme={theme}/>}
			</Box>
			<Footer keys={keys} width={layout.columns} theme={theme}/>
		</Box>
	);
}
