// The live screen with every feature plugged in (source/ui/screen.tsx, what runUi renders),
// fed as runUi feeds it (one lab, whose watches feed the store too, probing from the start),
// on a simulated cluster, with a fixed size and a working directory of the test's choosing.
import React from 'react';
import {render} from 'ink-testing-library';
import {buildConfig, type RawFlags} from '../../source/config/config.js';
import {newFilesOnDisk} from '../../source/commands/output.js';
import {connectionFromString} from '../../source/kube/connect.js';
import {connectLab} from '../../source/lab/lab.js';
import {selectRows} from '../../source/model/screen.js';
import type {SimHandle} from '../../source/sim/sim-handle.js';
import {systemClock} from '../../source/time/clock.js';
import type {ScreenContext} from '../../source/ui/screen-context.js';
import type {TerminalSize} from '../../source/ui/layout.js';
import {Screen} from '../../source/ui/screen.js';
import {createScreenStore} from '../../source/ui/screen-store.js';
import {makeTheme} from '../../source/ui/theme.js';
import {plain} from '../helpers/frame.js';

export type TestScreen = {
	app: ReturnType<typeof render>;
	context: ScreenContext;
	/** Put the selection on a row: `component:deployment/kube-dns` or a pod's name. */
	select(what: string): void;
	stop(): Promise<void>;
};

/**
 * Probe timing for the simulator's speed 20 (every 100 ms, as the engine tests; a timeout of 1.5 s
 * so a loaded test machine does not fail healthy probes), a settle time of 300 ms: an experiment on kube-dns is over in a few seconds.
 */
export function openExperimentScreen(sim: SimHandle, flags: RawFlags = {}, options: {size?: TerminalSize; cwd?: string} = {}): TestScreen {
	const config = buildConfig([], {demo: true, probeInterval: '100ms', probeTimeout: '1500ms', settle: '300ms', timeout: '30s', hammerFor: '2s', ...flags});
	const connection = connectionFromString(sim.kubeconfig);
	const clock = systemClock();
	const store = createScreenStore({clock});
	const lab = connectLab(connection, config, {clock, onUpdate: update => store.feed(update), watch: {backoff: {initialMs: 100, maxMs: 400}}});
	store.start();
	lab.startProbing();
	const context: ScreenContext = {
		config,
		connection,
		store,
		lab,
		clock,
		reports: {cwd: options.cwd ?? process.cwd(), files: newFilesOnDisk},
		theme: makeTheme(true),
		size: options.size ?? {columns: 160, rows: 50},
	};
	const app = render(<Screen context={context} onQuit={() => {}}/>);
	return {
		app,
		context,
		select(what) {
			const rows = selectRows(store.getState());
			const row = rows.find(candidate => candidate.key === what || (candidate.type === 'pod' && candidate.entry.name === what));
			if (!row) {
				throw new Error(`no row ${what} on screen:\n${plain(app.lastFrame())}`);
			}

			store.dispatch({type: 'select', key: row.key});
		},
		async stop() {
			app.unmount();
			store.stop();
			await lab.close();
		},
	};
}
