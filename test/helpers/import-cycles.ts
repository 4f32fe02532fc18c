// Import circles among a folder's TypeScript files: relative imports and re-exports, type-only
// ones included (they tie files together for a reader as much as value imports do).
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';

const importPattern = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap(entry => {
		const full = path.join(dir, entry);
		if (statSync(full).isDirectory()) {
			return sourceFiles(full);
		}

		return /\.tsx?$/.test(entry) && !entry.endsWith('.d.ts') ? [full] : [];
	});
}

/** Each group of files that import one another in a circle (strongly connected, more than one file), relative to `dir`. */
export function importCycles(dir: string): string[][] {
	const files = new Set(sourceFiles(dir));
	const resolve = (from: string, specifier: string) => {
		const stem = path.join(path.dirname(from), specifier).replace(/\.(js|jsx|ts|tsx)$/, '');
		return [`${stem}.ts`, `${stem}.tsx`, path.join(stem, 'index.ts'), path.join(stem, 'index.tsx')].find(candidate => files.has(candidate));
	};

	const graph = new Map<string, string[]>();
	for (const file of files) {
		const targets = [...readFileSync(file, 'utf8').matchAll(importPattern)]
			.map(match => resolve(file, match[1] ?? match[2]))
			.filter((target): target is string => target !== undefined);
		graph.set(file, targets);
	}

	// Tarjan's strongly connected components.
	const order = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const cycles: string[][] = [];
	const visit = (file: string) => {
		order.set(file, order.size);
		low.set(file, order.get(file)!);
		stack.push(file);
		onStack.add(file);
		for (const target of graph.get(file)!) {
			if (!order.has(target)) {
				visit(target);
				low.set(file, Math.min(low.get(file)!, low.get(target)!));
			} else if (onStack.has(target)) {
				low.set(file, Math.min(low.get(file)!, order.get(target)!));
			}
		}

		if (low.get(file) === order.get(file)) {
			const group: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				onStack.delete(member);
				group.push(path.relative(dir, member));
			} while (member !== file);
			if (group.length > 1) {
				cycles.push(group.sort());
			}
		}
	};

	for (const file of files) {
		if (!order.has(file)) {
			visit(file);
		}
	}

	return cycles;
}
