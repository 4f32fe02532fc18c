// What the composition root (commands/ui.tsx) hands the live screen: the flags, the store the
// watches feed, the lab the experiments run on, the one Clock, and where `e` writes. A file of
// its own so the feature hooks and extensions.tsx, which merges them, import it and not each other.
import type {Config} from '../config/config.js';
import type {Connection} from '../kube/connect.js';
import type {ConnectedLab} from '../lab/lab.js';
import type {NewFiles} from '../report/session-files.js';
import type {Clock} from '../time/clock.js';
import type {TerminalSize} from './layout.js';
import type {ScreenStore} from './screen-store.js';
import type {Theme} from './theme.js';

export type ScreenContext = {
	config: Config;
	/** The cluster's connection (contextName, server), for the header and the questions. */
	connection: Connection;
	/** The screen's state: selectors (selectSelectedRow, selectSelectedComponent, selectComponentPods) read it. */
	store: ScreenStore;
	/** Fed by the same watches as the store; its probes (already started) are the ones the health panel draws and the experiments measure with. */
	lab: Pick<ConnectedLab, 'view' | 'nodeActor' | 'monitor' | 'startExperiment' | 'startNodeExperiment'>;
	/** The one source of time for the store, the experiments' controller and the hooks' redraws. */
	clock: Clock;
	/** Where `e` writes the session report (the command's working directory). */
	reports: {cwd: string; files: NewFiles};
	theme?: Theme;
	/** The App's fixed size, when it has one (tests); else the terminal's. */
	size?: TerminalSize;
};
