// The live screen's state, as a pure fold over domain events that carry their time:
// pods, their owners and Events as the watches report them, the connection's state, the
// clock ticking, and what the person at the keyboard did (move, filter, sort, help).
// Selectors turn it into the rows the table draws. Nothing here reads a clock or touches
// the cluster: a test is `actions.reduce(screenReducer, initialScreen(t0))`.
//
// Thousands of pods and bursts of thousands of events: `applyActions` copies the maps once
// per batch (the UI applies a frame's worth of events at a time), and the row selector is
// memoised on the inputs it reads, so a clock tick does not regroup anything.
import {ChunkedMap, type ChunkedMapDraft} from './chunked-map.js';
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
	/**
	 * Which pods this state's `pods` changed from the map it was copied from: the rows move
	 * only those instead of regrouping every pod (see rowIndexOf).
	 */
	podChanges?: {from: ReadonlyMap<string, PodEntry>; keys: ReadonlySet<string>};
	/**
	 * The keys of the pods shown as gone, so the tick drops the expired ones without looking
	 * at every pod (at 20,000 pods that look was the idle screen's largest cost of its own).
	 */
	goneKeys: ReadonlySet<string>;
	/** Workloads by uid: ReplicaSets, Deployments, DaemonSets, StatefulSets. */
	owners: ReadonlyMap<string, OwnerLike>;
	events: readonly EventEntry[];
	/** The first pod list has been applied: from now on a pod seen for the first time is new. */
	podsSynced: boolean;
	connection: ConnectionState;
	view: ViewState;
	/** What the fold and the selectors remember between states of this store (see ScreenMemo). */
	memo: ScreenMemo;
};

/**
 * The memos of one store, carried from state to state by every copy: the pod keys by name
 * (applyActions), the last owner index, row index and row list (rowIndexOf, selectRowList).
 * Each holds what was made from the latest state of its store and is moved along in place,
 * so a state folded from any other map finds no match and builds its own. One per store
 * (initialScreen, or screenOfItsOwn for a store started from a given state): in one object
 * shared by every store, two stores in one process evicted each other's at every publish and
 * each rebuilt its rows from all its pods, and a stopped store's pods stayed reachable.
 */
export type ScreenMemo = {
	nameIndex?: {pods: ReadonlyMap<string, PodEntry>; byName: Map<string, string[]>};
	lastOwnerIndex?: {replicaSets: string; index: OwnerIndex};
	rowIndex?: RowIndex;
	rowList?: {index: RowIndex; pods: ScreenState['pods']; owners: ScreenState['owners']; filter: string; list: RowList};
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
		pods: ChunkedMap.empty(),
		goneKeys: new Set(),
		owners: new Map(),
		events: [],
		podsSynced: false,
		connection: {phase: 'connecting'},
		view: {mode: 'table', sort: 'component', filter: '', selectedIndex: 0, scrollTop: 0, viewportRows: 10},
		memo: {},
	};
}

/** `state` with memos of its own: for a second store started from a state another store has. */
export function screenOfItsOwn(state: ScreenState): ScreenState {
	return {...state, memo: {}};
}

export function screenReducer(state: ScreenState, action: ScreenAction): ScreenState {
	return applyActions(state, [action]);
}

/** Fold many actions at once; the maps are copied at most once for the whole batch. */
export function applyActions(state: ScreenState, actions: readonly ScreenAction[]): ScreenState {
	if (actions.length === 0) {
		return state;
	}

	let pods: ChunkedMapDraft<PodEntry> | undefined;
	// The map `pods` was copied from; the map the changes are counted from (see podsForWrite),
	// and the keys written since.
	let podsFrom: ReadonlyMap<string, PodEntry> = state.pods;
	let changesFrom = podsFrom;
	let changed = new Set<string>();
	let owners: Map<string, OwnerLike> | undefined;
	let events: EventEntry[] | undefined;
	// Pod keys by name (see upsertPod): the last fold's, moved along, or built when a pod not
	// seen before arrives.
	let byName: Map<string, string[]> | undefined;
	let next: ScreenState = state;
	// The gone keys, copied on the first change. A pod's goneAt is set in two places (a
	// DELETED, a same-name replacement) and never cleared: each adds its key here.
	let gone: Set<string> | undefined;
	const goneForWrite = () => {
		gone ??= new Set(state.goneKeys);
		return gone;
	};

	const podsForWrite = () => {
		if (!pods) {
			podsFrom = next.pods;
			// A state that was never drawn (a backlog is folded in parts and drawn every
			// backlogDrawMs) never moved the rows on: its changes are carried into this one's, so
			// the rows move on from where they last were rather than being regrouped from all pods.
			const undrawn = next.podChanges;
			const rowsAt = state.memo.rowIndex?.pods;
			if (undrawn && rowsAt !== podsFrom && rowsAt === undrawn.from) {
				changesFrom = undrawn.from;
				changed = new Set(undrawn.keys);
			} else {
				changesFrom = podsFrom;
				changed = new Set();
			}

			pods = ChunkedMap.from(podsFrom).edit();
			byName = state.memo.nameIndex?.pods === podsFrom ? state.memo.nameIndex.byName : undefined;
		}

		return pods;
	};

	const commitPods = (draft: ChunkedMapDraft<PodEntry>) => {
		const map = draft.done();
		next = {...next, pods: map, podChanges: {from: changesFrom, keys: changed}};
		state.memo.nameIndex = byName ? {pods: map, byName} : undefined;
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

				upsertPod(map, action.pod, action.at, next.podsSynced, byName, changed, key => goneForWrite().add(key));
				break;
			}

			case 'pod-deleted': {
				const map = podsForWrite();
				const key = podKey(action.pod);
				const entry = map.get(key);
				if (entry && entry.goneAt === undefined) {
					map.set(key, {...entry, pod: action.pod, goneAt: action.at, newUntil: undefined});
					changed.add(key);
					goneForWrite().add(key);
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
				for (const key of gone ?? next.goneKeys) {
					const entry = current.get(key);
					if (!entry) {
						goneForWrite().delete(key);
					} else if (entry.goneAt !== undefined && action.at - entry.goneAt >= goneKeepMs) {
						podsForWrite().delete(key);
						goneForWrite().delete(key);
						changed.add(key);
						const sameName = byName?.get(entry.name);
						if (sameName?.includes(key)) {
							sameName.splice(sameName.indexOf(key), 1);
							if (sameName.length === 0) {
								byName!.delete(entry.name);
							}
						}
					}
				}

				break;
			}

			default: {
				// View actions read the rows as they are now: commit the copies, and copy
				// again should a later action in the batch write (rows may be memoised on them).
				if (pods) {
					commitPods(pods);
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
		commitPods(pods);
	}

	if (gone) {
		next = {...next, goneKeys: gone};
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

function indexByName(pods: Iterable<[string, PodEntry]>): Map<string, string[]> {
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

function upsertPod(pods: ChunkedMapDraft<PodEntry>, pod: PodLike, at: number, synced: boolean, byName: Map<string, string[]> | undefined, changed: Set<string>, markGone: (key: string) => void): void {
	const key = podKey(pod);
	changed.add(key);
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
			changed.add(otherKey);
			markGone(otherKey);
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
//
// At 20,000 pods a publish changes a handful of them. The rows are kept in a RowIndex (the
// groups, each with its pods in order, and where each group starts): a publish moves only
// the pods it changed (`podChanges` says which), and the table reads the rows it shows by
// position, so nothing walks every pod on a watch event or a clock tick. A filter being
// typed is the exception: it is matched against every name, once per change of pods or text.

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

/** The rows in order, read by position: a component line, then its pods. */
export type RowList = {
	readonly length: number;
	at(index: number): Row | undefined;
	/** The position of the row with this key, -1 when there is none. */
	indexOf(key: string): number;
	/** How many of the rows are pods. */
	readonly podCount: number;
};

type Group = {
	component: ComponentRef;
	role?: string;
	/** In the order of the sort mode. */
	entries: PodEntry[];
	/** Not gone (the header counts them). */
	live: number;
	/** Not gone and not terminating. */
	present: number;
	/** Present and Ready. */
	ready: number;
	row: ComponentRow;
};

type RowIndex = {
	pods: ScreenState['pods'];
	owners: ScreenState['owners'];
	sort: SortMode;
	ownerIndex: OwnerIndex;
	groups: Map<string, Group>;
	/** Component key of every pod, by pod key. */
	componentOfPod: Map<string, string>;
	/** The groups in display order, and the row each starts at. */
	order: Group[];
	starts: number[];
	length: number;
	/** A group came or went since `order` was made. */
	orderStale: boolean;
};

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
// The owner index is a function of the owners map alone: remembered by the map's identity.
// Besides, memo.lastOwnerIndex keeps the last index made and what it was made from: under churn
// the DaemonSets' and Deployments' status counts change several times a second, which makes a
// new owners map but resolves every pod to the same component; the same index object then keeps
// the rows (and the components remembered for each pod) instead of regrouping 20,000 pods.
function ownerIndexOf(owners: ScreenState['owners'], memo: ScreenMemo): OwnerIndex {
	let index = ownerIndexCache.get(owners);
	if (!index) {
		// Only ReplicaSets resolve a pod to its component (pod → ReplicaSet → Deployment), by name and controller.
		const replicaSets = [...owners.values()].filter(owner => owner.kind === 'ReplicaSet');
		const key = JSON.stringify(replicaSets.map(({metadata}) => [metadata?.namespace, metadata?.name, metadata?.ownerReferences?.map(({kind, name, controller}) => [kind, name, controller])]));
		index = memo.lastOwnerIndex?.replicaSets === key ? memo.lastOwnerIndex.index : ownerIndexFromReplicaSets(replicaSets);
		memo.lastOwnerIndex = {replicaSets: key, index};
		ownerIndexCache.set(owners, index);
	}

	return index;
}

function byName(a: PodEntry, b: PodEntry): number {
	if (a.name !== b.name) {
		return a.name < b.name ? -1 : 1;
	}

	// The same name twice: the one that went first, then its replacement.
	return a.firstSeenAt - b.firstSeenAt || (a.key < b.key ? -1 : (a.key > b.key ? 1 : 0));
}

const createdAt = (entry: PodEntry) => entry.createdAt ?? entry.firstSeenAt;

const podOrder: Record<SortMode, (a: PodEntry, b: PodEntry) => number> = {
	component: byName,
	// Most restarts first.
	restarts: (a, b) => b.restartCount - a.restartCount || byName(a, b),
	// Youngest first: replacements rise to the top.
	age: (a, b) => createdAt(b) - createdAt(a) || byName(a, b),
};

function byComponentName(a: ComponentRef, b: ComponentRef): number {
	if (a.name !== b.name) {
		return a.name < b.name ? -1 : 1;
	}

	return a.key < b.key ? -1 : 1;
}

/** Groups in display order; `first` is a group's first pod in the order shown. */
function orderGroups<G extends {component: ComponentRef}>(groups: G[], sort: SortMode, first: (group: G) => PodEntry | undefined): G[] {
	const sortKey = (group: G): number => {
		const entry = first(group);
		if (!entry) {
			return 0;
		}

		return sort === 'restarts' ? entry.restartCount : createdAt(entry);
	};

	if (sort === 'component') {
		return groups.sort((a, b) => byComponentName(a.component, b.component));
	}

	const keys = new Map(groups.map(group => [group, sortKey(group)]));
	return groups.sort((a, b) => keys.get(b)! - keys.get(a)! || byComponentName(a.component, b.component));
}

// componentOf for an entry, remembered while the entry (the pod object) and the owner index
// are the same.
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

/** Where `entry` goes in `entries` (sorted by `compare`): the first position not before it. */
function lowerBound(entries: readonly PodEntry[], entry: PodEntry, compare: (a: PodEntry, b: PodEntry) => number): number {
	let low = 0;
	let high = entries.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compare(entries[middle]!, entry) < 0) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}

	return low;
}

function positionIn(entries: readonly PodEntry[], entry: PodEntry, compare: (a: PodEntry, b: PodEntry) => number): number {
	const at = lowerBound(entries, entry, compare);
	if (entries[at] === entry) {
		return at;
	}

	// Not where its fields say (cannot happen while the order is total); look everywhere.
	return entries.indexOf(entry);
}

function count(group: Group, entry: PodEntry, sign: 1 | -1): void {
	if (entry.goneAt !== undefined) {
		return;
	}

	group.live += sign;
	if (!entry.terminating) {
		group.present += sign;
		if (entry.ready) {
			group.ready += sign;
		}
	}
}

/** The component's group in the index, made (and the order marked stale) when it is new. */
function groupFor(index: RowIndex, component: ComponentRef): Group {
	let group = index.groups.get(component.key);
	if (!group) {
		const summary: ComponentSummary = {component, role: roleOf(component), ready: 0, desired: 0, podCount: 0};
		group = {component, role: summary.role, entries: [], live: 0, present: 0, ready: 0, row: {type: 'component', key: `component:${component.key}`, summary}};
		index.groups.set(component.key, group);
		index.orderStale = true;
	}

	return group;
}

function addEntry(index: RowIndex, entry: PodEntry, touched: Set<Group>): void {
	const component = componentOfEntry(entry, index.ownerIndex);
	const group = groupFor(index, component);

	const compare = podOrder[index.sort];
	group.entries.splice(lowerBound(group.entries, entry, compare), 0, entry);
	count(group, entry, 1);
	index.componentOfPod.set(entry.key, component.key);
	touched.add(group);
}

function removeEntry(index: RowIndex, entry: PodEntry, touched: Set<Group>): void {
	const componentKey = index.componentOfPod.get(entry.key);
	const group = componentKey === undefined ? undefined : index.groups.get(componentKey);
	if (!group) {
		return;
	}

	const at = positionIn(group.entries, entry, podOrder[index.sort]);
	if (at !== -1) {
		group.entries.splice(at, 1);
		count(group, entry, -1);
	}

	index.componentOfPod.delete(entry.key);
	touched.add(group);
}

/** Summaries (new objects: a row drawn before keeps what it showed), the order and the starts. */
function finish(index: RowIndex, touched: Iterable<Group>): void {
	const owners = [...index.owners.values()];
	let reorder = index.orderStale;
	for (const group of touched) {
		if (group.entries.length === 0) {
			index.groups.delete(group.component.key);
			reorder = true;
			continue;
		}

		const namespace = group.entries[0]!.pod.metadata?.namespace;
		const summary: ComponentSummary = {
			component: group.component,
			role: group.role,
			ready: group.ready,
			desired: desiredOf(group.component, owners, namespace) ?? group.present,
			podCount: group.entries.length,
		};
		group.row = {type: 'component', key: group.row.key, summary};
		reorder ||= index.sort !== 'component';
	}

	if (reorder) {
		index.order = orderGroups([...index.groups.values()], index.sort, group => group.entries[0]);
		index.orderStale = false;
	}

	index.starts = [];
	let start = 0;
	for (const group of index.order) {
		index.starts.push(start);
		start += 1 + group.entries.length;
	}

	index.length = start;
}

function buildIndex(pods: ScreenState['pods'], owners: ScreenState['owners'], sort: SortMode, ownerIndex: OwnerIndex): RowIndex {
	const index: RowIndex = {pods, owners, sort, ownerIndex, groups: new Map(), componentOfPod: new Map(), order: [], starts: [], length: 0, orderStale: true};
	const compare = podOrder[sort];
	for (const entry of pods.values()) {
		const component = componentOfEntry(entry, index.ownerIndex);
		const group = groupFor(index, component);

		group.entries.push(entry);
		count(group, entry, 1);
		index.componentOfPod.set(entry.key, component.key);
	}

	for (const group of index.groups.values()) {
		group.entries.sort(compare);
	}

	finish(index, index.groups.values());
	return index;
}

/** The row index of this state: moved on from the last one by the pods that changed, else built. */
function rowIndexOf(state: ScreenState): RowIndex {
	const {pods, owners} = state;
	const {sort} = state.view;
	const memo = state.memo.rowIndex;
	if (memo?.pods === pods && memo.owners === owners && memo.sort === sort) {
		return memo;
	}

	const changes = state.podChanges;
	// Owners that resolve pods as before (only a workload's counts changed) keep the rows; the
	// summaries (desired) are made again below.
	const sameOwners = memo?.owners === owners || memo?.ownerIndex === ownerIndexOf(owners, state.memo);
	// Moving most of the pods one by one costs more than grouping them afresh (a first list).
	const few = changes !== undefined && changes.keys.size * 2 <= pods.size;
	if (memo && sameOwners && memo.sort === sort && (memo.pods === pods || (few && changes.from === memo.pods))) {
		const touched = new Set<Group>();
		for (const key of memo.pods === pods ? [] : changes!.keys) {
			const before = memo.pods.get(key);
			const after = pods.get(key);
			if (before === after) {
				continue;
			}

			if (before) {
				removeEntry(memo, before, touched);
			}

			if (after) {
				addEntry(memo, after, touched);
			}
		}

		if (memo.owners !== owners) {
			memo.owners = owners;
			for (const group of memo.groups.values()) {
				touched.add(group);
			}
		}

		memo.pods = pods;
		finish(memo, touched);
		return memo;
	}

	const index = buildIndex(pods, owners, sort, ownerIndexOf(owners, state.memo));
	state.memo.rowIndex = index;
	return index;
}

function rowListOfIndex(index: RowIndex): RowList {
	const groupAt = (position: number): number => {
		// The last group starting at or before position.
		let low = 0;
		let high = index.starts.length - 1;
		while (low < high) {
			const middle = (low + high + 1) >>> 1;
			if (index.starts[middle]! <= position) {
				low = middle;
			} else {
				high = middle - 1;
			}
		}

		return low;
	};

	const {order, starts, length} = index;
	let podCount = 0;
	for (const group of order) {
		podCount += group.entries.length;
	}

	const positionOfGroup = new Map(order.map((group, position) => [group.row.key, position]));
	return {
		length,
		podCount,
		at(position) {
			if (position < 0 || position >= length) {
				return undefined;
			}

			const groupPosition = groupAt(position);
			const group = order[groupPosition]!;
			const offset = position - starts[groupPosition]!;
			if (offset === 0) {
				return group.row;
			}

			const entry = group.entries[offset - 1]!;
			return {type: 'pod', key: entry.key, entry, component: group.component};
		},
		indexOf(key) {
			const groupPosition = positionOfGroup.get(key);
			if (groupPosition !== undefined) {
				return starts[groupPosition]!;
			}

			const entry = index.pods.get(key);
			const componentKey = index.componentOfPod.get(key);
			const group = componentKey === undefined ? undefined : index.groups.get(componentKey);
			if (!entry || !group) {
				return -1;
			}

			const at = positionIn(group.entries, entry, podOrder[index.sort]);
			return at === -1 ? -1 : starts[order.indexOf(group)]! + 1 + at;
		},
	};
}

function matchesFilter(text: string, filter: string): boolean {
	return text.toLowerCase().includes(filter);
}

function filteredRows(index: RowIndex, filter: string): Row[] {
	const shown: Array<{component: ComponentRef; group: Group; entries: PodEntry[]}> = [];
	for (const group of index.groups.values()) {
		if (matchesFilter(group.component.name, filter)) {
			shown.push({component: group.component, group, entries: group.entries});
			continue;
		}

		const entries = group.entries.filter(entry => matchesFilter(entry.name, filter));
		if (entries.length > 0) {
			shown.push({component: group.component, group, entries});
		}
	}

	const rows: Row[] = [];
	for (const {group, entries} of orderGroups(shown, index.sort, shownGroup => shownGroup.entries[0])) {
		rows.push(group.row);
		for (const entry of entries) {
			rows.push({type: 'pod', key: entry.key, entry, component: group.component});
		}
	}

	return rows;
}

function rowListOfArray(rows: Row[]): RowList {
	let positions: Map<string, number> | undefined;
	return {
		length: rows.length,
		podCount: rows.filter(row => row.type === 'pod').length,
		at: position => rows[position],
		indexOf(key) {
			positions ??= new Map(rows.map((row, position) => [row.key, position]));
			return positions.get(key) ?? -1;
		},
	};
}

/** Every row, in order, read by position. Memoised on what it reads. */
export function selectRowList(state: ScreenState): RowList {
	const index = rowIndexOf(state);
	const filter = state.view.filter.trim().toLowerCase();
	const memo = state.memo.rowList;
	if (memo?.index === index && memo.pods === state.pods && memo.owners === state.owners && memo.filter === filter) {
		return memo.list;
	}

	const list = filter === '' ? rowListOfIndex(index) : rowListOfArray(filteredRows(index, filter));
	state.memo.rowList = {index, pods: state.pods, owners: state.owners, filter, list};
	return list;
}

const rowArrays = new WeakMap<RowList, Row[]>();

/** Every row, in order: a component line, then its pods (walks them all: tests and small lists). */
export function selectRows(state: ScreenState): Row[] {
	const list = selectRowList(state);
	let rows = rowArrays.get(list);
	if (!rows) {
		rows = Array.from({length: list.length}, (_, position) => list.at(position)!);
		rowArrays.set(list, rows);
	}

	return rows;
}

/** Counts for the header: pods that exist (gone ones not counted) and their components. */
export function selectCounts(state: ScreenState): {pods: number; components: number} {
	const index = rowIndexOf(state);
	let pods = 0;
	let components = 0;
	for (const group of index.groups.values()) {
		pods += group.live;
		if (group.live > 0) {
			components++;
		}
	}

	return {pods, components};
}

/** How many pods the filter lets through (gone ones included, as they are shown). */
export function selectShownPodCount(state: ScreenState): number {
	return selectRowList(state).podCount;
}

/** The selected row's position in `rows`. */
export function selectedPosition(state: ScreenState, rows: RowList = selectRowList(state)): number {
	if (rows.length === 0) {
		return 0;
	}

	if (state.view.selectedKey !== undefined) {
		const found = rows.indexOf(state.view.selectedKey);
		if (found !== -1) {
			return found;
		}
	}

	return Math.min(Math.max(0, state.view.selectedIndex), rows.length - 1);
}

export function selectSelectedRow(state: ScreenState): Row | undefined {
	const rows = selectRowList(state);
	return rows.at(selectedPosition(state, rows));
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
	const group = rowIndexOf(state).groups.get(componentKey);
	return (group?.entries ?? []).filter(entry => entry.goneAt === undefined);
}

export type RowWindow = {rows: Row[]; top: number; selected: number; total: number};

/** The rows that fit the viewport, scrolled so the selection is on screen. */
export function selectWindow(state: ScreenState): RowWindow {
	const list = selectRowList(state);
	const selected = selectedPosition(state, list);
	const size = Math.max(1, state.view.viewportRows);
	const top = scrollFor(state.view.scrollTop, selected, size, list.length);
	const rows: Row[] = [];
	for (let position = top; position < Math.min(list.length, top + size); position++) {
		rows.push(list.at(position)!);
	}

	return {rows, top, selected, total: list.length};
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
		const rows = selectRowList(state);
		if (rows.length === 0) {
			return {...view, selectedKey: undefined, selectedIndex: 0, scrollTop: 0};
		}

		const clamped = Math.max(0, Math.min(rows.length - 1, position));
		const size = Math.max(1, view.viewportRows);
		const scrollTop = scrollFor(scrollFor(view.scrollTop, selectedPosition(state, rows), size, rows.length), clamped, size, rows.length);
		return {...view, selectedKey: rows.at(clamped)!.key, selectedIndex: clamped, scrollTop};
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
			const index = selectRowList(state).indexOf(action.key);
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
