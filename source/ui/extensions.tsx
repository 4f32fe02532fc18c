// The seam where later features join the live screen without changing it: the guestbook
// health panel (issue 4) and the delete keys, confirmation line and experiment banner
// (issue 5). Each provides a hook returning ScreenExtensions; useScreenExtensions merges them.
// Hooks, so a feature can hold React state (a question being asked, probe results) and
// clean up (its timers) when the screen unmounts on quit. What they act on (the lab, the
// store, the clock) comes in the ScreenContext (screen-context.ts) from the composition root.
import type {ScreenExtensions} from './app.js';
import type {ScreenContext} from './screen-context.js';
import {useExperiments} from './use-experiments.js';
import {useHealthPanel} from './use-health-panel.js';

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
	// The lab's one monitor: the panel shows the probes the experiments measure their outage windows with.
	const health = useHealthPanel(context);
	const experiments = useExperiments(context);
	return mergeExtensions(experiments, health);
}
