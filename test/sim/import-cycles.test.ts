// The simulator's files import one another without circles: its controllers know only the
// context they are given (sim/world/controller.ts), never the World that wires them.
import assert from 'node:assert/strict';
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {test} from 'node:test';
import {importCycles} from '../helpers/import-cycles.js';

test('no import circles in source/sim', () => {
	assert.deepEqual(importCycles(fileURLToPath(new URL('../../source/sim', import.meta.url))), []);
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
