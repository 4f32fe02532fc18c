// The keys, as many as fit on one line; `?` always shows all of them.
import React from 'react';
import {Text} from 'ink';
import type {KeyHelp} from './keymap.js';
import type {Theme} from './theme.js';

export function footerText(keys: readonly KeyHelp[], width: number): string {
	// `?` and `q` matter most: keep them at the end and drop from the middle when narrow.
	const must = keys.filter(key => key.keys === '?' || key.keys === 'q');
	const rest = keys.filter(key => !must.includes(key));
	const render = (list: readonly KeyHelp[]) => list.map(key => `${key.keys} ${key.label}`).join('  ');
	const chosen = [...rest];
	while (chosen.length > 0 && render([...chosen, ...must]).length > width) {
		chosen.pop();
	}

	return render([...chosen, ...must]);
}

export function Footer({keys, width, theme}: {keys: readonly KeyHelp[]; width: number; theme: Theme}) {
	return <Text wrap="truncate-end" color={theme.color('muted')}>{footerText(keys, width)}</Text>;
}
