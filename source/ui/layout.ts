// Where everything goes for a terminal of a given size. Heights are computed here, not left
// to flexbox, because the table renders only the rows that fit and must know how many.
//
//   header (2)
//   banner (experiment, when running)
//   table ............................ | side panel (health) ─ wide terminals
//                                      | events
//   side panel + events below the table ─ narrow terminals
//   status line (filter, messages, confirmation)
//   footer (keys)

export type TerminalSize = {columns: number; rows: number};

export type Layout = {
	columns: number;
	/** Lines the frame uses: one less than the terminal, so Ink never has to scroll it. */
	height: number;
	wide: boolean;
	header: number;
	banner: number;
	table: {width: number; height: number};
	/** Pod/component lines the table shows (its height less the column titles). */
	viewportRows: number;
	/** The health panel's box (0 high when there is none). */
	panel: {width: number; height: number};
	events: {width: number; height: number};
	status: number;
	footer: number;
};

/** Columns from which the panel and events go to a right-hand column. */
const wideFrom = 120;

/** `hideEvents`: --stage, where the events list is what a talk does not need (its rows go to the table). */
export function computeLayout(size: TerminalSize, slots: {bannerHeight?: number; panelHeight?: number; noEvents?: boolean; hideEvents?: boolean} = {}): Layout {
	const columns = Math.max(40, size.columns);
	const height = Math.max(12, size.rows - 1);
	const header = 2;
	const status = 1;
	const footer = 1;
	const banner = Math.min(slots.bannerHeight ?? 0, Math.max(0, height - 12));
	const body = height - header - banner - status - footer;
	const wantedPanel = slots.panelHeight ?? 0;
	const fixed = {columns, height, header, banner, status, footer};
	if (columns >= wideFrom) {
		// The table first: kube-proxy-<GKE node> names and GKE node names whole (≈117 columns);
		// the side column takes the rest, between 42 and 72.
		const sideWidth = Math.max(42, Math.min(72, columns - 1 - 117));
		const tableWidth = columns - sideWidth - 1;
		const panel = Math.min(wantedPanel, Math.max(0, slots.hideEvents ? body : body - 4));
		return {
			...fixed,
			wide: true,
			table: {width: tableWidth, height: body},
			viewportRows: Math.max(1, body - 1),
			panel: {width: sideWidth, height: panel},
			events: {width: sideWidth, height: slots.hideEvents ? 0 : body - panel},
		};
	}

	// Narrow: the table keeps at least half the body; the panel and events share the rest.
	// With no events yet, their title and "none yet" are enough: the rows go to the table.
	const events = slots.hideEvents ? 0 : slots.noEvents ? 2 : body >= 30 ? 10 : body >= 16 ? 5 : 3;
	const panel = Math.min(wantedPanel, Math.max(0, Math.floor(body / 2) - events));
	const tableHeight = body - events - panel;
	return {
		...fixed,
		wide: false,
		table: {width: columns, height: tableHeight},
		viewportRows: Math.max(1, tableHeight - 1),
		panel: {width: columns, height: panel},
		events: {width: columns, height: events},
	};
}

export type PodColumns = {
	/** Selection pointer and marker: `›+ `. */
	mark: number;
	name: number;
	ready: number;
	status: number;
	restarts: number;
	age: number;
	/** 0: not shown (too narrow). */
	node: number;
};

const gap = 1;

/** The widest value of each short column among the rows on screen (as kubectl sizes its columns). */
export type CellWidths = {name: number; ready: number; status: number; restarts: number; age: number; node: number};

/**
 * Column widths of the pod table for a table this wide. Like kubectl, the short columns are
 * as wide as their widest value on screen (never less than their title); NAME and NODE
 * share the rest, the name first.
 */
export function podColumns(width: number, cells: Partial<CellWidths> = {}): PodColumns {
	const mark = 3;
	const ready = Math.max('READY'.length, cells.ready ?? 0);
	const status = Math.max('STATUS'.length, Math.min(24, cells.status ?? 'Running'.length));
	const restarts = Math.max('RESTARTS'.length, Math.min(16, cells.restarts ?? 0));
	const age = Math.max('AGE'.length, Math.min(7, cells.age ?? 0));
	const fixed = mark + ready + status + restarts + age + gap * 5;
	const rest = Math.max(12, width - fixed);
	const wantName = Math.max('NAME'.length, cells.name ?? 40);
	const wantNode = Math.max('NODE'.length, cells.node ?? 20);
	let name: number;
	let node: number;
	if (wantName + gap + wantNode <= rest) {
		name = wantName;
		node = rest - gap - name;
	} else {
		// Not enough room for both: the node gives way first, down to 12 characters (node
		// names differ at their ends: …e9e-lr6s), then the name.
		name = Math.min(wantName, Math.max(25, rest - gap - Math.min(wantNode, 12)));
		node = rest - gap - name;
		if (node < 8) {
			name = rest;
			node = 0;
		}
	}

	return {mark, name, ready, status, restarts, age, node};
}
