// labelSelector and fieldSelector, parsed once per request and matched per object, with the
// real API server's grammar and its 400 for fields a resource cannot be selected on.
import type {KubeObject, Resource} from '../store.js';
import {ApiError} from './status.js';

export type Matcher = (object: KubeObject) => boolean;

type LabelRequirement =
	| {op: 'eq' | 'neq'; key: string; value: string}
	| {op: 'in' | 'notin'; key: string; values: Set<string>}
	| {op: 'exists' | 'notexists'; key: string}
	| {op: 'gt' | 'lt'; key: string; value: number};

// The label selector grammar is apimachinery's labels.Parse: a lexer of identifiers and the
// symbols = == != ! ( ) , > < plus the keywords in/notin, then a parser of comma-separated
// requirements. Messages are the ones it returns; the API server answers them as 400.
type Token = {kind: 'end' | 'identifier' | 'in' | 'notin' | '=' | '==' | '!=' | '!' | '(' | ')' | ',' | '>' | '<'; text: string};

const specialSymbols = new Set(['=', '!', '(', ')', ',', '>', '<']);
const symbolTokens = new Set(['=', '==', '!=', '!', '(', ')', ',', '>', '<']);
const isWhitespace = (char: string) => char === ' ' || char === '\t' || char === '\r' || char === '\n';

function lex(selector: string): Token[] {
	const tokens: Token[] = [];
	let position = 0;
	for (;;) {
		while (position < selector.length && isWhitespace(selector[position])) {
			position++;
		}

		if (position >= selector.length) {
			tokens.push({kind: 'end', text: ''});
			return tokens;
		}

		if (specialSymbols.has(selector[position])) {
			// The longest run of symbol characters that is still a token (each one alone is one).
			let buffer = '';
			let last: Token | undefined;
			while (position < selector.length && specialSymbols.has(selector[position])) {
				buffer += selector[position];
				if (symbolTokens.has(buffer)) {
					last = {kind: buffer as Token['kind'], text: buffer};
				} else if (last) {
					break;
				}

				position++;
			}

			tokens.push(last!);
			continue;
		}

		let word = '';
		while (position < selector.length && !specialSymbols.has(selector[position]) && !isWhitespace(selector[position])) {
			word += selector[position++];
		}

		tokens.push({kind: word === 'in' || word === 'notin' ? word : 'identifier', text: word});
	}
}

const labelKeyFormat = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelKeyPattern = new RegExp(`^${labelKeyFormat}$`);
const labelValueFormat = `(${labelKeyFormat})?`;
const labelValuePattern = new RegExp(`^${labelValueFormat}$`);
const subdomainFormat = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const subdomainPattern = new RegExp(`^${subdomainFormat}$`);
const keyMessage = `must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${labelKeyFormat}')`;

/** content.IsLabelKey's complaints about a key (empty when it is valid). */
function labelKeyErrors(key: string): string[] {
	const parts = key.split('/');
	if (parts.length > 2) {
		return [`a valid label key ${keyMessage} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
	}

	const errors: string[] = [];
	const name = parts.at(-1)!;
	if (parts.length === 2) {
		const prefix = parts[0];
		if (prefix.length === 0) {
			errors.push('prefix part must be non-empty');
		} else {
			if (prefix.length > 253) {
				errors.push('prefix part must be no more than 253 bytes');
			}

			if (!subdomainPattern.test(prefix)) {
				errors.push(`prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${subdomainFormat}')`);
			}
		}
	}

	if (name.length === 0) {
		errors.push('name part must be non-empty');
	} else if (name.length > 63) {
		errors.push('name part must be no more than 63 bytes');
	}

	if (!labelKeyPattern.test(name)) {
		errors.push(`name part ${keyMessage}`);
	}

	return errors;
}

function labelValueErrors(value: string): string[] {
	const errors: string[] = [];
	if (value.length > 63) {
		errors.push('must be no more than 63 bytes');
	}

	if (!labelValuePattern.test(value)) {
		errors.push(`a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${labelValueFormat}')`);
	}

	return errors;
}

/** field.Invalid(path, value, detail).Error() */
const invalid = (path: string, value: string, details: string[]) => `${path}: Invalid value: ${JSON.stringify(value)}: ${details.join('; ')}`;

class SelectorSyntaxError extends Error {}

export function parseLabelSelector(selector: string | undefined): LabelRequirement[] {
	if (!selector) {
		return [];
	}

	try {
		return parseLabelTokens(lex(selector));
	} catch (error) {
		if (error instanceof SelectorSyntaxError) {
			throw new ApiError(400, error.message);
		}

		throw error;
	}
}

function parseLabelTokens(tokens: Token[]): LabelRequirement[] {
	let position = 0;
	// In value position the keywords are plain identifiers (`app in (in)` is valid).
	const asValue = (token: Token): Token => (token.kind === 'in' || token.kind === 'notin' ? {kind: 'identifier', text: token.text} : token);
	const peekValue = () => asValue(tokens[position]);
	const nextValue = () => asValue(tokens[position++]);
	const fail = (message: string): never => {
		throw new SelectorSyntaxError(message);
	};

	const requirement = (): LabelRequirement => {
		let token = nextValue();
		let negated = false;
		if (token.kind === '!') {
			negated = true;
			token = nextValue();
		}

		if (token.kind !== 'identifier') {
			fail(`found '${token.text}', expected: identifier`);
		}

		const key = token.text;
		const keyErrors = labelKeyErrors(key);
		if (keyErrors.length > 0) {
			fail(invalid('<nil>', key, keyErrors));
		}

		const following = peekValue().kind;
		if (negated || following === 'end' || following === ',') {
			return {op: negated ? 'notexists' : 'exists', key};
		}

		const operator = tokens[position++];
		const checkValue = (value: string, index: number): string => {
			const errors = labelValueErrors(value);
			if (errors.length > 0) {
				fail(invalid(`values[${index}][${key}]`, value, errors));
			}

			return value;
		};

		switch (operator.kind) {
			case 'in':
			case 'notin': {
				const values = valueSet();
				[...values].sort().forEach((value, index) => checkValue(value, index));
				return {op: operator.kind, key, values};
			}

			case '=':
			case '==':
			case '!=':
			case '>':
			case '<': {
				let value = '';
				const next = peekValue();
				if (next.kind !== 'end' && next.kind !== ',') {
					const consumed = nextValue();
					if (consumed.kind !== 'identifier') {
						fail(`found '${consumed.text}', expected: identifier`);
					}

					value = consumed.text;
				}

				if (operator.kind === '>' || operator.kind === '<') {
					if (!/^[+-]?\d+$/.test(value)) {
						fail(`values[0]: Invalid value: ${JSON.stringify(value)}: for 'Gt', 'Lt' operators, the value must be an integer`);
					}

					checkValue(value, 0);
					return {op: operator.kind === '>' ? 'gt' : 'lt', key, value: Number(value)};
				}

				return {op: operator.kind === '!=' ? 'neq' : 'eq', key, value: checkValue(value, 0)};
			}

			default: {
				return fail(`found '${operator.text}', expected: in, notin, =, ==, !=, gt, lt`);
			}
		}
	};

	const valueSet = (): Set<string> => {
		const open = nextValue();
		if (open.kind !== '(') {
			fail(`found '${open.text}' expected: '('`);
		}

		const first = peekValue();
		if (first.kind === ')') {
			position++;
			return new Set(['']);
		}

		if (first.kind !== 'identifier' && first.kind !== ',') {
			fail(`found '${first.text}', expected: ',', ')' or identifier`);
		}

		const values = new Set<string>();
		for (;;) {
			const token = nextValue();
			if (token.kind === 'identifier') {
				values.add(token.text);
				const after = peekValue();
				if (after.kind === ')') {
					position++;
					return values;
				}

				if (after.kind !== ',') {
					fail(`found '${after.text}', expected: ',' or ')'`);
				}
			} else if (token.kind === ',') {
				// `(,a)`, `(a,,b)` and `(a,)` hold an empty value.
				if (values.size === 0 || peekValue().kind === ')' || peekValue().kind === ',') {
					values.add('');
				}

				if (peekValue().kind === ')') {
					position++;
					return values;
				}
			} else {
				fail(`found '${token.text}', expected: ',', or identifier`);
			}
		}
	};

	const requirements: LabelRequirement[] = [];
	for (;;) {
		const token = peekValue();
		if (token.kind === 'end') {
			return requirements;
		}

		if (token.kind !== 'identifier' && token.kind !== '!') {
			fail(`found '${token.text}', expected: !, identifier, or 'end of string'`);
		}

		try {
			requirements.push(requirement());
		} catch (error) {
			throw error instanceof SelectorSyntaxError ? new SelectorSyntaxError(`unable to parse requirement: ${error.message}`) : error;
		}

		const after = nextValue();
		if (after.kind === 'end') {
			return requirements;
		}

		if (after.kind !== ',') {
			fail(`found '${after.text}', expected: ',' or 'end of string'`);
		}

		const next = peekValue();
		if (next.kind !== 'identifier' && next.kind !== '!') {
			fail(`found '${next.text}', expected: identifier after ','`);
		}
	}
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

			case 'gt':
			case 'lt': {
				// Only integer label values compare; anything else does not match.
				const number = value !== undefined && /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
				if (number === undefined || (requirement.op === 'gt' ? number <= requirement.value : number >= requirement.value)) {
					return false;
				}

				break;
			}
		}
	}

	return true;
}

/**
 * The fields each resource can be selected on: the field label conversion functions the
 * real server registers (core/v1 and apps), with the error each one gives. A resource
 * without one accepts only metadata.name and metadata.namespace, worded differently.
 */
const selectableFields: Partial<Record<Resource, string[]>> = {
	pods: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName'],
	events: [
		'metadata.name',
		'metadata.namespace',
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
	namespaces: ['metadata.name', 'status.phase'],
	nodes: ['metadata.name', 'spec.unschedulable'],
	services: ['metadata.name', 'metadata.namespace', 'spec.clusterIP', 'spec.type'],
	replicasets: ['metadata.name', 'metadata.namespace', 'status.replicas'],
};

/** The field a selector names, after the server's conversion, or the 400 it answers. */
function convertFieldLabel(resource: Resource, label: string): string {
	const allowed = selectableFields[resource];
	if (!allowed) {
		if (label === 'metadata.name' || label === 'metadata.namespace') {
			return label;
		}

		throw new ApiError(400, `${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
	}

	// Old v1 clients send spec.host.
	if (resource === 'pods' && label === 'spec.host') {
		return 'spec.nodeName';
	}

	if (!allowed.includes(label)) {
		throw new ApiError(400, `field label not supported: ${label}`);
	}

	return label;
}

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

/** Split on commas that no backslash escapes (fields.splitTerms). */
function splitTerms(selector: string): string[] {
	const terms: string[] = [];
	let start = 0;
	let escaped = false;
	for (let index = 0; index < selector.length; index++) {
		const char = selector[index];
		if (escaped) {
			escaped = false;
		} else if (char === '\\') {
			escaped = true;
		} else if (char === ',') {
			terms.push(selector.slice(start, index));
			start = index + 1;
		}
	}

	terms.push(selector.slice(start));
	return terms;
}

/** A value with `\,` `\=` `\\` unescaped; a bare `,` or `=` or another escape is an error (fields.UnescapeValue). */
function unescapeValue(text: string): string {
	let out = '';
	let escaped = false;
	for (const char of text) {
		if (escaped) {
			if (char !== '\\' && char !== ',' && char !== '=') {
				throw new ApiError(400, `invalid field selector: invalid escape sequence: \\${char}`);
			}

			out += char;
			escaped = false;
		} else if (char === '\\') {
			escaped = true;
		} else if (char === ',' || char === '=') {
			// Go prints the rune as its number.
			throw new ApiError(400, `invalid field selector: unescaped character in value: ${char.codePointAt(0)}`);
		} else {
			out += char;
		}
	}

	if (escaped) {
		throw new ApiError(400, 'invalid field selector: invalid escape sequence: \\');
	}

	return out;
}

/** fields.ParseSelector, then the resource's field label conversion. Nothing is trimmed: `a = b` names the field "a ". */
export function parseFieldSelector(resource: Resource, selector: string | undefined): FieldRequirement[] {
	if (!selector) {
		return [];
	}

	const requirements: FieldRequirement[] = [];
	for (const term of splitTerms(selector).sort()) {
		if (term === '') {
			continue;
		}

		// The first operator from the left; at one position != before == before =.
		const match = /^(.*?)(!=|==|=)(.*)$/s.exec(term);
		if (!match) {
			throw new ApiError(400, `invalid selector: '${selector}'; can't understand '${term}'`);
		}

		const value = unescapeValue(match[3]);
		requirements.push({path: match[1], value, negate: match[2] === '!='});
	}

	for (const requirement of requirements) {
		requirement.path = convertFieldLabel(resource, requirement.path);
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
export function pinnedName(resource: Resource, fieldSelector: string | undefined): string | undefined {
	return parseFieldSelector(resource, fieldSelector).find(requirement => requirement.path === 'metadata.name' && !requirement.negate)?.value;
}
