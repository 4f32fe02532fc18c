// Loads the recorded API objects in test/fixtures (see test/fixtures/README.md for where
// they come from). The path is resolved from this file, never from the current directory,
// and never leaves the repository: a clean clone has everything its tests read.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

const fixturesRoot = fileURLToPath(new URL('../fixtures', import.meta.url));

/** Absolute path of a fixture set, e.g. fixtureDir('kind-1.33'). */
export function fixtureDir(set = 'kind-1.33'): string {
	return path.join(fixturesRoot, set);
}

/** The parsed JSON of one recorded file, e.g. loadFixture('pods-kube-system.json'). */
export function loadFixture<T = unknown>(file: string, set = 'kind-1.33'): T {
	return JSON.parse(readFileSync(path.join(fixtureDir(set), file), 'utf8')) as T;
}

/** The items of a recorded List (an empty array when the server sent `items: null`). */
export function loadItems<T = any>(file: string, set = 'kind-1.33'): T[] {
	const list = loadFixture<{items?: T[] | null}>(file, set);
	return list.items ?? [];
}

/** One object of a recorded List by metadata.name; throws when absent so a test fails loudly. */
export function loadItem<T extends {metadata?: {name?: string} | null} = any>(file: string, name: string, set = 'kind-1.33'): T {
	const found = loadItems<T>(file, set).find(item => item.metadata?.name === name);
	if (!found) throw new Error(`fixture ${set}/${file} has no object named ${name}`);
	return found;
}

/** A deep copy, so a test can change one field of a recorded object without touching others. */
export function copy<T>(value: T): T {
	return structuredClone(value);
}
