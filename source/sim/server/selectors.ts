// labelSelector and fieldSelector, parsed once per request and matched per object, with the
// real API server's grammar and its 400 for fields a resource cannot be selected on.
import type {KubeObject, Resource} from '../store.js';
import {ApiError} from './status.js';

export type Matcher = (object: KubeObject) => boolean;

type LabelRequirement =
	| {op: 'eq' | 'neq'; key: string; value: string}
	| {op: 'in' | 'notin'; key: string; values: Set<string>}
	| {op: 'exists' | 'notexists'; key: string};

/** Split on commas that are not inside parentheses: `a in (x,y),b` → ['a in (x,y)', 'b']. */
function splitTopLevel(text: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let start = 0;
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (char === '(') {
			depth++;
		} else if (char === ')') {
			depth--;
		} else if (char === ',' && depth === 0) {
			parts.push(text.slice(start, index));
			start = index + 1;
		}
	}

	parts.push(text.slice(start));
	return parts.map(part => part.trim()).filter(Boolean);
}

const keyPattern = /^([a-z0-9A-Z]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;

function checkKey(key: string, selector: string): string {
	if (!keyPattern.test(key)) {
		throw new ApiError(400, `unable to parse requirement: invalid label key "${key}": in selector "${selector}"`);
	}

	return key;
}

export function parseLabelSelector(selector: string | undefined): LabelRequirement[] {
	if (!selector?.trim()) {
		return [];
	}

	const requirements: LabelRequirement[] = [];
	for (const part of splitTopLevel(selector)) {
		let match = /^(\S+?)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
		if (match) {
			const values = new Set(match[3].split(',').map(value => value.trim()).filter(Boolean));
			requirements.push({op: match[2] as 'in' | 'notin', key: checkKey(match[1], selector), values});
			continue;
		}

		match = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
		if (match) {
			requirements.push({op: match[2] === '!=' ? 'neq' : 'eq', key: checkKey(match[1], selector), value: match[3]});
			continue;
		}

		match = /^!\s*(\S+)$/.exec(part);
		if (match) {
			requirements.push({op: 'notexists', key: checkKey(match[1], selector)});
			continue;
		}

		if (/^\S+$/.test(part)) {
			requirements.push({op: 'exists', key: checkKey(part, selector)});
			continue;
		}

		throw new ApiError(400, `unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
	}

	return requirements;
}

export function labelsMatch(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
	for (const requirement of requirements) {
		const has = labels !== undefined && Object.hasOwn(labels, requirement.key);
		const value = has ? labels[requirement.key] : undefined;
		switch (requirement.op) {
			case 'eq': {
				if (value !== requirement.value) {
					return false;
				}

				break;
			}

			case 'neq': {
				if (value === requirement.value) {
					return false;
				}

				break;
			}

			case 'in': {
				if (value === undefined || !requirement.values.has(value)) {
					return false;
				}

				break;
			}

			case 'notin': {
				if (value !== undefined && requirement.values.has(value)) {
					return false;
				}

				break;
			}

			case 'exists': {
				if (!has) {
					return false;
				}

				break;
			}

			case 'notexists': {
				if (has) {
					return false;
				}

				break;
			}
		}
	}

	return true;
}

/** The fields each resource can be selected on (the real server's field label conversions). */
const selectableFields: Partial<Record<Resource, string[]>> = {
	pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
	events: [
		'involvedObject.kind',
		'involvedObject.namespace',
		'involvedObject.name',
		'involvedObject.uid',
		'involvedObject.apiVersion',
		'involvedObject.resourceVersion',
		'involvedObject.fieldPath',
		'reason',
		'reportingComponent',
		'source',
		'type',
	],
	namespaces: ['status.phase'],
	nodes: ['spec.unschedulable'],
	replicasets: ['status.replicas'],
};

function fieldValue(object: KubeObject, path: string): string {
	if (path === 'source') {
		return (object as any).source?.component ?? '';
	}

	let current: unknown = object;
	for (const part of path.split('.')) {
		if (current === null || typeof current !== 'object') {
			return '';
		}

		current = (current as Record<string, unknown>)[part];
	}

	if (current === undefined || current === null) {
		return path === 'spec.unschedulable' || path === 'spec.hostNetwork' ? 'false' : '';
	}

	return String(current);
}

type FieldRequirement = {path: string; value: string; negate: boolean};

export function parseFieldSelector(resource: Resource, selector: string | undefined): FieldRequirement[] {
	if (!selector?.trim()) {
		return [];
	}

	const allowed = new Set(['metadata.name', 'metadata.namespace', ...(selectableFields[resource] ?? [])]);
	const requirements: FieldRequirement[] = [];
	for (const part of selector.split(',').map(text => text.trim()).filter(Boolean)) {
		const match = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
		if (!match) {
			throw new ApiError(400, `invalid selector: '${selector}'; can't understand '${part}'`);
		}

		const path = match[1];
		if (!allowed.has(path)) {
			throw new ApiError(400, `field label not supported: ${path}`);
		}

		requirements.push({path, value: match[3], negate: match[2] === '!='});
	}

	return requirements;
}

export function fieldsMatch(requirements: FieldRequirement[], object: KubeObject): boolean {
	for (const requirement of requirements) {
		const equal = fieldValue(object, requirement.path) === requirement.value;
		if (equal === requirement.negate) {
			return false;
		}
	}

	return true;
}

/** One matcher for a request's namespace, labelSelector and fieldSelector. */
export function buildMatcher(resource: Resource, namespace: string | undefined, labelSelector: string | undefined, fieldSelector: string | undefined): Matcher {
	const labels = parseLabelSelector(labelSelector);
	const fields = parseFieldSelector(resource, fieldSelector);
	return object => {
		if (namespace !== undefined && object.metadata.namespace !== namespace) {
			return false;
		}

		return (labels.length === 0 || labelsMatch(labels, object.metadata.labels)) && (fields.length === 0 || fieldsMatch(fields, object));
	};
}

/** The single name a fieldSelector pins (metadata.name=X), so a list can skip the scan. */
export function pinnedName(fieldSelector: string | undefined): string | undefined {
	if (!fieldSelector) {
		return undefined;
	}

	for (const part of fieldSelector.split(',')) {
		const match = /^\s*metadata\.name\s*==?\s*(.+?)\s*$/.exec(part);
		if (match) {
			return match[1];
		}
	}

	return undefined;
}
