// The live screen with every feature plugged in (source/ui/screen.tsx, what runUi renders),
// fed as runUi feeds it (one set of watches for the store and the experiments' ClusterView),
// on a simulated cluster, with a fixed size and a working directory of the test's choosing.
import React from 'react';
import {render} from 'ink-testing-library';
import {buildConfig, type RawFlags} from '../../source/config/config.js';
import {ClusterView} from '../../source/experiment/cluster-view.js';
import {connectionFromString} from '../../source/kube/connect.js';
import {watchPodSource} from '../../source/kube/watch-pod-source.js';
import {selectRows} from '../../source/model/screen.js';
import type {SimHandle} from '../../source/sim/sim-handle.js';
import type {ScreenContext} from '../../source/ui/extensions.js';
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
	const store = createScreenStore();
	const view = new ClusterView(config.namespace);
	const source = watchPodSource(connection, config.namespace, {backoff: {initialMs: 100, maxMs: 400}});
	source.start(update => {
		store.feed(update);
		view.apply(update);
	});
	store.start();
	const context: ScreenContext = {
		config,
		connection,
		store,
		view,
		cwd: options.cwd ?? process.cwd(),
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
			await source.stop();
		},
	};
}
