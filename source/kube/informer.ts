// An informer (list, then watch from the list's resourceVersion) that keeps going. It does
// what client-node 1.x's ListWatch does, with two differences: the list's items are handed on
// as they arrive rather than all in one synchronous loop at its end (70 ms at 20,000 pods,
// on top of the list's own parse), and it keeps one map of what it has seen (ListWatch kept
// its own cache beside ours). client-node's Watch still opens the watches. ListWatch stops for
// good on any error other than 410 Expired or a clean close; on a stage the API server
// going away for a while is normal, so this informer restarts with backoff, says
// how long it has been away, and notices a watch that has gone silent (a half-open TCP
// connection never errors: it just stops talking) by opening it again from the last
// resourceVersion: the server replays what was missed, or answers 410 and the informer lists
// again. (Re-listing outright would block the UI for a second at thousands of pods.)
// Two things do re-list: coming back after the API server was lost (the address may now
// serve another cluster: one rebuilt, or restarted with a new etcd), and a watch refused
// with an error other than 410 (a resourceVersion the server never issued: "Too large
// resource version"), which would otherwise be retried from the same version forever.
import {Watch, type KubeConfig, type KubernetesListObject, type KubernetesObject} from '@kubernetes/client-node';
import {describeApiError, isPermanentApiError} from './api-error.js';

export type InformerState =
	| {phase: 'connecting'}
	| {phase: 'live'}
	/** The API server is away (or answered 5xx); retrying with backoff since `since`. */
	| {phase: 'reconnecting'; since: number; reason: string}
	/** Forbidden, not found: retrying won't help soon (it still retries, slowly). */
	| {phase: 'failed'; since: number; reason: string};

export type InformerOptions<T extends KubernetesObject> = {
	kubeConfig: KubeConfig;
	/** The watch path, e.g. /api/v1/namespaces/kube-system/pods. */
	path: string;
	/** Watch only these objects (e.g. `spec.nodeName=NODE`); `list` must ask for the same. */
	fieldSelector?: string;
	/**
	 * List the objects, handing each to `each` as soon as it is read (see listedWhole for a
	 * list call that returns them all at once); resolves with the List's metadata.
	 */
	list(each: (object: T) => void, signal: AbortSignal): Promise<ListHead>;
	onUpsert(object: T): void;
	onDelete(object: T): void;
	/** After every successful list has been applied (first sync, and every re-list). */
	onSynced?(): void;
	onState(state: InformerState): void;
	/** Applied to every watched object before it is cached or handed on (the list does its own). */
	slim?(object: T): T;
	/** No watch event and no successful list for this long → open the watch again. Default 30 s. */
	silenceMs?: number;
	/** Give up a list that hangs after this long. Default 15 s. */
	listTimeoutMs?: number;
	backoff?: {initialMs: number; maxMs: number};
	/** Retry delay after a permanent error (403, 404). Default 30 s. */
	failedRetryMs?: number;
	now?: () => number;
};

/** What the informer reads of a List besides its items. */
export type ListHead = {metadata?: {resourceVersion?: string}};

/** A list call that answers with the whole List, as an informer's `list`. */
export function listedWhole<T extends KubernetesObject>(call: () => Promise<KubernetesListObject<T>>): (each: (object: T) => void) => Promise<ListHead> {
	return async each => {
		const list = await call();
		for (const object of list.items) {
			each(object);
		}

		return list;
	};
}

export type RunningInformer = {
	/** Drop the watch and list again. */
	relist(): void;
	/** Drop the watch and open it again from the last resourceVersion (what a silent watch gets). */
	rewatch(): void;
	stop(): Promise<void>;
};

// A watch closed cleanly this soon after it opened is a server that is closing watches at
// once (shutting down, overloaded); client-node would reconnect in a tight loop.
const quickCloseMs = 1000;

/** The status code that means "forget the resourceVersion and list again". */
const relistError = {statusCode: 410, message: 'relist'};

/**
 * The Watch the informer talks through: it asks for bookmarks (so a quiet namespace still
 * shows the watch is alive), reports activity, and lets the wrapper end a watch as if the
 * server had said 410, which makes the informer re-list and diff.
 */
class GuardedWatch extends Watch {
	private current?: {finish(error: unknown): void; controller?: AbortController};
	/** A watch that closed quickly, its end held back for quickCloseMs; no watch is open meanwhile. */
	private heldBack?: {timer: NodeJS.Timeout; done(error: unknown): void};
	/** The next watch is not opened: the informer is told 410 instead, so it lists first. */
	private listBeforeNextWatch = false;

	constructor(
		config: KubeConfig,
		private readonly hooks: {onOpen(): void; onActivity(): void; isStopped(): boolean; fieldSelector?: string; slim?(object: unknown): unknown},
	) {
		super(config);
	}

	override async watch(
		path: string,
		queryParams: Record<string, string | number | boolean | undefined>,
		callback: (phase: string, apiObject: any, watchObject?: any) => void,
		done: (error: any) => void,
	): Promise<AbortController> {
		if (this.listBeforeNextWatch) {
			this.listBeforeNextWatch = false;
			const skipped = new AbortController();
			setImmediate(() => done(relistError));
			return skipped;
		}

		let finished = false;
		const openedAt = Date.now();
		let delayTimer: NodeJS.Timeout | undefined;
		const entry: {finish(error: unknown): void; controller?: AbortController} = {
			finish: (error: unknown) => {
				if (finished) {
					return;
				}

				finished = true;
				if (this.current === entry) {
					this.current = undefined;
				}

				entry.controller?.abort();
				if (error === null && Date.now() - openedAt < quickCloseMs && !this.hooks.isStopped()) {
					delayTimer = setTimeout(() => {
						this.heldBack = undefined;
						done(null);
					}, quickCloseMs);
					delayTimer.unref?.();
					this.heldBack = {timer: delayTimer, done};
					return;
				}

				done(error);
			},
		};
		this.current = entry;
		let controller: AbortController;
		try {
			controller = await super.watch(
				path,
				{...queryParams, allowWatchBookmarks: true, ...(this.hooks.fieldSelector ? {fieldSelector: this.hooks.fieldSelector} : {})},
				(phase, apiObject, watchObject) => {
					if (finished) {
						return;
					}

					this.hooks.onActivity();
					if (phase === 'ERROR' && apiObject?.code !== 410) {
						// The informer would re-watch from the same version, and be refused again.
						entry.finish(relistError);
						return;
					}

					const isObject = phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED';
					callback(phase, isObject && this.hooks.slim ? this.hooks.slim(apiObject) : apiObject, watchObject);
				},
				error => entry.finish(error ?? null),
			);
		} catch (error) {
			// client-node's Watch throws, without calling done, when it cannot build the request
			// (credentials that cannot be made). This entry must not stay current: a relist or
			// rewatch would end it and start a second loop beside the one the throw restarts.
			if (this.current === entry) {
				this.current = undefined;
			}

			if (finished) {
				// Already ended (rewatch while the credentials were being made): said once.
				return new AbortController();
			}

			finished = true;
			throw error;
		}

		entry.controller = controller;
		if (finished) {
			// Ended (by us or the server) before the response came; make sure the request goes.
			controller.abort();
		} else {
			this.hooks.onOpen();
		}

		return controller;
	}

	/**
	 * End the open watch (or the one being opened) as if the server had answered 410. Between
	 * two watches (a quick close held back), end that wait with 410 instead: otherwise a relist
	 * asked for then was lost, and the next watch went on from the old resourceVersion.
	 */
	forceRelist(): boolean {
		if (this.current) {
			this.current.finish(relistError);
			return true;
		}

		if (this.heldBack) {
			const {timer, done} = this.heldBack;
			this.heldBack = undefined;
			clearTimeout(timer);
			done(relistError);
			return true;
		}

		return false;
	}

	/** End the open watch (or the one being opened) as if the server had closed it. */
	forceRewatch(): boolean {
		if (!this.current) {
			return false;
		}

		this.current.finish(null);
		return true;
	}

	/** After the API server was lost: whoever answers next may be another cluster. */
	listBeforeNextWatchOpens(): void {
		this.listBeforeNextWatch = true;
	}

	abortCurrent(): void {
		this.current?.controller?.abort();
	}
}

export function startInformer<T extends KubernetesObject>(options: InformerOptions<T>): RunningInformer {
	const now = options.now ?? Date.now;
	const silenceMs = options.silenceMs ?? 30_000;
	const listTimeoutMs = options.listTimeoutMs ?? 15_000;
	const backoff = options.backoff ?? {initialMs: 500, maxMs: 10_000};
	const failedRetryMs = options.failedRetryMs ?? 30_000;

	let stopped = false;
	let state: InformerState = {phase: 'connecting'};
	let lastActivity = now();
	let failures = 0;
	let restartTimer: NodeJS.Timeout | undefined;
	let running = false;

	const setState = (next: InformerState) => {
		if (stopped) {
			return;
		}

		if (next.phase === state.phase && (next.phase === 'live' || next.phase === 'connecting')) {
			return;
		}

		if (
			(next.phase === 'reconnecting' || next.phase === 'failed')
			&& state.phase === next.phase
			&& state.reason === next.reason
		) {
			return;
		}

		state = next;
		options.onState(state);
	};

	const becameLive = () => {
		lastActivity = now();
		failures = 0;
		setState({phase: 'live'});
	};

	const watch = new GuardedWatch(options.kubeConfig, {
		onOpen: becameLive,
		onActivity() {
			lastActivity = now();
		},
		isStopped: () => stopped,
		fieldSelector: options.fieldSelector,
		slim: options.slim as ((object: unknown) => unknown) | undefined,
	});

	// What has been seen, by namespace/name: a re-list compares with it to say what vanished,
	// and a watch event carrying a resourceVersion already seen is not handed on again.
	const known = new Map<string, T>();
	const keyOf = (object: T) => `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
	let resourceVersion = '';

	/** Hand the object on if it is new or changed; its key. */
	const upsert = (object: T): string => {
		lastActivity = now();
		const key = keyOf(object);
		const previous = known.get(key);
		const version = object.metadata?.resourceVersion;
		if (previous && version !== undefined && previous.metadata?.resourceVersion === version) {
			return key;
		}

		// Keyed by name: the same name with another UID (a mirror pod recreated while we were
		// away, a rebuilt cluster) is another object. For consumers that key by UID the old one is gone.
		if (previous && previous.metadata?.uid !== object.metadata?.uid) {
			options.onDelete(previous);
		}

		known.set(key, object);
		options.onUpsert(object);
		return key;
	};

	const remove = (object: T) => {
		lastActivity = now();
		const key = keyOf(object);
		const previous = known.get(key);
		if (previous) {
			known.delete(key);
			options.onDelete(previous.metadata?.uid === object.metadata?.uid ? object : previous);
		}
	};

	// The list being read, if any: a newer list, stop() and a list given up on end its
	// request, and nothing of an ended list is applied (its items may still be arriving).
	let listing: AbortController | undefined;

	/** List and apply it; false when it was overtaken (stopped, or another list began). */
	const list = async (): Promise<boolean> => {
		const listed = new Set<string>();
		listing?.abort();
		const controller = new AbortController();
		listing = controller;
		let timer: NodeJS.Timeout | undefined;
		let head: ListHead;
		let overtaken = false;
		try {
			head = await Promise.race([
				options.list(object => {
					if (!controller.signal.aborted) {
						listed.add(upsert(object));
					}
				}, controller.signal),
				new Promise<never>((_resolve, reject) => {
					timer = setTimeout(() => reject(new Error(`no answer to the list within ${listTimeoutMs / 1000} s`)), listTimeoutMs);
					timer.unref?.();
				}),
			]);
		} finally {
			clearTimeout(timer);
			overtaken = listing !== controller;
			controller.abort();
			if (!overtaken) {
				listing = undefined;
			}
		}

		if (stopped || overtaken) {
			return false;
		}

		becameLive();
		for (const [key, object] of known) {
			if (!listed.has(key)) {
				known.delete(key);
				options.onDelete(object);
			}
		}

		resourceVersion = head.metadata?.resourceVersion ?? '';
		options.onSynced?.();
		return true;
	};

	const onWatchEvent = (phase: string, object: any) => {
		switch (phase) {
			case 'ERROR': {
				if (object?.code === 410) {
					resourceVersion = '';
				}

				// The watch ends after it (or GuardedWatch ends it); watchEnded decides what next.
				return;
			}

			case 'ADDED':
			case 'MODIFIED': {
				upsert(object as T);
				break;
			}

			case 'DELETED': {
				remove(object as T);
				break;
			}

			default: {
				// BOOKMARK: only its resourceVersion.
				break;
			}
		}

		resourceVersion = object?.metadata?.resourceVersion ?? resourceVersion;
	};

	const failed = (error: unknown) => {
		running = false;
		if (stopped) {
			return;
		}

		failures++;
		watch.listBeforeNextWatchOpens();
		const reason = describeApiError(error);
		const since = state.phase === 'reconnecting' || state.phase === 'failed' ? state.since : now();
		let delay: number;
		if (isPermanentApiError(error)) {
			setState({phase: 'failed', since, reason});
			delay = failedRetryMs;
		} else {
			setState({phase: 'reconnecting', since, reason});
			delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** (failures - 1));
		}

		scheduleRestart(delay);
	};

	// List when there is no resourceVersion to go on from, then watch from it; when the watch
	// ends, do it again (410: list first; any other error: back off and try again).
	const run = async (): Promise<void> => {
		if (stopped) {
			return;
		}

		if (!resourceVersion) {
			try {
				if (!await list()) {
					return;
				}
			} catch (error) {
				failed(error);
				return;
			}
		}

		if (stopped) {
			return;
		}

		try {
			await watch.watch(options.path, {resourceVersion}, onWatchEvent, watchEnded);
		} catch (error) {
			// Failed before it was sent (credentials that could not be made, no current cluster).
			failed(error);
		}
	};

	const watchEnded = (error: any) => {
		if (error && (error.statusCode === 410 || error.code === 410)) {
			resourceVersion = '';
		} else if (error) {
			failed(error);
			return;
		}

		void run();
	};

	const scheduleRestart = (delayMs: number) => {
		clearTimeout(restartTimer);
		restartTimer = setTimeout(() => {
			restartTimer = undefined;
			begin();
		}, delayMs);
		restartTimer.unref?.();
	};

	const begin = () => {
		if (stopped || running) {
			return;
		}

		running = true;
		lastActivity = now();
		void run();
	};

	const relist = () => {
		if (stopped) {
			return;
		}

		lastActivity = now();
		if (!watch.forceRelist() && !running) {
			// Between attempts: try now rather than at the end of the backoff.
			clearTimeout(restartTimer);
			begin();
		}
	};

	const rewatch = () => {
		if (stopped) {
			return;
		}

		lastActivity = now();
		watch.forceRewatch();
	};

	const silenceTimer = setInterval(() => {
		if (!stopped && running && now() - lastActivity > silenceMs) {
			rewatch();
		}
	}, Math.max(50, Math.min(5000, silenceMs / 4)));
	silenceTimer.unref?.();

	begin();

	return {
		relist,
		rewatch,
		async stop() {
			stopped = true;
			clearTimeout(restartTimer);
			clearInterval(silenceTimer);
			listing?.abort();
			watch.abortCurrent();
		},
	};
}
