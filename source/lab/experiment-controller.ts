// What the screen's action keys do, kept outside React: the question being asked, the menu
// open, the experiment running, the session's finished experiments and the status message.
// Its state is a plain object changed only through these methods, so two keys arriving in
// one chunk ("dy") see each other's effect at once instead of a render later; the hook
// (ui/use-experiments.tsx) subscribes and draws. Experiments start on the lab (lab.ts), as
// `kill`'s do; the time and the status message's timer come from the one Clock.
import path from 'node:path';
import type {Config} from '../config/config.js';
import type {ExperimentRecord, RunningExperiment} from '../experiment/engine.js';
import {nodeStopOn} from '../experiment/helper-pod.js';
import {isWorkloadKind} from '../model/component.js';
import {selectComponentPods, selectSelectedComponent, selectSelectedRow, type ScreenState} from '../model/screen.js';
import {resultLine} from '../report/experiment-report.js';
import {writeSessionReport, type NewFiles} from '../report/session-files.js';
import type {Clock, Timer} from '../time/clock.js';
import {failureText, sinceT0} from '../report/measurement-text.js';
import {
	componentChoices,
	containerNames,
	deletePodRequest,
	experimentTarget,
	livePodNames,
	podRowProblem,
	questionText,
	type ActionRequest,
	type ComponentChoice,
} from './experiment-requests.js';
import type {Lab} from './lab.js';
import type {NodeRequest} from './node-requests.js';

export type MenuItem = {label: string; value: string};

export type Prompt =
	/** `drawn`: a frame with the question has been rendered; only a key after that may answer it. */
	| {type: 'question'; request: ActionRequest; text: string; drawn: boolean}
	/** `index`: the highlighted item. The keys move it here (not in the widget), so keys that arrive together are routed in order. */
	| {type: 'menu'; title: string; items: MenuItem[]; index: number; choose(value: string): void};

export type StatusMessage = {text: string; tone: 'info' | 'error'};

export type RunningEntry = {experiment: RunningExperiment; request: ActionRequest};

export type ExperimentsState = {
	prompt?: Prompt;
	message?: StatusMessage;
	running?: RunningEntry;
	/** The last finished experiment: its result stays on screen until the next one starts. */
	last?: ExperimentRecord;
	/** Every finished experiment of this session, oldest first (what `e` writes). */
	records: readonly ExperimentRecord[];
	timelineOpen: boolean;
};

export type ControllerDeps = {
	config: Pick<Config, 'namespace' | 'readOnly' | 'yes' | 'hammerForMs'> & Partial<Pick<Config, 'nodeStop' | 'appNamespace'>>;
	contextName: string;
	screen(): ScreenState;
	/** What the experiments run on; without a node actor, node experiments (K, D's "stop for real") are off. */
	lab: Pick<Lab, 'view' | 'nodeActor' | 'startExperiment' | 'startNodeExperiment'>;
	/** Where `e` writes the report: into `cwd`, through `files`. */
	reports: {cwd: string; files: NewFiles};
	clock: Clock;
	/** How long a status message stays (default 10 s). */
	messageMs?: number;
};

export type ExperimentsController = {
	getState(): ExperimentsState;
	subscribe(listener: () => void): () => void;
	/** `alwaysAsk`: ask even with --yes (Ctrl-D, which is also a shell's end-of-input key). */
	deletePod(options?: {alwaysAsk?: boolean}): void;
	deleteComponent(): void;
	killContainer(): void;
	hammer(): void;
	/** Stop the kubelet of the selected pod's node for --for (asks first, naming what runs there). */
	stopKubelet(): Promise<void>;
	toggleTimeline(): void;
	exportSession(): Promise<void>;
	/** The view drew the open question: from now on a key pressed by itself may answer it. */
	questionDrawn(): void;
	/**
	 * Keys while a question, a menu or the timeline is open; true when taken. `together`: the
	 * key came in one chunk with others (a paste, keys typed ahead), which never answers.
	 */
	captureInput(input: string, key: {escape?: boolean; return?: boolean; upArrow?: boolean; downArrow?: boolean; ctrl?: boolean; meta?: boolean}, together?: boolean): boolean;
	/** Stop: abort the running experiment, clear timers. */
	dispose(): void;
};

export function createExperimentsController(deps: ControllerDeps): ExperimentsController {
	const {clock, lab} = deps;
	const messageMs = deps.messageMs ?? 10_000;
	const listeners = new Set<() => void>();
	const abort = new AbortController();
	let messageTimer: Timer | undefined;
	let state: ExperimentsState = {records: [], timelineOpen: false};

	const set = (patch: Partial<ExperimentsState>) => {
		state = {...state, ...patch};
		for (const listener of listeners) {
			listener();
		}
	};

	const say = (text: string, tone: StatusMessage['tone'] = 'info') => {
		messageTimer?.cancel();
		messageTimer = clock.after(messageMs, () => {
			if (state.message?.text === text) {
				set({message: undefined});
			}
		});
		set({message: {text, tone}});
	};

	/** Whether an action key may go on; says why not. */
	const mayAct = (): boolean => {
		if (deps.config.readOnly) {
			say('read-only: actions are off');
			return false;
		}

		if (state.running) {
			const {experiment} = state.running;
			const since = sinceT0(experiment.state(), clock.now()) ?? 'starting';
			say(`an experiment is running (${experiment.plan.component.name}, ${since}); one at a time: wait for its result`);
			return false;
		}

		if (!lab.view.isSynced) {
			say('the pod list is not loaded yet; try again in a moment');
			return false;
		}

		return true;
	};

	const ask = (request: ActionRequest, alwaysAsk = false) => {
		if (deps.config.yes && !alwaysAsk) {
			start(request);
			return;
		}

		set({prompt: {type: 'question', request, text: questionText(request, {contextName: deps.contextName, namespace: deps.config.namespace}), drawn: false}, message: undefined});
	};

	const menu = (title: string, items: MenuItem[], choose: (value: string) => void) => {
		set({
			prompt: {
				type: 'menu',
				title,
				items,
				index: 0,
				choose(value) {
					set({prompt: undefined});
					choose(value);
				},
			},
			message: undefined,
		});
	};

	const started = (experiment: RunningExperiment, request: ActionRequest) => {
		set({running: {experiment, request}, last: undefined, message: undefined, prompt: undefined});
		experiment.done.then(
			record => {
				if (abort.signal.aborted) {
					return;
				}

				const {ending} = record.measurement;
				set({running: undefined, last: record, records: [...state.records, record]});
				if (ending?.reason === 'action-failed' || ending?.reason === 'api-server-lost') {
					say(failureText(ending, record.measurement), 'error');
				}
			},
			(error: unknown) => {
				set({running: undefined});
				say(`the experiment stopped: ${error instanceof Error ? error.message : String(error)}`, 'error');
			},
		);
	};

	/** A node experiment: checks (node Ready, one at a time) happen before anything is created. */
	const startNode = (request: NodeRequest) => {
		const flags = deps.config.nodeStop;
		if (!lab.nodeActor || !flags) {
			say('node experiments are not available here', 'error');
			return;
		}

		set({prompt: undefined, message: {text: `checking ${request.node}…`, tone: 'info'}});
		const stop = nodeStopOn(request.kind === 'stop-kubelet' ? {kind: 'kubelet'} : {kind: 'static-pod', component: request.component.name}, request.node, request.forMs, flags);
		lab.startNodeExperiment(stop, {signal: abort.signal}).then(
			experiment => {
				started(experiment, request);
				void experiment.cleanup.then(notes => {
					if (notes.length > 0 && !abort.signal.aborted) {
						say(notes.join(' · '), 'error');
					}
				});
			},
			(error: unknown) => say(error instanceof Error ? error.message : String(error), 'error'),
		);
	};

	const start = (request: ActionRequest) => {
		if (request.kind === 'stop-kubelet' || request.kind === 'stop-static-pod') {
			startNode(request);
			return;
		}

		let experiment: RunningExperiment;
		try {
			experiment = lab.startExperiment(experimentTarget(request), abort.signal);
		} catch (error) {
			// A PlanError (no pod left, not a live pod) is one sentence already.
			say(error instanceof Error ? error.message : String(error), 'error');
			return;
		}

		started(experiment, request);
	};

	const selectedPod = () => {
		const row = selectSelectedRow(deps.screen());
		const problem = podRowProblem(row, deps.config.namespace);
		if (problem !== undefined || row?.type !== 'pod') {
			say(problem ?? 'select a pod first', 'error');
			return undefined;
		}

		return row;
	};

	const selectedComponentPods = () => {
		const screen = deps.screen();
		const component = selectSelectedComponent(screen);
		if (!component) {
			say('nothing selected', 'error');
			return undefined;
		}

		const pods = livePodNames(selectComponentPods(screen, component.key));
		if (pods.length === 0) {
			say(`${component.name} has no pod left to delete`, 'error');
			return undefined;
		}

		return {component, pods};
	};

	return {
		getState: () => state,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		deletePod(options = {}) {
			if (!mayAct()) {
				return;
			}

			const row = selectedPod();
			if (row) {
				ask(deletePodRequest(row.component, row.entry.pod), options.alwaysAsk);
			}
		},
		deleteComponent() {
			if (!mayAct()) {
				return;
			}

			const selected = selectedComponentPods();
			if (!selected) {
				return;
			}

			const {component, pods} = selected;
			const choices = componentChoices(component, pods, lab.nodeActor && deps.config.nodeStop ? deps.config.nodeStop.forMs : undefined);
			const stopStatic = (): ActionRequest | undefined => {
				// The selected pod's node, else the first pod's: a static pod is stopped on one node.
				const row = selectSelectedRow(deps.screen());
				const live = selectComponentPods(deps.screen(), component.key).filter(entry => entry.goneAt === undefined && !entry.terminating);
				const entry = (row?.type === 'pod' && live.find(candidate => candidate.name === row.entry.name)) || live[0];
				const node = entry?.pod.spec?.nodeName;
				return entry && node ? {kind: 'stop-static-pod', component, node, pod: entry.name, forMs: deps.config.nodeStop!.forMs} : undefined;
			};

			const requestFor = (value: ComponentChoice['value']): ActionRequest => {
				const owner = lab.view.owner(component.kind, component.name);
				return value === 'workload' && owner && isWorkloadKind(component.kind)
					? {kind: 'delete-workload', component, workloadKind: component.kind, pods}
					: {kind: 'delete-pods', component, pods};
			};

			if (choices.length === 1) {
				ask(requestFor('pods'));
				return;
			}

			menu(`delete ${component.name}: what goes? (↑/↓ Enter, Esc cancels)`, choices, value => {
				if (value === 'stop') {
					const request = stopStatic();
					if (request) {
						ask(request);
					} else {
						say(`${component.name} has no live pod on a node`, 'error');
					}

					return;
				}

				if (value === 'workload' && !lab.view.owner(component.kind, component.name)) {
					say(`${component.kind.toLowerCase()}/${component.name} is not there (any more)`, 'error');
					return;
				}

				ask(requestFor(value as ComponentChoice['value']));
			});
		},
		killContainer() {
			if (!mayAct()) {
				return;
			}

			const row = selectedPod();
			if (!row) {
				return;
			}

			const containers = containerNames(row.entry.pod);
			const request = (container?: string): ActionRequest => ({kind: 'kill-container', component: row.component, pod: row.entry.name, container});
			if (containers.length <= 1) {
				ask(request(containers[0]));
				return;
			}

			menu(`kill 1 in which container of ${row.entry.name}? (↑/↓ Enter, Esc cancels)`, containers.map(name => ({label: name, value: name})), container => {
				ask(request(container));
			});
		},
		hammer() {
			if (!mayAct()) {
				return;
			}

			const selected = selectedComponentPods();
			if (selected) {
				ask({kind: 'hammer', component: selected.component, pods: selected.pods, forMs: deps.config.hammerForMs});
			}
		},
		async stopKubelet() {
			if (!mayAct()) {
				return;
			}

			const row = selectedPod();
			if (!row) {
				return;
			}

			const node = row.entry.pod.spec?.nodeName;
			if (!node) {
				say(`${row.entry.name} is not on a node yet`, 'error');
				return;
			}

			if (!lab.nodeActor || !deps.config.nodeStop) {
				say('node experiments are not available here', 'error');
				return;
			}

			let podsOnNode: Array<{namespace: string; name: string}>;
			try {
				podsOnNode = await lab.nodeActor.podsOnNode(node);
			} catch (error) {
				say(error instanceof Error ? error.message : String(error), 'error');
				return;
			}

			// Keys that came meanwhile may have opened something else: ask only on a quiet screen.
			if (state.prompt || state.running) {
				return;
			}

			ask({kind: 'stop-kubelet', component: row.component, node, forMs: deps.config.nodeStop.forMs, podsOnNode, appNamespace: deps.config.appNamespace ?? 'default'});
		},
		toggleTimeline() {
			if (!state.running && !state.last) {
				say('no experiment yet: the timeline opens for the running or the last one');
				return;
			}

			set({timelineOpen: !state.timelineOpen});
		},
		async exportSession() {
			const {records} = state;
			if (records.length === 0) {
				say(state.running ? 'nothing to write yet: the running experiment is not over' : 'nothing to write yet: no experiment has finished');
				return;
			}

			const {cwd, files} = deps.reports;
			try {
				const base = await writeSessionReport([...records], clock.now(), cwd, files);
				// The names first: on a narrow terminal the directory is what gets cut.
				say(`${records.length} experiment${records.length === 1 ? '' : 's'} written: ${path.basename(base)}.md, .json, .svg and .html in ${cwd}`);
			} catch (error) {
				say(`could not write the report: ${error instanceof Error ? error.message : String(error)}`, 'error');
			}
		},
		questionDrawn() {
			const {prompt} = state;
			if (prompt?.type === 'question' && !prompt.drawn) {
				set({prompt: {...prompt, drawn: true}});
			}
		},
		captureInput(input, key, together = false) {
			const {prompt} = state;
			if (key.ctrl && input === 'c') {
				// Ctrl-C quits, whatever is open.
				return false;
			}

			if (prompt?.type === 'question') {
				set({prompt: undefined});
				// Only y pressed by itself, after the question was on screen, with no Ctrl or Alt.
				if (together) {
					say('cancelled: keys that arrive together (a paste, keys typed ahead) never answer; press y by itself');
				} else if (!prompt.drawn) {
					say('cancelled: a key pressed before the question was on screen never answers it');
				} else if ((input === 'y' || input === 'Y') && !key.ctrl && !key.meta) {
					start(prompt.request);
				} else {
					say('cancelled');
				}

				return true;
			}

			if (prompt?.type === 'menu') {
				// Nothing else may act while the menu is open.
				const count = prompt.items.length;
				if (key.escape || input === 'q') {
					set({prompt: undefined});
					say('cancelled');
				} else if (key.upArrow || input === 'k') {
					set({prompt: {...prompt, index: (prompt.index - 1 + count) % count}});
				} else if (key.downArrow || input === 'j') {
					set({prompt: {...prompt, index: (prompt.index + 1) % count}});
				} else if (key.return) {
					prompt.choose(prompt.items[prompt.index]!.value);
				} else if (/^[1-9]$/.test(input) && Number(input) <= count) {
					prompt.choose(prompt.items[Number(input) - 1]!.value);
				}

				return true;
			}

			if (state.timelineOpen && (key.escape || (input === 't' && !key.ctrl && !key.meta))) {
				set({timelineOpen: false});
				return true;
			}

			return false;
		},
		dispose() {
			abort.abort();
			messageTimer?.cancel();
			listeners.clear();
		},
	};
}

/** The result of the last experiment, for the banner. */
export function lastResult(state: ExperimentsState): string | undefined {
	return state.last ? resultLine(state.last) : undefined;
}
