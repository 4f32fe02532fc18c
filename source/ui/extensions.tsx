// The seam where later features join the live screen without changing it: the guestbook
// health panel (issue 4) and the delete keys, confirmation line and experiment banner
// (issue 5). Each provides a hook returning ScreenExtensions; useScreenExtensions merges them.
// Hooks, so a feature can hold React state (a question being asked, probe results) and
// clean up (stop its probes, its watches) when the screen unmounts on quit.
import type {Config} from '../config/config.js';
import type {ClusterView} from '../experiment/cluster-view.js';
import type {Deleter} from '../kube/actions.js';
import type {Connection} from '../kube/connect.js';
import type {ScreenExtensions} from './app.js';
import type {TerminalSize} from './layout.js';
import type {ScreenStore} from './screen-store.js';
import type {Theme} from './theme.js';
import {useExperiments} from './use-experiments.js';
import {useGuestbookMonitor, useHealthPanel} from './use-health-panel.js';

export type ScreenContext = {
	config: Config;
	/** The cluster's connection (kubeConfig, contextName, server): the probes and the default deleter use it. */
	connection: Connection;
	/** The screen's state: selectors (selectSelectedRow, selectSelectedComponent, selectComponentPods) read it. */
	store: ScreenStore;
	/** The same watches as the store, as the experiment engine reads them (t0's pods, victims, replacements). */
	view: ClusterView;
	/** Where `e` writes the session report (the command's working directory). */
	cwd: string;
	theme?: Theme;
	/** The App's fixed size, when it has one (tests); else the terminal's. */
	size?: TerminalSize;
	/** The actions; default kubeDeleter over the connection, bound to config.namespace. */
	deleter?: Deleter;
};

/** Keys concatenate; the first feature that takes a key, shows a banner, status line or panel wins. */
export function mergeExtensions(...parts: ScreenExtensions[]): ScreenExtensions {
	const captures = parts.map(part => part.captureInput).filter(capture => capture !== undefined);
	return {
		bindings: parts.flatMap(part => part.bindings ?? []),
		captureInput: captures.length === 0 ? undefined : (input, key, together) => captures.some(capture => capture(input, key, together)),
		banner: parts.find(part => part.banner)?.banner,
		statusLine: parts.find(part => part.statusLine !== undefined && part.statusLine !== null)?.statusLine,
		sidePanel: parts.find(part => part.sidePanel)?.sidePanel,
	};
}

/** Every feature's extensions. Add a feature: call its hook here and merge the result. */
export function useScreenExtensions(context: ScreenContext): ScreenExtensions {
	// One monitor: the panel shows the probes the experiments measure their outage windows with.
	const monitor = useGuestbookMonitor(context);
	const health = useHealthPanel(monitor, context.theme, context.store);
	const experiments = useExperiments(context, monitor);
	return mergeExtensions(experiments, health);
}
