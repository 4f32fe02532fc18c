// The few SVG pieces every picture shares: escaping, elements, one palette for light and
// dark, and the fill patterns that keep states apart in greyscale and for colour-blind
// eyes (Okabe–Ito colours, each state also a texture). Pure strings: no DOM, no fonts.
import {seconds} from './measurement-text.js';

export type SvgTheme = 'auto' | 'light' | 'dark';

export function escapeXml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

type Attributes = Record<string, string | number | undefined>;

function attributes(attrs: Attributes): string {
	return Object.entries(attrs)
		.filter(([, value]) => value !== undefined)
		.map(([name, value]) => ` ${name}="${escapeXml(typeof value === 'number' ? round(value) : value!)}"`)
		.join('');
}

/** Two decimals at most: pictures need no more, and the files stay readable. */
function round(value: number): string {
	return String(Math.round(value * 100) / 100);
}

/** `<name attrs>children</name>`, or self-closing without children. Children are already markup. */
export function el(name: string, attrs: Attributes, ...children: string[]): string {
	const body = children.join('');
	return body === '' ? `<${name}${attributes(attrs)}/>` : `<${name}${attributes(attrs)}>${body}</${name}>`;
}

export function text(x: number, y: number, content: string, attrs: Attributes = {}): string {
	return el('text', {x, y, ...attrs}, escapeXml(content));
}

/** A tooltip for the element it is put into (SVG's own, no script). */
export function tooltip(content: string): string {
	return el('title', {}, escapeXml(content));
}

/** `5.5 s` */
export const secondsText = seconds;


/** What every state looks like: a CSS class for its colour, a pattern for its texture. */
export type Look =
	| 'victim-running'
	| 'terminating'
	| 'pending'
	| 'scheduled'
	| 'starting'
	| 'ready'
	| 'probe-ok'
	| 'failing'
	| 'slow'
	| 'unknown'
	| 'band'
	| 'verdict-impact'
	| 'verdict-none'
	| 'verdict-unknown'
	| 'verdict-not-recovered'
	| 'function'
	| 'node';

// Colours: Okabe & Ito's palette, told apart by people with any common colour vision
// deficiency; the dark theme lightens them so they stand out on black.
const light = {
	bg: '#ffffff', fg: '#1b1b1b', muted: '#5a5a5a', grid: '#d8d8d8', stripe: '#ffffff',
	blue: '#0072B2', sky: '#56B4E9', green: '#009E73', orange: '#E69F00', vermillion: '#D55E00', purple: '#CC79A7', grey: '#9a9a9a',
};
const dark = {
	bg: '#121212', fg: '#f0f0f0', muted: '#b0b0b0', grid: '#3a3a3a', stripe: '#121212',
	blue: '#3d9be0', sky: '#7cc8f2', green: '#2fc79a', orange: '#f0b429', vermillion: '#ff7a33', purple: '#e0a0c6', grey: '#8a8a8a',
};

type Palette = typeof light;

/** Fill colour and texture of each look; `none` texture means a solid fill. */
const looks: Record<Look, {color: keyof Palette; texture: 'solid' | 'diagonal' | 'dots' | 'vertical' | 'cross' | 'back-diagonal' | 'horizontal' | 'grid' | 'outline'}> = {
	// Textures differ wherever two looks could stand side by side, so the picture reads without colour.
	'victim-running': {color: 'blue', texture: 'horizontal'},
	terminating: {color: 'purple', texture: 'diagonal'},
	pending: {color: 'grey', texture: 'outline'},
	scheduled: {color: 'sky', texture: 'dots'},
	starting: {color: 'green', texture: 'vertical'},
	ready: {color: 'green', texture: 'solid'},
	'probe-ok': {color: 'muted', texture: 'solid'},
	failing: {color: 'vermillion', texture: 'cross'},
	slow: {color: 'orange', texture: 'grid'},
	unknown: {color: 'grey', texture: 'back-diagonal'},
	band: {color: 'vermillion', texture: 'diagonal'},
	'verdict-impact': {color: 'vermillion', texture: 'cross'},
	'verdict-none': {color: 'green', texture: 'solid'},
	'verdict-unknown': {color: 'grey', texture: 'back-diagonal'},
	'verdict-not-recovered': {color: 'purple', texture: 'grid'},
	function: {color: 'orange', texture: 'horizontal'},
	node: {color: 'sky', texture: 'cross'},
};

/** The patterns a picture with this id prefix refers to. */
function patternDefs(prefix: string): string {
	const strokes: Record<string, string> = {
		diagonal: '<path d="M-2,2 l4,-4 M0,10 l10,-10 M8,12 l4,-4" class="stripe" stroke-width="2.2"/>',
		'back-diagonal': '<path d="M-2,8 l4,4 M0,0 l10,10 M8,-2 l4,4" class="stripe" stroke-width="2"/>',
		vertical: '<path d="M3,0 v10 M8,0 v10" class="stripe" stroke-width="1.6"/>',
		horizontal: '<path d="M0,3 h10 M0,8 h10" class="stripe" stroke-width="1.6"/>',
		cross: '<path d="M0,0 l10,10 M10,0 l-10,10" class="stripe" stroke-width="1.6"/>',
		grid: '<path d="M0,5 h10 M5,0 v10" class="stripe" stroke-width="1.6"/>',
		dots: '<circle cx="2.5" cy="2.5" r="1.4" class="dot"/><circle cx="7.5" cy="7.5" r="1.4" class="dot"/>',
		outline: '<circle cx="5" cy="5" r="1" class="dot-muted"/>',
	};
	return Object.entries(looks)
		.filter(([, look]) => look.texture !== 'solid')
		.map(([name, look]) => el('pattern', {id: `${prefix}-${name}`, width: 10, height: 10, patternUnits: 'userSpaceOnUse'},
			look.texture === 'outline' ? '' : el('rect', {width: 10, height: 10, class: `c-${look.color}`}),
			strokes[look.texture]))
		.join('');
}

/** Attributes for a shape of this look: a colour class (solid) or its pattern, and an outline where the texture alone is faint. */
export function lookAttributes(prefix: string, look: Look): Attributes {
	const {color, texture} = looks[look];
	const outlined = texture === 'outline' || look === 'band';
	const classes = [`look-${look}`, texture === 'solid' ? `c-${color}` : undefined, outlined ? 'outlined' : undefined].filter(Boolean).join(' ');
	return {fill: texture === 'solid' ? undefined : `url(#${prefix}-${look})`, class: classes};
}

/** A solid fill in this look's colour, without its texture (a badge behind words). */
export function solidAttributes(look: Look): Attributes {
	return {class: `c-${looks[look].color}`};
}

function variables(palette: Palette): string {
	return Object.entries(palette).map(([name, value]) => `--kd-${name}:${value}`).join(';');
}

/**
 * The style of one picture, scoped to its root id so several pictures in one HTML page
 * keep their own. `auto` follows the viewer's light or dark setting.
 */
function style(prefix: string, theme: SvgTheme): string {
	const root = `#${prefix}`;
	const colors = Object.keys(light).map(name => `${root} .c-${name}{fill:var(--kd-${name})}`).join('');
	const rules = [
		`${root}{${variables(theme === 'dark' ? dark : light)};font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','DejaVu Sans',Arial,sans-serif}`,
		theme === 'auto' ? `@media (prefers-color-scheme: dark){${root}{${variables(dark)}}}` : '',
		colors,
		`${root} .stripe{stroke:var(--kd-stripe);fill:none}`,
		`${root} .dot{fill:var(--kd-stripe)}`,
		`${root} .dot-muted{fill:var(--kd-muted)}`,
		`${root} .outlined{stroke:var(--kd-fg);stroke-width:1.2}`,
		`${root} .look-band{stroke:var(--kd-vermillion);stroke-dasharray:5 3;fill-opacity:0.45}`,
		`${root} .bg{fill:var(--kd-bg)}`,
		`${root} .fg{fill:var(--kd-fg)}`,
		`${root} .muted{fill:var(--kd-muted)}`,
		`${root} .grid{stroke:var(--kd-grid);stroke-width:1}`,
		`${root} .axis{stroke:var(--kd-fg);stroke-width:1.5}`,
		`${root} .t0{stroke:var(--kd-fg);stroke-width:2.5;stroke-dasharray:8 4}`,
		`${root} .rule{stroke:var(--kd-muted);stroke-width:1.5}`,
		`${root} .mark{stroke:var(--kd-fg);stroke-width:1.8;fill:var(--kd-bg)}`,
		`${root} .mark.filled{fill:var(--kd-fg)}`,
		`${root} .outage-column{fill:var(--kd-vermillion);fill-opacity:0.10}`,
		`${root} .whisker{stroke:var(--kd-fg);stroke-width:2}`,
		`${root} text{fill:var(--kd-fg)}`,
		`${root} text.muted{fill:var(--kd-muted)}`,
		`${root} .title{font-size:28px;font-weight:700}`,
		`${root} .subtitle{font-size:19px}`,
		`${root} .label{font-size:17px}`,
		`${root} .detail{font-size:14px}`,
		`${root} .group{font-size:14px;font-weight:700;letter-spacing:0.08em}`,
		`${root} .tick{font-size:14px}`,
		`${root} .legend{font-size:15px}`,
		`${root} .badge-text{font-size:17px;font-weight:700;fill:#ffffff}`,
	];
	return el('style', {}, rules.join(''));
}

/** An SVG document: the root with its id, style and patterns, a background, then the body. */
export function svgDocument(options: {prefix: string; width: number; height: number; theme: SvgTheme; title: string}, body: string): string {
	const {prefix, width, height, theme, title} = options;
	return el(
		'svg',
		{xmlns: 'http://www.w3.org/2000/svg', id: prefix, width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title},
		el('title', {}, escapeXml(title)),
		style(prefix, theme),
		el('defs', {}, patternDefs(prefix)),
		el('rect', {class: 'bg', width, height}),
		body,
	);
}

/** One legend entry: a swatch of a look (or a drawn mark) and its words. */
export type LegendItem = {look?: Look; mark?: string; label: string; /** A line rather than a bar (the ok probes). */ thin?: boolean};

/** Legend entries in rows that fit `width`, from (x, y); returns the markup and the height used. */
export function legend(prefix: string, items: LegendItem[], x: number, y: number, width: number): {markup: string; height: number} {
	const rowHeight = 26;
	const parts: string[] = [];
	let column = x;
	let row = y;
	for (const item of items) {
		// About 8.2 px per character at 15 px.
		const itemWidth = 40 + (item.label.length * 8.2) + 22;
		if (column + itemWidth > x + width && column > x) {
			column = x;
			row += rowHeight;
		}

		const swatch = item.look
			? el('rect', {x: column, y: item.thin ? row - 7 : row - 13, width: 32, height: item.thin ? 4 : 16, rx: item.thin ? 0 : 2, ...lookAttributes(prefix, item.look)})
			: el('g', {transform: `translate(${column + 16},${row - 5})`}, item.mark ?? '');
		parts.push(swatch, text(column + 40, row, item.label, {class: 'legend'}));
		column += itemWidth;
	}

	return {markup: el('g', {class: 'legend-items'}, ...parts), height: row - y + rowHeight};
}

/** Marks at (0, 0), about 14 px across: each step of a pod has its own shape. */
export const markShapes = {
	created: el('circle', {r: 6, class: 'mark'}),
	scheduled: el('rect', {x: -5.5, y: -5.5, width: 11, height: 11, class: 'mark'}),
	running: el('path', {d: 'M0,-7 L6.5,5 L-6.5,5 Z', class: 'mark'}),
	ready: el('path', {d: 'M0,-8 L7,0 L0,8 L-7,0 Z', class: 'mark filled'}),
	terminating: el('path', {d: 'M0,7 L6.5,-5 L-6.5,-5 Z', class: 'mark'}),
	gone: el('path', {d: 'M-6,-6 L6,6 M6,-6 L-6,6', class: 'mark', 'stroke-width': 3}),
	event: el('path', {d: 'M0,-7 L7,7 L-7,7 Z', class: 'mark filled'}),
	recovered: el('circle', {r: 7, class: 'mark filled'}),
} as const;

export type MarkShape = keyof typeof markShapes;

/** A tick step (ms) for an axis of this span with at most `most` ticks. */
export function tickStep(spanMs: number, most: number): number {
	const steps = [500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];
	return steps.find(step => spanMs / step <= most) ?? steps.at(-1)!;
}

/** Cut a long name in its middle (pod names differ at their ends): `kube-proxy-gke-…-dvbd`. */
export function middleCut(name: string, most: number): string {
	if (name.length <= most) {
		return name;
	}

	const tail = Math.max(6, Math.floor((most - 1) / 3));
	return `${name.slice(0, most - 1 - tail)}…${name.slice(-tail)}`;
}

/** Break text into lines of at most `most` characters at ` · ` (then spaces). */
export function wrapText(line: string, most: number): string[] {
	const lines: string[] = [];
	let current = '';
	for (const part of line.split(' · ')) {
		const next = current === '' ? part : `${current} · ${part}`;
		if (next.length <= most || current === '') {
			current = next;
		} else {
			lines.push(current + ' ·');
			current = part;
		}
	}

	if (current !== '') {
		lines.push(current);
	}

	return lines.flatMap(item => item.length <= most ? [item] : wrapWords(item, most));
}

function wrapWords(line: string, most: number): string[] {
	const lines: string[] = [];
	let current = '';
	for (const word of line.split(' ')) {
		const next = current === '' ? word : `${current} ${word}`;
		if (next.length <= most || current === '') {
			current = next;
		} else {
			lines.push(current);
			current = word;
		}
	}

	return current === '' ? lines : [...lines, current];
}
