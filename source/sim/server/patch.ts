// PATCH bodies: JSON merge patch (RFC 7386), strategic merge patch treated as a merge patch
// (lists are replaced whole, which is enough for labels, annotations, replicas and images),
// and JSON patch (RFC 6902) for the operations clients send.
import {ApiError} from './status.js';

export function mergePatch(target: unknown, patch: unknown): unknown {
	if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
		return structuredClone(patch);
	}

	const result: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? {...(target as Record<string, unknown>)} : {};
	for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
		if (key.startsWith('$')) {
			// Strategic-merge directives ($patch, $retainKeys, $setElementOrder/…): not modelled.
			continue;
		}

		if (value === null) {
			delete result[key];
		} else {
			result[key] = mergePatch(result[key], value);
		}
	}

	return result;
}

type Operation = {op: string; path: string; value?: unknown; from?: string};

function pointer(path: string): string[] {
	if (path === '') {
		return [];
	}

	if (!path.startsWith('/')) {
		throw new ApiError(422, `the server rejected our request due to an error in our request: invalid JSON pointer "${path}"`, 'Invalid');
	}

	return path.slice(1).split('/').map(part => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(document: unknown, parts: string[]): {parent: any; key: string} {
	let current: any = document;
	for (const part of parts.slice(0, -1)) {
		current = Array.isArray(current) ? current[Number(part)] : current?.[part];
		if (current === undefined || current === null || typeof current !== 'object') {
			throw new ApiError(422, `jsonpatch: path /${parts.join('/')} does not exist`, 'Invalid');
		}
	}

	return {parent: current, key: parts.at(-1)!};
}

export function jsonPatch(document: unknown, operations: unknown): unknown {
	if (!Array.isArray(operations)) {
		throw new ApiError(400, 'json patch must be an array of operations');
	}

	let result = structuredClone(document);
	for (const operation of operations as Operation[]) {
		const parts = pointer(operation.path);
		if (parts.length === 0) {
			if (operation.op === 'add' || operation.op === 'replace') {
				result = structuredClone(operation.value);
				continue;
			}

			throw new ApiError(422, `jsonpatch: cannot ${operation.op} the whole document`, 'Invalid');
		}

		const {parent, key} = parentOf(result, parts);
		switch (operation.op) {
			case 'add': {
				if (Array.isArray(parent)) {
					parent.splice(key === '-' ? parent.length : Number(key), 0, structuredClone(operation.value));
				} else {
					parent[key] = structuredClone(operation.value);
				}

				break;
			}

			case 'replace': {
				if (Array.isArray(parent)) {
					parent[Number(key)] = structuredClone(operation.value);
				} else {
					if (!(key in parent)) {
						throw new ApiError(422, `jsonpatch replace operation does not apply: doc is missing key: ${operation.path}`, 'Invalid');
					}

					parent[key] = structuredClone(operation.value);
				}

				break;
			}

			case 'remove': {
				if (Array.isArray(parent)) {
					parent.splice(Number(key), 1);
				} else {
					if (!(key in parent)) {
						throw new ApiError(422, `jsonpatch remove operation does not apply: doc is missing path: ${operation.path}`, 'Invalid');
					}

					delete parent[key];
				}

				break;
			}

			case 'test': {
				const actual = Array.isArray(parent) ? parent[Number(key)] : parent[key];
				if (JSON.stringify(actual) !== JSON.stringify(operation.value)) {
					throw new ApiError(422, `testing value ${operation.path} failed`, 'Invalid');
				}

				break;
			}

			default: {
				throw new ApiError(422, `jsonpatch: operation "${operation.op}" is not supported by the simulator`, 'Invalid');
			}
		}
	}

	return result;
}
