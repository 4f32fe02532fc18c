// The one keymap: a key press, in the screen's current mode, becomes a command. Pure, so
// every binding is testable without a terminal. Later features (delete, hammer, timeline,
// export) add their keys as `KeyBinding`s; they appear in the footer and the help overlay
// without this file changing.
import type {ScreenAction, ScreenMode} from '../model/screen.js';

/** The parts of Ink's Key this keymap reads. */
export type KeyLike = {
	upArrow?: boolean;
	downArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
	return?: boolean;
	escape?: boolean;
	ctrl?: boolean;
	backspace?: boolean;
	delete?: boolean;
	meta?: boolean;
	tab?: boolean;
};

/** A key another feature adds (e.g. `d` delete pod). Runs in table mode. */
export type KeyBinding = {
	/** The characters that trigger it, e.g. ['d'], or a Ctrl key as `Ctrl-D`. */
	keys: string[];
	/** Footer text, short: `delete`. */
	label: string;
	/** Help overlay text: `delete the selected pod (asks first)`. */
	help: string;
	run(): void;
};

export type KeyCommand =
	| {type: 'action'; action: ScreenAction}
	| {type: 'quit'}
	| {type: 'binding'; binding: KeyBinding}
	| {type: 'none'};

export type KeyHelp = {keys: string; label: string; help: string};

/** Every built-in key, for the footer and the help overlay (in this order). */
const builtInKeys: readonly KeyHelp[] = [
	{keys: '↑/↓ j/k', label: 'move', help: 'move the selection up and down'},
	{keys: 'PgUp/PgDn', label: 'page', help: 'move a page up or down'},
	{keys: 'g/G', label: 'first/last', help: 'go to the first or the last row'},
	{keys: '/', label: 'filter', help: 'filter pods by name (Enter keeps it, Esc clears it)'},
	{keys: 's', label: 'sort', help: 'cycle the sort: component, restarts, age'},
	{keys: '?', label: 'help', help: 'show or hide this help'},
	{keys: 'q', label: 'quit', help: 'quit (Ctrl-C too): watches stopped, terminal restored'},
];

/** `?` and `q`: they close every list of keys, and the footer keeps them whatever else it drops. */
export function isAlwaysShown(key: KeyHelp): boolean {
	return key.keys === '?' || key.keys === 'q';
}

/** The screen's keys for the footer and the help: the built-in ones, the added ones, then `?` and `q`. */
export function screenKeys(added: readonly KeyHelp[]): KeyHelp[] {
	return [...builtInKeys.filter(key => !isAlwaysShown(key)), ...added, ...builtInKeys.filter(key => isAlwaysShown(key))];
}

const none: KeyCommand = {type: 'none'};
const act = (action: ScreenAction): KeyCommand => ({type: 'action', action});

function navigation(input: string, key: KeyLike): KeyCommand | undefined {
	// A Ctrl- or Alt-modified letter is not the letter: only Ctrl-B/Ctrl-F page (as in less and vi).
	if (key.ctrl || key.meta) {
		if (key.ctrl && input === 'b') {
			return act({type: 'page', direction: -1});
		}

		if (key.ctrl && input === 'f') {
			return act({type: 'page', direction: 1});
		}

		return key.upArrow || key.downArrow || key.pageUp || key.pageDown || key.home || key.end ? navigation('', {...key, ctrl: false, meta: false}) : undefined;
	}

	if (key.upArrow || input === 'k') {
		return act({type: 'move', by: -1});
	}

	if (key.downArrow || input === 'j') {
		return act({type: 'move', by: 1});
	}

	if (key.pageUp) {
		return act({type: 'page', direction: -1});
	}

	if (key.pageDown) {
		return act({type: 'page', direction: 1});
	}

	if (key.home || input === 'g') {
		return act({type: 'move-to', position: 'first'});
	}

	if (key.end || input === 'G') {
		return act({type: 'move-to', position: 'last'});
	}

	return undefined;
}

export function commandFor(
	mode: ScreenMode,
	filter: string,
	input: string,
	key: KeyLike,
	bindings: readonly KeyBinding[] = [],
): KeyCommand {
	if (key.ctrl && input === 'c') {
		return {type: 'quit'};
	}

	switch (mode) {
		case 'filter': {
			if (key.escape) {
				return act({type: 'filter-clear'});
			}

			if (key.return) {
				return act({type: 'filter-accept'});
			}

			if (key.backspace || key.delete) {
				return act({type: 'filter-set', text: filter.slice(0, -1)});
			}

			if (key.upArrow || key.downArrow || key.pageUp || key.pageDown) {
				return navigation('', key) ?? none;
			}

			// Printable text (a paste may bring several characters at once).
			if (input && !key.ctrl && !key.meta && !key.tab && !/[\u0000-\u001F\u007F]/.test(input)) {
				return act({type: 'filter-set', text: filter + input});
			}

			return none;
		}

		case 'help': {
			if (key.ctrl || (key.meta && !key.escape)) {
				return none;
			}

			if (input === 'q') {
				return {type: 'quit'};
			}

			if (key.escape || key.return || input === '?' || input === 'h') {
				return act({type: 'help-toggle'});
			}

			return none;
		}

		case 'table': {
			const moved = navigation(input, key);
			if (moved) {
				return moved;
			}

			// Ink marks Esc as meta too: it is read before the modified keys are set aside.
			if (key.escape) {
				return filter ? act({type: 'filter-clear'}) : none;
			}

			if (key.ctrl || key.meta) {
				// A Ctrl-modified key never runs the plain key's action: Ctrl-D is bound as itself.
				const name = key.ctrl && !key.meta && /^[a-z]$/.test(input) ? `Ctrl-${input.toUpperCase()}` : undefined;
				const binding = name ? bindings.find(candidate => candidate.keys.includes(name)) : undefined;
				return binding ? {type: 'binding', binding} : none;
			}

			if (input === 'q') {
				return {type: 'quit'};
			}

			if (input === '/') {
				return act({type: 'filter-open'});
			}

			if (input === 's') {
				return act({type: 'cycle-sort'});
			}

			if (input === '?') {
				return act({type: 'help-toggle'});
			}

			const binding = bindings.find(candidate => candidate.keys.includes(input));
			return binding ? {type: 'binding', binding} : none;
		}
	}
}
