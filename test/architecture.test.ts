// The rules docs/architecture.md states, held by the suite: no import circles anywhere in
// source/ (the simulator's controllers know only the context they are given, never the World
// that wires them; ui/ hooks get the lab through context, not from each other), only kube/
// imports client-node, and model/ stays pure (no I/O, no clock, no Ink).
import assert from 'node:assert/strict';
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {test} from 'node:test';
import {readdirSync, readFileSync} from 'node:fs';
import {importCycles} from './helpers/import-cycles.js';

const source = fileURLToPath(new URL('../source', import.meta.url));

/** Every file under source/ (relative) that loads a module matching `pattern` (type-only imports load nothing). */
function importersOf(pattern: RegExp): string[] {
	const loads = /^(?:import|export)(?!\s+type\b)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
	return readdirSync(source, {recursive: true, encoding: 'utf8'})
		.filter(file => /\.tsx?$/.test(file))
		.filter(file => [...readFileSync(path.join(source, file), 'utf8').matchAll(loads)].some(match => pattern.test(match[1] ?? match[2]!)))
		.sort();
}

test('no import circles in source/', () => {
	assert.deepEqual(importCycles(source), []);
});

test('only kube/ imports @kubernetes/client-node', () => {
	assert.deepEqual(importersOf(/^@kubernetes\/client-node/).filter(file => !file.startsWith(`kube${path.sep}`)), []);
});

test('model/ is pure: no node: modules, no Ink or React, no clock of its own', () => {
	const impure = importersOf(/^(node:|ink$|react$|\.\.\/(kube|time|ui|probes\/(?!catalog)))/).filter(file => file.startsWith(`model${path.sep}`));
	assert.deepEqual(impure, []);
	const clockReaders = readdirSync(path.join(source, 'model')).filter(file => /Date\.now\(|setTimeout\(|setInterval\(/.test(readFileSync(path.join(source, 'model', file), 'utf8')));
	assert.deepEqual(clockReaders, []);
});

test('the check finds a circle through a type import and an index file, and nothing in a chain', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'import-cycles-'));
	try {
		mkdirSync(path.join(dir, 'parts'));
		writeFileSync(path.join(dir, 'a.ts'), 'import {b} from \'./parts/index.js\';\nexport const a = b;\n');
		writeFileSync(path.join(dir, 'parts', 'index.ts'), 'export {b} from \'./b.js\';\n');
		writeFileSync(path.join(dir, 'parts', 'b.ts'), 'import type {A} from \'../a.js\';\nexport const b = 1;\nexport type B = A;\n');
		writeFileSync(path.join(dir, 'chain.ts'), 'import {a} from \'./a.js\';\nexport const chain = a;\n');
		assert.deepEqual(importCycles(dir), [['a.ts', path.join('parts', 'b.ts'), path.join('parts', 'index.ts')]]);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});
