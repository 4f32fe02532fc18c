// The action keys on the live screen (d, D, x, K, H, t, e) and what the screen shows for them:
// the menu and the one-line question, the running experiment's banner (redrawn ten times a
// second so the OUTAGE clock counts), the result that stays, the timeline view and the
// status messages. The logic is in lab/experiment-controller.ts; this hook wires it to React.
import React, {useEffect, useState, useSyncExternalStore} from 'react';
import {Box, Text} from 'ink';
import SelectInput from 'ink-select-input';
import {createExperimentsController, lastResult, type ExperimentsController, type ExperimentsState, type Prompt, type StatusMessage} from '../lab/experiment-controller.js';
import type {Clock} from '../time/clock.js';
import {useScreenState, type ScreenExtensions} from './app.js';
import {bigClockFits, ResultBanner, RunningBanner, runningBannerHeight, TimelineOverlay, timelineHeight} from './experiment-banner.js';
import type {KeyBinding} from './keymap.js';
import type {ScreenContext} from './screen-context.js';
import {clip} from './text-fit.js';
import {makeTheme, type Theme} from './theme.js';
import {useTerminalSize} from './use-terminal-size.js';

/** The banner's clock while an experiment runs. */
const frameMs = 100;

function useExperimentsController(context: ScreenContext): ExperimentsController {
	const [controller] = useState(() => createExperimentsController({
		config: context.config,
		contextName: context.connection.contextName,
		screen: context.store.getState,
		lab: context.lab,
		reports: context.reports,
		clock: context.clock,
	}));
	useEffect(() => () => {
		controller.dispose();
	}, [controller]);
	return controller;
}

/** The clock's now, moving every frameMs while `ticking`. */
function useNow(clock: Clock, ticking: boolean): number {
	const [now, setNow] = useState(() => clock.now());
	useEffect(() => {
		if (!ticking) {
			return;
		}

		setNow(clock.now());
		const timer = clock.every(frameMs, () => setNow(clock.now()));
		return () => timer.cancel();
	}, [clock, ticking]);
	return ticking ? now : clock.now();
}

export function useExperiments(context: ScreenContext): ScreenExtensions {
	const controller = useExperimentsController(context);
	const state = useSyncExternalStore(controller.subscribe, controller.getState, controller.getState);
	const screen = useScreenState(context.store);
	const size = useTerminalSize(context.size);
	const {columns} = size;
	const bigClock = bigClockFits(size, context.config.stage);
	const theme = context.theme ?? makeTheme(false);
	const now = useNow(context.clock, state.running !== undefined);
	// Effects run after the frame that shows the question was committed and handed to Ink to
	// write: a key from then on was pressed with the question on screen.
	const waiting = state.prompt?.type === 'question' && !state.prompt.drawn;
	useEffect(() => {
		if (waiting) {
			controller.questionDrawn();
		}
	}, [waiting, controller]);

	const bindings: KeyBinding[] = [
		{keys: ['d'], label: 'delete', help: 'delete the selected pod (asks first)', run: () => controller.deletePod()},
		{keys: ['Ctrl-D'], label: 'delete', help: 'as d (k9s\' delete key), but asks even with --yes', run: () => controller.deletePod({alwaysAsk: true})},
		{keys: ['D'], label: 'delete all', help: 'delete the selected component: all its pods, or its Deployment/DaemonSet itself (asks first)', run: () => controller.deleteComponent()},
		{keys: ['x'], label: 'kill', help: 'kill 1 in a container of the selected pod: it restarts in place (asks first)', run: () => controller.killContainer()},
		{keys: ['K'], label: 'kubelet', help: `stop the kubelet of the selected pod's node for ${Math.round(context.config.nodeStop.forMs / 1000)} s through a helper pod (asks first, naming the node and what runs on it)`, run: () => {
			void controller.stopKubelet();
		}},
		{keys: ['H'], label: 'hammer', help: `delete the selected component's pods again each time a replacement is Ready, for ${Math.round(context.config.hammerForMs / 1000)} s (asks first)`, run: () => controller.hammer()},
		{keys: ['t'], label: 'timeline', help: 'show the running or last experiment on a time axis (t or Esc closes)', run: () => controller.toggleTimeline()},
		{keys: ['e'], label: 'export', help: 'write this session\'s experiments to knockdown-report-<time>.md and .json', run: () => {
			void controller.exportSession();
		}},
	];

	return {
		bindings,
		captureInput: (input, key, together) => controller.captureInput(input, key, together),
		banner: bannerFor(state, columns, now, theme, context.config.hammerForMs, bigClock),
		// The filter's own line must show while typing one.
		statusLine: screen.view.mode === 'filter' ? undefined : statusFor(state, theme),
	};
}

function bannerFor(state: ExperimentsState, columns: number, now: number, theme: Theme, hammerForMs: number, bigClock: boolean): ScreenExtensions['banner'] {
	const {prompt, running, last} = state;
	if (prompt?.type === 'menu') {
		return {height: 1 + prompt.items.length, node: <Menu prompt={prompt} columns={columns} theme={theme}/>};
	}

	if (prompt?.type === 'question' && prompt.text.length + 6 > columns) {
		// Too long for the status line: the whole question here, the status line keeps `y/N`.
		const height = Math.min(4, Math.ceil((prompt.text.length + 2) / columns));
		return {height, node: <Text wrap="wrap" color={theme.color('warn')}>{`? ${prompt.text}`}</Text>};
	}

	const measured = running?.experiment.state() ?? last?.measurement;
	if (state.timelineOpen && measured) {
		const title = running ? `${running.experiment.plan.component.name} (running)` : lastResult(state) ?? '';
		const height = timelineHeight(measured);
		return {height, node: <TimelineOverlay state={measured} title={title} columns={columns} height={height} now={now} theme={theme}/>};
	}

	if (running) {
		const measurement = running.experiment.state();
		const height = runningBannerHeight(measurement, running.experiment.plan.victims.length, columns, bigClock);
		return {
			height,
			node: (
				<RunningBanner
					state={measurement}
					component={running.experiment.plan.component.name}
					now={now}
					height={height}
					columns={columns}
					hammerForMs={running.request.kind === 'hammer' ? hammerForMs : undefined}
					bigClock={bigClock}
					theme={theme}
				/>
			),
		};
	}

	const result = lastResult(state);
	if (result && last) {
		const height = Math.min(3, Math.ceil((result.length + 30) / columns));
		return {height, node: <ResultBanner line={result} failed={last.measurement.ending?.reason === 'action-failed' || last.measurement.ending?.reason === 'api-server-lost'} height={height} theme={theme}/>};
	}

	return undefined;
}

function Menu({prompt, columns, theme}: {prompt: Extract<Prompt, {type: 'menu'}>; columns: number; theme: Theme}) {
	const items = prompt.items.map(item => ({...item, label: clip(item.label, Math.max(10, columns - 3))}));
	return (
		<Box flexDirection="column">
			<Text bold color={theme.color('warn')} wrap="truncate-end">{prompt.title}</Text>
			{/* Drawn by ink-select-input; its keys come through the screen's one keymap (captureInput), so it is never focused. */}
			<SelectInput key={prompt.index} items={items} initialIndex={prompt.index} isFocused={false}/>
		</Box>
	);
}

function statusFor(state: ExperimentsState, theme: Theme): React.ReactNode {
	const {prompt, message} = state;
	if (prompt?.type === 'question') {
		return (
			<Box>
				<Box flexShrink={1}>
					<Text wrap="truncate-end" color={theme.color('warn')}>{prompt.text}</Text>
				</Box>
				<Box flexShrink={0}>
					<Text bold>{' y/N'}</Text>
				</Box>
			</Box>
		);
	}

	if (prompt?.type === 'menu') {
		return <Text color={theme.color('muted')} wrap="truncate-end">{'↑/↓ or j/k choose · Enter or 1–9 picks · Esc cancels'}</Text>;
	}

	return message ? <MessageLine message={message} theme={theme}/> : undefined;
}

function MessageLine({message, theme}: {message: StatusMessage; theme: Theme}) {
	return <Text wrap="truncate-end" color={theme.color(message.tone === 'error' ? 'bad' : 'accent')}>{message.text}</Text>;
}
