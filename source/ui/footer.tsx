// The keys, as many as fit on one line; `?` always shows all of them.
import React from 'react';
import {Text} from 'ink';
import {isAlwaysShown, type KeyHelp} from './keymap.js';
import type {Theme} from './theme.js';

/** Dropped first when the line is too narrow: arrows and paging need no reminder, actions do. */
const dropFirst = ['Ctrl-D', 'PgUp/PgDn', 'g/G', '↑/↓ j/k', 's'];

export function footerText(keys: readonly KeyHelp[], width: number): string {
	// `?` and `q` matter most: keep them at the end, always.
	const must = keys.filter(key => isAlwaysShown(key));
	const render = (list: readonly KeyHelp[]) => list.map(key => `${key.keys} ${key.label}`).join('  ');
	const chosen = keys.filter(key => !must.includes(key));
	const fits = () => render([...chosen, ...must]).length <= width;
	for (const name of dropFirst) {
		if (fits()) {
			break;
		}

		const index = chosen.findIndex(key => key.keys === name);
		if (index >= 0) {
			chosen.splice(index, 1);
		}
	}

	// Still too wide: the last added keys go.
	while (chosen.length > 0 && !fits()) {
		chosen.pop();
	}

	return render([...chosen, ...must]);
}

export function Footer({keys, width, theme}: {keys: readonly KeyHelp[]; width: number; theme: Theme}) {
	return <Text wrap="truncate-end" color={theme.color('muted')}>{footerText(keys, width)}</Text>;
}
