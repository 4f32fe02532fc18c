import {test} from 'node:test';
import assert from 'node:assert/strict';
import {footerText} from '../../source/ui/footer.js';
import {screenKeys, type KeyHelp} from '../../source/ui/keymap.js';

const actionKeys: KeyHelp[] = [
	{keys: 'd', label: 'delete', help: ''},
	{keys: 'D', label: 'delete all', help: ''},
	{keys: 'x', label: 'kill', help: ''},
	{keys: 'H', label: 'hammer', help: ''},
	{keys: 't', label: 'timeline', help: ''},
	{keys: 'e', label: 'export', help: ''},
];

const keys = screenKeys(actionKeys);

test('a wide footer lists every key', () => {
	const text = footerText(keys, 200);
	for (const key of keys) {
		assert.ok(text.includes(`${key.keys} ${key.label}`), `${key.keys} is listed`);
	}
});

test('at 80 columns the delete keys stay and the arrows and paging go first', () => {
	const text = footerText(keys, 80);
	assert.ok(text.length <= 80);
	assert.match(text, /d delete {2}D delete all {2}x kill {2}H hammer/);
	assert.doesNotMatch(text, /PgUp|g\/G|↑/);
	assert.match(text, /\? help {2}q quit$/);
});

test('without actions (read-only screens) the navigation keys still show at 80 columns', () => {
	const text = footerText(screenKeys([]), 80);
	assert.match(text, /^↑\/↓ j\/k move {2}PgUp\/PgDn page/);
});
