// `?watch=true`: one JSON event per line on a chunked 200 response, from a resourceVersion
// (the store's history, or 410 Expired as an ERROR event) or from nothing (ADDED for all),
// then live. Selectors decide membership the way the real watch cache does: an object
// that starts matching arrives as ADDED, one that stops matching as DELETED.
import type {ServerResponse} from 'node:http';
import {systemClock, type Clock, type Timer} from '../../time/clock.js';
import {StoreError, type KubeObject, type Resource, type Store, type StoreEvent, type StoreEventType} from '../store.js';
import type {Matcher} from './selectors.js';
import {failureStatus} from './status.js';

export type WatchRequest = {
	store: Store;
	resource: Resource;
	kind: string;
	apiVersion: string;
	matcher: Matcher;
	/** The watch's namespace (undefined: all); the matcher checks it too. */
	namespace?: string;
	/** Whether the matcher looks at more than the namespace (so membership can change). */
	selective: boolean;
	resourceVersion?: string;
	timeoutSeconds?: number;
	allowBookmarks: boolean;
	/** Events carry one-row Tables (kubectl get -w). */
	table?: (object: KubeObject, resourceVersion: string, first: boolean) => unknown;
	/** How long a watch without timeoutSeconds lives: the real server picks 30–60 minutes. */
	defaultLifetimeMs?: number;
	bookmarkIntervalMs?: number;
	/** Writes to the client go through this (the freeze fault holds them); default: at once. */
	pass?: (write: () => void) => void;
	/**
	 * Times the watch's lifetime and bookmarks: the client's time (timeoutSeconds is its
	 * request timeout), not the world's sped-up one. Default the wall clock, unref'd: an open
	 * watch must not hold a finished process.
	 */
	clock?: Clock;
};

/** Serialized plain events, shared by every watch that sends the same store event. */
const serializedEvents = new WeakMap<KubeObject, string>();

function keyOf(object: KubeObject): string {
	return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/** Serve a watch; returns a function that ends it cleanly (or undefined when it is already over). */
export function serveWatch(request: WatchRequest, response: ServerResponse): (() => void) | undefined {
	const {store, resource, matcher, selective} = request;
	let first = true;
	const encode = (type: StoreEventType, object: KubeObject): string => {
		if (request.table) {
			const line = JSON.stringify({type, object: request.table(object, object.metadata.resourceVersion ?? '', first)}) + '\n';
			first = false;
			return line;
		}

		if (type === 'MODIFIED' || type === 'ADDED' || type === 'DELETED') {
			const cached = serializedEvents.get(object);
			// The same object can only be cached under the type it was first sent with.
			if (cached?.startsWith(`{"type":"${type}"`)) {
				return cached;
			}

			const line = JSON.stringify({type, object}) + '\n';
			serializedEvents.set(object, line);
			return line;
		}

		return JSON.stringify({type, object}) + '\n';
	};

	let replay: StoreEvent[] | undefined;
	const version = request.resourceVersion;
	if (version !== undefined && version !== '' && version !== '0') {
		const number = Number(version);
		let refusal: unknown;
		if (!Number.isInteger(number) || number < 0) {
			refusal = failureStatus(410, 'Expired', `too old resource version: ${version}`);
		} else if (number > store.resourceVersion) {
			// A version this server never issued: the client saw another cluster (one rebuilt, or
			// restarted with a new etcd, on the same address). kube-apiserver's watch cache waits up
			// to 3 s for it, then answers with this error as an ERROR event: a Timeout (504) with
			// cause ResourceVersionTooLarge and retryAfterSeconds 1 (storage.NewTooLargeResourceVersionError).
			// client-go re-lists on it; accepting it silently would leave the client with the old
			// cluster's objects forever.
			refusal = failureStatus(504, 'Timeout', `Too large resource version: ${number}, current: ${store.resourceVersion}`, {
				causes: [{reason: 'ResourceVersionTooLarge', message: 'Too large resource version'}],
				retryAfterSeconds: 1,
			});
		} else {
			try {
				replay = store.changesSince(number);
			} catch (error) {
				if (!(error instanceof StoreError && error.code === 410)) {
					throw error;
				}

				refusal = failureStatus(410, 'Expired', error.message);
			}
		}

		if (refusal) {
			response.writeHead(200, {'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private'});
			response.end(JSON.stringify({type: 'ERROR', object: refusal}) + '\n');
			return undefined;
		}
	}

	response.writeHead(200, {'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked'});
	response.flushHeaders();

	let closed = false;
	const pass = request.pass ?? ((fn: () => void) => fn());
	const write = (text: string): void => {
		if (!closed && text) {
			pass(() => {
				if (!response.destroyed) {
					response.write(text);
				}
			});
		}
	};

	// Membership is only tracked when a selector can change its mind about an object.
	const known = selective ? new Set<string>() : undefined;
	/** The line to send for a store event, or undefined when this watch does not see it. */
	const lineFor = (event: StoreEvent): string | undefined => {
		if (event.resource !== resource) {
			return undefined;
		}

		const {object} = event;
		const matches = matcher(object);
		let type: StoreEventType | undefined;
		if (!known) {
			type = matches ? event.type : undefined;
		} else {
			const key = keyOf(object);
			const wasKnown = known.has(key);
			switch (event.type) {
				case 'ADDED': {
					type = matches ? 'ADDED' : undefined;
					break;
				}

				case 'MODIFIED': {
					type = matches ? (wasKnown ? 'MODIFIED' : 'ADDED') : wasKnown ? 'DELETED' : undefined;
					break;
				}

				case 'DELETED': {
					type = wasKnown || matches ? 'DELETED' : undefined;
					break;
				}
			}

			if (type === 'DELETED') {
				known.delete(key);
			} else if (type) {
				known.add(key);
			}
		}

		return type ? encode(type, object) : undefined;
	};


	// The snapshot (or the replayed history) is taken and the subscription made in the same
	// tick, so no change slips between them. Live events wait in `queued` while the snapshot
	// goes out in slices, one per macrotask, so a watch of 10k+ objects does not stall the server.
	let queued: StoreEvent[] | undefined = [];
	const unsubscribe = store.subscribe(event => {
		if (queued) {
			queued.push(event);
			return;
		}

		const line = lineFor(event);
		if (line) {
			write(line);
		}
	});

	let initial: Array<() => string | undefined>;
	if (replay) {
		if (known) {
			// Membership at the requested version: an object untouched since then is as it was,
			// so the matcher decides; one first ADDED after it was not there; one first
			// MODIFIED or DELETED after it existed, and is taken as known, so that leaving the
			// selection still reaches the client as DELETED (a spurious one is harmless).
			const firstChange = new Map<string, StoreEventType>();
			for (const event of replay) {
				if (event.resource === resource && (request.namespace === undefined || event.object.metadata.namespace === request.namespace)) {
					const key = keyOf(event.object);
					if (!firstChange.has(key)) {
						firstChange.set(key, event.type);
					}
				}
			}

			for (const object of store.list(resource)) {
				if (!firstChange.has(keyOf(object)) && matcher(object)) {
					known.add(keyOf(object));
				}
			}

			for (const [key, type] of firstChange) {
				if (type !== 'ADDED') {
					known.add(key);
				}
			}
		}

		initial = replay.map(event => () => lineFor(event));
	} else {
		initial = store.list(resource).map(object => () => {
			if (!matcher(object)) {
				return undefined;
			}

			known?.add(keyOf(object));
			return encode('ADDED', object);
		});
	}

	const sliceSize = 500;
	let position = 0;
	const sendSlice = (): void => {
		if (closed) {
			return;
		}

		const chunk: string[] = [];
		const end = Math.min(initial.length, position + sliceSize);
		for (; position < end; position++) {
			const line = initial[position]();
			if (line) {
				chunk.push(line);
			}
		}

		write(chunk.join(''));
		if (position < initial.length) {
			setImmediate(sendSlice);
			return;
		}

		const waiting = queued!;
		queued = undefined;
		const lines: string[] = [];
		for (const event of waiting) {
			const line = lineFor(event);
			if (line) {
				lines.push(line);
			}
		}

		write(lines.join(''));
	};

	sendSlice();

	const clock = request.clock ?? systemClock({unref: true});
	const timers: Timer[] = [];
	const lifetimeMs = request.timeoutSeconds !== undefined && request.timeoutSeconds > 0
		? request.timeoutSeconds * 1000
		: request.defaultLifetimeMs ?? (30 + Math.random() * 30) * 60_000;
	timers.push(clock.after(lifetimeMs, () => finish()));
	if (request.allowBookmarks) {
		timers.push(clock.every(request.bookmarkIntervalMs ?? 60_000, () => {
			write(JSON.stringify({type: 'BOOKMARK', object: {kind: request.kind, apiVersion: request.apiVersion, metadata: {resourceVersion: String(store.resourceVersion)}}}) + '\n');
		}));
	}

	function cleanUp(): void {
		if (closed) {
			return;
		}

		closed = true;
		unsubscribe();
		for (const timer of timers) {
			timer.cancel();
		}
	}

	function finish(): void {
		cleanUp();
		pass(() => response.end());
	}

	response.on('close', cleanUp);
	return finish;
}
