// A small XML reader for the picture tests: it throws on anything not well-formed (tags
// that do not nest, unquoted or repeated attributes, bad entities, stray `<` or `&`, text
// outside the root) and returns the element tree, so tests can measure what was drawn.

export type XmlElement = {name: string; attributes: Record<string, string>; children: XmlElement[]; text: string};

const nameChars = /[A-Za-z_:][-\w.:]*/y;
const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);/y;

function checkText(text: string, at: number): void {
	for (let index = 0; index < text.length; index++) {
		if (text[index] === '<') {
			throw new Error(`stray < at ${at + index}`);
		}

		if (text[index] === '&') {
			entity.lastIndex = index;
			if (!entity.test(text)) {
				throw new Error(`bad entity at ${at + index}: ${text.slice(index, index + 10)}`);
			}
		}
	}
}

function decode(text: string): string {
	return text
		.replaceAll(/&#x([\da-fA-F]+);/g, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
		.replaceAll(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
		.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&apos;', '\'').replaceAll('&amp;', '&');
}

/** The root element of a well-formed document; throws with the place of the first fault. */
export function parseXml(source: string): XmlElement {
	let position = 0;
	const stack: XmlElement[] = [];
	let root: XmlElement | undefined;
	const skipSpace = () => {
		while (position < source.length && /\s/.test(source[position]!)) {
			position++;
		}
	};

	const readName = (): string => {
		nameChars.lastIndex = position;
		const match = nameChars.exec(source);
		if (!match) {
			throw new Error(`a name expected at ${position}: ${source.slice(position, position + 20)}`);
		}

		position += match[0].length;
		return match[0];
	};

	if (source.startsWith('<?xml')) {
		position = source.indexOf('?>') + 2;
	}

	while (position < source.length) {
		const next = source.indexOf('<', position);
		const text = source.slice(position, next === -1 ? source.length : next);
		checkText(text, position);
		if (stack.length === 0 && text.trim() !== '') {
			throw new Error(`text outside the root at ${position}`);
		}

		if (stack.length > 0) {
			stack.at(-1)!.text += decode(text);
		}

		if (next === -1) {
			break;
		}

		position = next;
		if (source.startsWith('<!--', position)) {
			const end = source.indexOf('-->', position);
			if (end === -1) {
				throw new Error('unclosed comment');
			}

			position = end + 3;
			continue;
		}

		if (source.startsWith('</', position)) {
			position += 2;
			const name = readName();
			skipSpace();
			if (source[position] !== '>') {
				throw new Error(`> expected at ${position}`);
			}

			position++;
			const open = stack.pop();
			if (open?.name !== name) {
				throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}> at ${position}`);
			}

			continue;
		}

		position++;
		const element: XmlElement = {name: readName(), attributes: {}, children: [], text: ''};
		for (;;) {
			skipSpace();
			if (source.startsWith('/>', position) || source[position] === '>') {
				break;
			}

			const attribute = readName();
			skipSpace();
			if (source[position] !== '=') {
				throw new Error(`= expected after ${attribute} at ${position}`);
			}

			position++;
			skipSpace();
			const quote = source[position];
			if (quote !== '"' && quote !== '\'') {
				throw new Error(`quoted value expected for ${attribute} at ${position}`);
			}

			const end = source.indexOf(quote, position + 1);
			if (end === -1) {
				throw new Error(`unclosed value of ${attribute}`);
			}

			const value = source.slice(position + 1, end);
			checkText(value, position + 1);
			if (attribute in element.attributes) {
				throw new Error(`${attribute} twice on <${element.name}> at ${position}`);
			}

			element.attributes[attribute] = decode(value);
			position = end + 1;
		}

		if (stack.length > 0) {
			stack.at(-1)!.children.push(element);
		} else if (root) {
			throw new Error(`a second root <${element.name}> at ${position}`);
		} else {
			root = element;
		}

		if (source.startsWith('/>', position)) {
			position += 2;
		} else {
			position++;
			stack.push(element);
		}
	}

	if (stack.length > 0) {
		throw new Error(`<${stack.at(-1)!.name}> is never closed`);
	}

	if (!root) {
		throw new Error('no root element');
	}

	return root;
}

/** Every element under (and including) `root`, depth first. */
export function allElements(root: XmlElement): XmlElement[] {
	return [root, ...root.children.flatMap(child => allElements(child))];
}

/** Elements with this attribute value (e.g. data-kind="failing"), under `root`. */
export function withAttribute(root: XmlElement, name: string, value: string): XmlElement[] {
	return allElements(root).filter(element => element.attributes[name] === value);
}

export function numberAttribute(element: XmlElement, name: string): number {
	const value = Number(element.attributes[name]);
	if (!Number.isFinite(value)) {
		throw new Error(`<${element.name}> has no numeric ${name}`);
	}

	return value;
}
