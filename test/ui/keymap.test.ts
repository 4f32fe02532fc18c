import {test} from 'node:test';
import assert from 'node:assert/strict';
import {commandFor, type KeyBinding} from '../../source/ui/keymap.js';

const action = (command: ReturnType<typeof commandFor>) => (command.type === 'action' ? command.action : command);

test('table mode: moves, pages, first/last, filter, sort, help, quit', () => {
	assert.deepEqual(action(commandFor('table', '', '', {downArrow: true})), {type: 'move', by: 1});
	assert.deepEqual(action(commandFor('table', '', 'k', {})), {type: 'move', by: -1});
	assert.deepEqual(action(commandFor('table', '', '', {pageDown: true})), {type: 'page', direction: 1});
	assert.deepEqual(action(commandFor('table', '', 'G', {})), {type: 'move-to', position: 'last'});
	assert.deepEqual(action(commandFor('table', '', 'g', {})), {type: 'move-to', position: 'first'});
	assert.deepEqual(action(commandFor('table', '', '/', {})), {type: 'filter-open'});
	assert.deepEqual(action(commandFor('table', '', 's', {})), {type: 'cycle-sort'});
	assert.deepEqual(action(commandFor('table', '', '?', {})), {type: 'help-toggle'});
	assert.deepEqual(commandFor('table', '', 'q', {}), {type: 'quit'});
	assert.deepEqual(commandFor('table', '', 'c', {ctrl: true}), {type: 'quit'});
	assert.deepEqual(commandFor('table', '', '', {escape: true}), {type: 'none'}, 'Esc without a filter does nothing');
	assert.deepEqual(action(commandFor('table', 'dns', '', {escape: true})), {type: 'filter-clear'});
});

test('filter mode: letters (q, s, j too) are text; Backspace removes; Enter keeps; Esc clears; Ctrl-C still quits', () => {
	assert.deepEqual(action(commandFor('filter', 'kube-', 'q', {})), {type: 'filter-set', text: 'kube-q'});
	assert.deepEqual(action(commandFor('filter', 'kube-', 'sj', {})), {type: 'filter-set', text: 'kube-sj'}, 'a paste');
	assert.deepEqual(action(commandFor('filter', 'dns', '', {backspace: true})), {type: 'filter-set', text: 'dn'});
	assert.deepEqual(action(commandFor('filter', 'dns', '', {delete: true})), {type: 'filter-set', text: 'dn'});
	assert.deepEqual(action(commandFor('filter', 'dns', '', {return: true})), {type: 'filter-accept'});
	assert.deepEqual(action(commandFor('filter', 'dns', '', {escape: true})), {type: 'filter-clear'});
	assert.deepEqual(commandFor('filter', 'dns', 'c', {ctrl: true}), {type: 'quit'});
	assert.deepEqual(action(commandFor('filter', 'dns', '', {downArrow: true})), {type: 'move', by: 1});
});

test('help mode: Esc, ? and Enter close it, q quits, other keys do nothing', () => {
	for (const key of [{escape: true}, {return: true}]) {
		assert.deepEqual(action(commandFor('help', '', '', key)), {type: 'help-toggle'});
	}

	assert.deepEqual(action(commandFor('help', '', '?', {})), {type: 'help-toggle'});
	assert.deepEqual(commandFor('help', '', 'q', {}), {type: 'quit'});
	assert.deepEqual(commandFor('help', '', 'j', {}), {type: 'none'});
});

test('added bindings run from table mode only, built-in keys win', () => {
	const deletePod: KeyBinding = {keys: ['d'], label: 'delete', help: 'delete the selected pod', run() {}};
	const shadow: KeyBinding = {keys: ['s'], label: 'nope', help: 'would shadow sort', run() {}};
	assert.deepEqual(commandFor('table', '', 'd', {}, [deletePod, shadow]), {type: 'binding', binding: deletePod});
	assert.deepEqual(action(commandFor('table', '', 's', {}, [deletePod, shadow])), {type: 'cycle-sort'});
	assert.deepEqual(action(commandFor('filter', '', 'd', {}, [deletePod])), {type: 'filter-set', text: 'd'});
	assert.deepEqual(commandFor('help', '', 'd', {}, [deletePod]), {type: 'none'});
});

test('a Ctrl- or Alt-modified letter never runs the plain letter; Ctrl-D runs only a binding named Ctrl-D', () => {
	const runs: string[] = [];
	const bindings: KeyBinding[] = ['d', 'e', 't', 'x', 'D', 'H'].map(key => ({keys: [key], label: key, help: key, run: () => runs.push(key)}));
	for (const letter of ['d', 'e', 't', 'x', 'q', 's', 'g', 'j', 'k']) {
		for (const modifier of [{ctrl: true}, {meta: true}]) {
			assert.deepEqual(commandFor('table', '', letter, modifier, bindings), {type: 'none'}, `${JSON.stringify(modifier)} ${letter}`);
		}
	}

	assert.deepEqual(commandFor('help', '', 'q', {ctrl: true}), {type: 'none'});
	assert.deepEqual(action(commandFor('table', '', 'f', {ctrl: true})), {type: 'page', direction: 1}, 'Ctrl-F pages as in less');
	const ctrlD: KeyBinding = {keys: ['Ctrl-D'], label: 'delete', help: 'delete', run() {}};
	const command = commandFor('table', '', 'd', {ctrl: true}, [...bindings, ctrlD]);
	assert.equal(command.type === 'binding' && command.binding, ctrlD);
	assert.deepEqual(commandFor('table', '', 'd', {}, [...bindings, ctrlD]).type === 'binding' && (commandFor('table', '', 'd', {}, [...bindings, ctrlD]) as {binding: KeyBinding}).binding.keys, ['d']);
	assert.deepEqual(runs, []);
});
