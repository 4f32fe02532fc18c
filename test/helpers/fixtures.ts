// Loads the recorded API objects in shared/fixtures. The shared folder sits beside the
// repository (locally /work/shared next to /work/main; in CI a copy beside the clone), so the
// path is resolved from the repository root, never from the current directory.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Absolute path of a fixture set, e.g. fixtureDir('kind-1.33'). */
export function fixtureDir(set = 'kind-1.33'): string {
	return path.join(repoRoot, '..', 'shared', 'fixtures', set);
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
