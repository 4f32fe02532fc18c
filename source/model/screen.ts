// The live screen's state, as a pure fold over domain events that carry their time:
// pods, their owners and Events as the watches report them, the connection's state, the
// clock ticking, and what the person at the keyboard did (move, filter, sort, help).
// Selectors turn it into the rows the table draws. Nothing here reads a clock or touches
// the cluster: a test is `actions.reduce(screenReducer, initialScreen(t0))`.
//
// Thousands of pods and bursts of thousands of events: `applyActions` copies the maps once
// per batch (the UI applies a frame's worth of events at a time), and the row selector is
// memoised on the inputs it reads, so a clock tick does not regroup anything.
import {componentOf, ownerIndexFromReplicaSets, type ComponentRef, type OwnerIndex} from './component.js';
import {isPodReady, podRestarts, timestampMs, type PodLike} from './pod-status.js';
import {roleOf} from './roles.js';
import type {ConnectionState, EventLike, OwnerLike} from '../kube/pod-source.js';

/** How long a pod that appeared is marked new. */
export const newMarkMs = 5000;
/** How long a pod whose restart count went up flashes. */
export const restartFlashMs = 4000;
/** How long a deleted pod stays on screen, dimmed, so the audience sees it leave. */
export const goneKeepMs = 5000;
/** Events kept for the panel (newest first). */
export const eventsKept = 50;

export type SortMode = 'component' | 'restarts' | 'age';
export const sortModes: readonly SortMode[] = ['component', 'restarts', 'age'];

export type ScreenMode = 'table' | 'filter' | 'help';

export type PodEntry = {
	/** The pod's uid (namespace/name when it has none). */
	key: string;
	pod: PodLike;
	name: string;
	firstSeenAt: number;
	/** Marked new until then. */
	newUntil?: number;
	restartCount: number;
	/** The restart count went up: flash until then. */
	flashUntil?: number;
	/** When the pod was deleted (or replaced under the same name); dropped goneKeepMs later. */
	goneAt?: number;
	ready: boolean;
	terminating: boolean;
	createdAt?: number;
};

export type EventEntry = {
	key: string;
	event: EventLike;
	/** When it last happened (lastTimestamp, eventTime, firstTimestamp, creation), epoch ms. */
	time: number;
};

export type ViewState = {
	mode: ScreenMode;
	sort: SortMode;
	filter: string;
	/** The selected row, by key, so it stays on the same pod while rows move around it. */
	selectedKey?: string;
	/** Where the selection was, for when its row goes away. */
	selectedIndex: number;
	scrollTop: number;
	/** Table body rows that fit on screen (the UI reports it on every resize). */
	viewportRows: number;
};

export type ScreenState = {
	now: number;
	pods: ReadonlyMap<string, PodEntry>;
	/** Workloads by uid: ReplicaSets, Deployments, DaemonSets, StatefulSets. */
	owners: ReadonlyMap<string, OwnerLike>;
	events: readonly EventEntry[];
	/** The first pod list has been applied: from now on a pod seen for the first time is new. */
	podsSynced: boolean;
	connection: ConnectionState;
	view: ViewState;
};

export type ScreenAction =
	| {type: 'pod-upserted'; pod: PodLike; at: number}
	| {type: 'pod-deleted'; pod: PodLike; at: number}
	| {type: 'owner-upserted'; owner: OwnerLike; at: number}
	| {type: 'owner-deleted'; owner: OwnerLike; at: number}
	| {type: 'event-seen'; event: EventLike; at: number}
	| {type: 'pods-synced'; at: number}
	| {type: 'connection'; state: ConnectionState; at: number}
	| {type: 'tick'; at: number}
	// What the person did. No time: nothing they do depends on it.
	| {type: 'move'; by: number}
	| {type: 'move-to'; position: 'first' | 'last'}
	| {type: 'page'; direction: 1 | -1}
	| {type: 'select'; key: string}
	| {type: 'cycle-sort'}
	| {type: 'filter-open'}
	| {type: 'filter-set'; text: string}
	| {type: 'filter-accept'}
	| {type: 'filter-clear'}
	| {type: 'help-toggle'}
	| {type: 'viewport'; rows: number};

export function initialScreen(now: number): ScreenState {
	return {
		now,
		pods: new Map(),
		owners: new Map(),
		events: [],
		podsSynced: false,
		connection: {phase: 'connecting'},
		view: {mode: 'table', sort: 'component', filter: '', selectedIndex: 0, scrollTop: 0, viewportRows: 10},
	};
}

export function screenReducer(state: ScreenState, action: ScreenAction): ScreenState {
	return applyActions(state, [action]);
}

/** Fold many actions at once; the maps are copied at most once for the whole batch. */
export function applyActions(state: ScreenState, actions: readonly ScreenAction[]): ScreenState {
	if (actions.length === 0) {
		return state;
	}

	let pods: Map<string, PodEntry> | undefined;
	let owners: Map<string, OwnerLike> | undefined;
	let events: EventEntry[] | undefined;
	// Pod keys by name, built once per batch when a pod not seen before arrives (see upsertPod).
	let byName: Map<string, string[]> | undefined;
	let next: ScreenState = state;
	const podsForWrite = () => {
		pods ??= new Map(next.pods);
		return pods;
	};

	const ownersForWrite = () => {
		owners ??= new Map(next.owners);
		return owners;
	};

	const eventsForWrite = () => {
		events ??= [...state.events];
		return events;
	};

	for (const action of actions) {
		if ('at' in action && action.at > next.now) {
			next = {...next, now: action.at};
		}

		switch (action.type) {
			case 'pod-upserted': {
				const map = podsForWrite();
				if (!map.has(podKey(action.pod))) {
					byName ??= indexByName(map);
				}

				upsertPod(map, action.pod, action.at, next.podsSynced, byName);
				break;
			}

			case 'pod-deleted': {
				const map = podsForWrite();
				const key = podKey(action.pod);
				const entry = map.get(key);
				if (entry && entry.goneAt === undefined) {
					map.set(key, {...entry, pod: action.pod, goneAt: action.at, newUntil: undefined});
				}

				break;
			}

			case 'owner-upserted': {
				const uid = ownerKey(action.owner);
				ownersForWrite().set(uid, action.owner);
				break;
			}

			case 'owner-deleted': {
				ownersForWrite().delete(ownerKey(action.owner));
				break;
			}

			case 'event-seen': {
				addEvent(eventsForWrite(), action.event, action.at);
				break;
			}

			case 'pods-synced': {
				next = {...next, podsSynced: true};
				break;
			}

			case 'connection': {
				next = {...next, connection: action.state};
				break;
			}

			case 'tick': {
				const current = pods ?? next.pods;
				for (const [key, entry] of current) {
					if (entry.goneAt !== undefined && action.at - entry.goneAt >= goneKeepMs) {
						podsForWrite().delete(key);
					}
				}

				break;
			}

			default: {
				// View actions read the rows as they are now: commit the copies, and copy
				// again should a later action in the batch write (rows may be memoised on them).
				if (pods) {
					next = {...next, pods};
					pods = undefined;
					byName = undefined;
				}

				if (owners) {
					next = {...next, owners};
					owners = undefined;
				}

				next = {...next, view: reduceView(next, action)};
			}
		}
	}

	if (pods) {
		next = {...next, pods};
	}

	if (owners) {
		next = {...next, owners};
	}

	if (events) {
		next = {...next, events};
	}

	return next;
}

export function podKey(pod: PodLike): string {
	return pod.metadata?.uid ?? `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

function ownerKey(owner: OwnerLike): string {
	return owner.metadata?.uid ?? `${owner.kind ?? ''}/${owner.metadata?.namespace ?? ''}/${owner.metadata?.name ?? ''}`;
}

function indexByName(pods: ReadonlyMap<string, PodEntry>): Map<string, string[]> {
	const index = new Map<string, string[]>();
	for (const [key, entry] of pods) {
		const keys = index.get(entry.name);
		if (keys) {
			keys.push(key);
		} else {
			index.set(entry.name, [key]);
		}
	}

	return index;
}

function upsertPod(pods: Map<string, PodEntry>, pod: PodLike, at: number, synced: boolean, byName?: Map<string, string[]>): void {
	const key = podKey(pod);
	const name = pod.metadata?.name ?? '';
	const restartCount = podRestarts(pod, at).count;
	const terminating = pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
	const existing = pods.get(key);
	if (existing) {
		pods.set(key, {
			...existing,
			pod,
			restartCount,
			flashUntil: restartCount > existing.restartCount ? at + restartFlashMs : existing.flashUntil,
			ready: isPodReady(pod),
			terminating,
		});
		return;
	}

	// A pod with this name and another uid (a mirror pod the kubelet recreated; seen after a
	// re-list, where no DELETED came) has been replaced: the old one is gone.
	for (const otherKey of byName?.get(name) ?? []) {
		const other = pods.get(otherKey);
		if (other && other.goneAt === undefined && other.pod.metadata?.namespace === pod.metadata?.namespace) {
			pods.set(otherKey, {...other, goneAt: at, newUntil: undefined});
		}
	}

	const sameName = byName?.get(name);
	if (sameName) {
		sameName.push(key);
	} else {
		byName?.set(name, [key]);
	}

	const createdAt = timestampMs(pod.metadata?.creationTimestamp);
	// Before the first list is in, everything is "seen for the first time"; only pods created
	// moments ago are new to the audience then.
	const isNew = synced || (createdAt !== undefined && at - createdAt < newMarkMs);
	pods.set(key, {
		key,
		pod,
		name,
		firstSeenAt: at,
		newUntil: isNew ? at + newMarkMs : undefined,
		restartCount,
		ready: isPodReady(pod),
		terminating,
		createdAt,
	});
}

function eventTime(event: EventLike, at: number): number {
	return timestampMs(event.lastTimestamp)
		?? timestampMs(event.eventTime)
		?? timestampMs(event.firstTimestamp)
		?? timestampMs(event.metadata?.creationTimestamp)
		?? at;
}

function addEvent(events: EventEntry[], event: EventLike, at: number): void {
	const key = event.metadata?.uid ?? `${event.metadata?.namespace ?? ''}/${event.metadata?.name ?? ''}`;
	const existing = events.findIndex(entry => entry.key === key);
	if (existing !== -1) {
		events.splice(existing, 1);
	}

	const time = eventTime(event, at);
	// Newest first; among equal times the one seen last goes first.
	let index = 0;
	while (index < events.length && events[index]!.time > time) {
		index++;
	}

	if (index >= eventsKept) {
		return;
	}

	events.splice(index, 0, {key, event, time});
	if (events.length > eventsKept) {
		events.length = eventsKept;
	}
}

// ---------------------------------------------------------------------------------------
// Rows: components with their pods, filtered and sorted

export type ComponentSummary = {
	component: ComponentRef;
	/** The role it plays (as the talk describes it), for the components the tool knows. */
	role?: string;
	/** Pods with Ready=True that are not terminating or gone. */
	ready: number;
	/** What its workload asks for; for static and bare pods, how many of them there are. */
	desired: number;
	/** Pods on screen for it, gone ones included. */
	podCount: number;
};

export type ComponentRow = {type: 'component'; key: string; summary: ComponentSummary};
export type PodRow = {type: 'pod'; key: string; entry: PodEntry; component: ComponentRef};
export type Row = ComponentRow | PodRow;

type RowsInput = {
	pods: ScreenState['pods'];
	owners: ScreenState['owners'];
	sort: SortMode;
	filter: string;
};

type Group = {summary: ComponentSummary; entries: PodEntry[]; sortKey: number};

function desiredOf(component: ComponentRef, owners: Iterable<OwnerLike>, namespace: string | undefined): number | undefined {
	for (const owner of owners) {
		if (owner.kind !== component.kind || owner.metadata?.name !== component.name) {
			continue;
		}

		if (namespace !== undefined && owner.metadata?.namespace !== undefined && owner.metadata.namespace !== namespace) {
			continue;
		}

		if (owner.kind === 'DaemonSet') {
			return owner.status?.desiredNumberScheduled ?? undefined;
		}

		return owner.spec?.replicas ?? 1;
	}

	return undefined;
}

const ownerIndexCache = new WeakMap<ScreenState['owners'], OwnerIndex>();

function ownerIndexOf(owners: ScreenState['owners']): OwnerIndex {
	let index = ownerIndexCache.get(owners);
	if (!index) {
		index = ownerIndexFromReplicaSets([...owners.values()].filter(owner => owner.kind === 'ReplicaSet'));
		ownerIndexCache.set(owners, index);
	}

	return index;
}

function byName(a: PodEntry, b: PodEntry): number {
	if (a.name !== b.name) {
		return a.name < b.name ? -1 : 1;
	}

	// The same name twice: the one that went first, then its replacement.
	return a.firstSeenAt - b.firstSeenAt;
}

// componentOf for an entry, remembered while the entry (the pod object) and the owner index
// are the same: a watch event changes one entry, so a publish regroups without re-deriving
// thousands of components.
const componentCache = new WeakMap<PodEntry, {index: OwnerIndex; component: ComponentRef}>();

function componentOfEntry(entry: PodEntry, index: OwnerIndex): ComponentRef {
	const cached = componentCache.get(entry);
	if (cached?.index === index) {
		return cached.component;
	}

	const component = componentOf(entry.pod, index);
	componentCache.set(entry, {index, component});
	return component;
}

function computeGroups(input: RowsInput): Group[] {
	const index = ownerIndexOf(input.owners);
	const groups = new Map<string, Group>();
	for (const entry of input.pods.values()) {
		const component = componentOfEntry(entry, index);
		let group = groups.get(component.key);
		if (!group) {
			group = {
				summary: {component, role: roleOf(component), ready: 0, desired: 0, podCount: 0},
				entries: [],
				sortKey: 0,
			};
			groups.set(component.key, group);
		}

		group.entries.push(entry);
	}

	const ownersList = [...input.owners.values()];
	for (const group of groups.values()) {
		let ready = 0;
		let present = 0;
		for (const entry of group.entries) {
			if (entry.goneAt === undefined && !entry.terminating) {
				present++;
				if (entry.ready) {
					ready++;
				}
			}
		}

		const namespace = group.entries[0]?.pod.metadata?.namespace;
		group.summary.ready = ready;
		group.summary.desired = desiredOf(group.summary.component, ownersList, namespace) ?? present;
		group.summary.podCount = group.entries.length;
	}

	return [...groups.values()];
}

function matchesFilter(text: string, filter: string): boolean {
	return text.toLowerCase().includes(filter);
}

// The sorted pods of each group from the last computation, by sort mode and component: a
// group whose pods are the same entry objects as then is not sorted again (with thousands
// of kube-proxy and fluentd pods, one changed pod re-sorts its own group only).
const sortedCache = new Map<string, {members: PodEntry[]; sorted: PodEntry[]}>();

function sameMembers(a: readonly PodEntry[], b: readonly PodEntry[]): boolean {
	if (a.length !== b.length) {
		return false;
	}

	for (let index = 0; index < a.length; index++) {
		if (a[index] !== b[index]) {
			return false;
		}
	}

	return true;
}

function sortEntries(group: Group, sort: SortMode, compare: (a: PodEntry, b: PodEntry) => number): void {
	const cacheKey = `${sort}\u0000${group.summary.component.key}`;
	const cached = sortedCache.get(cacheKey);
	if (cached && sameMembers(cached.members, group.entries)) {
		group.entries = cached.sorted;
		return;
	}

	const members = group.entries;
	group.entries = [...members].sort(compare);
	sortedCache.set(cacheKey, {members, sorted: group.entries});
}

function sortGroups(groups: Group[], sort: SortMode): void {
	// Forget the sorts of components that are no more (bare pods come and go as components).
	if (sortedCache.size > 3 * groups.length + 64) {
		const live = new Set(groups.map(group => `${sort}\u0000${group.summary.component.key}`));
		for (const key of sortedCache.keys()) {
			if (!live.has(key)) {
				sortedCache.delete(key);
			}
		}
	}

	const byComponentName = (a: Group, b: Group) => {
		const nameA = a.summary.component.name;
		const nameB = b.summary.component.name;
		if (nameA !== nameB) {
			return nameA < nameB ? -1 : 1;
		}

		return a.summary.component.key < b.summary.component.key ? -1 : 1;
	};

	switch (sort) {
		case 'component': {
			for (const group of groups) {
				sortEntries(group, sort, byName);
			}

			groups.sort(byComponentName);
			break;
		}

		case 'restarts': {
			// Most restarts first, the components and the pods in them.
			for (const group of groups) {
				sortEntries(group, sort, (a, b) => b.restartCount - a.restartCount || byName(a, b));
				group.sortKey = group.entries[0]?.restartCount ?? 0;
			}

			groups.sort((a, b) => b.sortKey - a.sortKey || byComponentName(a, b));
			break;
		}

		case 'age': {
			// Youngest first: replacements rise to the top.
			const created = (entry: PodEntry) => entry.createdAt ?? entry.firstSeenAt;
			for (const group of groups) {
				sortEntries(group, sort, (a, b) => created(b) - created(a) || byName(a, b));
				group.sortKey = group.entries[0] ? created(group.entries[0]) : 0;
			}

			groups.sort((a, b) => b.sortKey - a.sortKey || byComponentName(a, b));
			break;
		}
	}
}

function computeRows(input: RowsInput): Row[] {
	const groups = computeGroups(input);
	const filter = input.filter.trim().toLowerCase();
	const shown: Group[] = [];
	for (const group of groups) {
		if (filter === '' || matchesFilter(group.summary.component.name, filter)) {
			shown.push(group);
			continue;
		}

		const entries = group.entries.filter(entry => matchesFilter(entry.name, filter));
		if (entries.length > 0) {
			shown.push({...group, entries});
		}
	}

	sortGroups(shown, input.sort);
	const rows: Row[] = [];
	for (const group of shown) {
		rows.push({type: 'component', key: `component:${group.summary.component.key}`, summary: group.summary});
		for (const entry of group.entries) {
			rows.push({type: 'pod', key: entry.key, entry, component: group.summary.component});
		}
	}

	return rows;
}

let rowsMemo: {input: RowsInput; rows: Row[]} | undefined;

/** Every row, in order: a component line, then its pods. Memoised on what it reads. */
export function selectRows(state: ScreenState): Row[] {
	const input: RowsInput = {pods: state.pods, owners: state.owners, sort: state.view.sort, filter: state.view.filter};
	if (
		rowsMemo
		&& rowsMemo.input.pods === input.pods
		&& rowsMemo.input.owners === input.owners
		&& rowsMemo.input.sort === input.sort
		&& rowsMemo.input.filter === input.filter
	) {
		return rowsMemo.rows;
	}

	const rows = computeRows(input);
	rowsMemo = {input, rows};
	return rows;
}

let countsMemo: {pods: ScreenState['pods']; owners: ScreenState['owners']; counts: {pods: number; components: number}} | undefined;

/** Counts for the header: pods that exist (gone ones not counted) and their components. */
export function selectCounts(state: ScreenState): {pods: number; components: number} {
	if (countsMemo?.pods === state.pods && countsMemo.owners === state.owners) {
		return countsMemo.counts;
	}

	const index = ownerIndexOf(state.owners);
	const components = new Set<string>();
	let pods = 0;
	for (const entry of state.pods.values()) {
		if (entry.goneAt !== undefined) {
			continue;
		}

		pods++;
		components.add(componentOfEntry(entry, index).key);
	}

	const counts = {pods, components: components.size};
	countsMemo = {pods: state.pods, owners: state.owners, counts};
	return counts;
}

/** How many pods the filter lets through (gone ones included, as they are shown). */
export function selectShownPodCount(state: ScreenState): number {
	return selectRows(state).filter(row => row.type === 'pod').length;
}

/** The selected row's position in `rows`. */
export function selectedPosition(state: ScreenState, rows: readonly Row[] = selectRows(state)): number {
	if (rows.length === 0) {
		return 0;
	}

	if (state.view.selectedKey !== undefined) {
		const found = rows.findIndex(row => row.key === state.view.selectedKey);
		if (found !== -1) {
			return found;
		}
	}

	return Math.min(Math.max(0, state.view.selectedIndex), rows.length - 1);
}

export function selectSelectedRow(state: ScreenState): Row | undefined {
	const rows = selectRows(state);
	return rows[selectedPosition(state, rows)];
}

/** The component of the selected row (a component line, or the pod's component). */
export function selectSelectedComponent(state: ScreenState): ComponentRef | undefined {
	const row = selectSelectedRow(state);
	if (!row) {
		return undefined;
	}

	return row.type === 'component' ? row.summary.component : row.component;
}

/** Pods of a component that still exist (not gone), e.g. for "delete every pod of it". */
export function selectComponentPods(state: ScreenState, componentKey: string): PodEntry[] {
	const index = ownerIndexOf(state.owners);
	return [...state.pods.values()].filter(entry => entry.goneAt === undefined && componentOfEntry(entry, index).key === componentKey);
}

export type RowWindow = {rows: Row[]; top: number; selected: number; total: number};

/** The rows that fit the viewport, scrolled so the selection is on screen. */
export function selectWindow(state: ScreenState): RowWindow {
	const rows = selectRows(state);
	const selected = selectedPosition(state, rows);
	const size = Math.max(1, state.view.viewportRows);
	const top = scrollFor(state.view.scrollTop, selected, size, rows.length);
	return {rows: rows.slice(top, top + size), top, selected, total: rows.length};
}

// The least scrolling that brings `selected` on screen, and never empty space below the last row.
function scrollFor(scrollTop: number, selected: number, size: number, total: number): number {
	let top = scrollTop;
	if (selected < top) {
		top = selected;
	} else if (selected >= top + size) {
		top = selected - size + 1;
	}

	return Math.max(0, Math.min(top, Math.max(0, total - size)));
}

export type PodMarks = {isNew: boolean; flashing: boolean; gone: boolean};

/** What a pod row is marked with at this moment. */
export function podMarks(entry: PodEntry, now: number): PodMarks {
	return {
		isNew: entry.goneAt === undefined && entry.newUntil !== undefined && now < entry.newUntil,
		flashing: entry.goneAt === undefined && entry.flashUntil !== undefined && now < entry.flashUntil,
		gone: entry.goneAt !== undefined,
	};
}

// ---------------------------------------------------------------------------------------
// The keyboard side

function reduceView(state: ScreenState, action: ScreenAction): ViewState {
	const view = state.view;
	const moveTo = (position: number): ViewState => {
		const rows = selectRows(state);
		if (rows.length === 0) {
			return {...view, selectedKey: undefined, selectedIndex: 0, scrollTop: 0};
		}

		const clamped = Math.max(0, Math.min(rows.length - 1, position));
		const size = Math.max(1, view.viewportRows);
		const scrollTop = scrollFor(scrollFor(view.scrollTop, selectedPosition(state, rows), size, rows.length), clamped, size, rows.length);
		return {...view, selectedKey: rows[clamped]!.key, selectedIndex: clamped, scrollTop};
	};

	switch (action.type) {
		case 'move': {
			return moveTo(selectedPosition(state) + action.by);
		}

		case 'move-to': {
			return moveTo(action.position === 'first' ? 0 : Number.MAX_SAFE_INTEGER);
		}

		case 'page': {
			const size = Math.max(1, view.viewportRows);
			return moveTo(selectedPosition(state) + action.direction * Math.max(1, size - 1));
		}

		case 'select': {
			const index = selectRows(state).findIndex(row => row.key === action.key);
			return index === -1 ? view : moveTo(index);
		}

		case 'cycle-sort': {
			const next = sortModes[(sortModes.indexOf(view.sort) + 1) % sortModes.length]!;
			return {...view, sort: next};
		}

		case 'filter-open': {
			return {...view, mode: 'filter'};
		}

		case 'filter-set': {
			// A new filter starts at the top: the selection may not be among the matches.
			return {...view, filter: action.text, selectedKey: undefined, selectedIndex: 0, scrollTop: 0};
		}

		case 'filter-accept': {
			return {...view, mode: 'table'};
		}

		case 'filter-clear': {
			return {...view, mode: 'table', filter: ''};
		}

		case 'help-toggle': {
			return {...view, mode: view.mode === 'help' ? 'table' : 'help'};
		}

		case 'viewport': {
			return {...view, viewportRows: Math.max(1, action.rows)};
		}

		default: {
			return view;
		}
	}
}
