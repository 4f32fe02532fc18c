// `knockdown` / `knockdown --demo`: the live screen. Checks before taking the terminal (so a
// wrong namespace or a forbidden list is one sentence on stderr, exit 2), then renders the
// Ink app on the alternate screen, fed by the lab's watches, until q / Ctrl-C / SIGTERM; then
// closes the lab (probes, watches) and gives the terminal back as it was.
import type {Config} from '../config/config.js';
import {connectLab} from '../lab/lab.js';
import {systemClock} from '../time/clock.js';
import {carryInkFrameCaches} from '../ui/ink-frame-caches.js';
import {createScreenStore} from '../ui/screen-store.js';
import {makeTheme, noColorFromEnv} from '../ui/theme.js';
import {CommandError, type CommandIo} from './io.js';
import {newFilesOnDisk} from './output.js';
import {openCheckedTarget} from './target.js';

const enterAlternateScreen = '\u001B[?1049h\u001B[H';
const leaveAlternateScreen = '\u001B[?1049l';

export async function runUi(config: Config, io: CommandIo): Promise<number> {
	const stdin = io.stdin as NodeJS.ReadStream;
	const stdout = io.stdout as NodeJS.WriteStream;
	if (!stdin.isTTY) {
		throw new CommandError('the live screen needs a terminal to read keys from (stdin is not a TTY); for scripts use knockdown kill or knockdown sweep', 2);
	}

	if (!stdout.isTTY) {
		throw new CommandError('the live screen needs a terminal to draw on (stdout is not a TTY, e.g. redirected to a file); for a record use knockdown kill or knockdown sweep', 2);
	}

	const target = await openCheckedTarget(config, io);

	// While the screen is up the terminal holds the process; after quit nothing the screen
	// scheduled may (a status message's timer, a redraw).
	const clock = systemClock({unref: true});
	const store = createScreenStore({clock});
	// One lab for the screen and its experiments, as `kill` has: the store draws the same
	// watches the engine reads t0's pods from, the panel the probes the experiments measure with.
	const lab = connectLab(target.connection, config, {clock, onUpdate: update => store.feed(update)});
	store.start();
	lab.startProbing();

	let quit: () => void = () => {};
	const quitRequested = new Promise<void>(resolve => {
		quit = resolve;
	});
	const onAbort = () => quit();
	io.signal.addEventListener('abort', onAbort, {once: true});
	// Ctrl-C while connecting fired before the listener existed: quit as soon as the screen is up.
	if (io.signal.aborted) {
		quit();
	}

	// Ink, React and the screen's components load now, while the first list is on its way
	// (about a third of a second of the first screen's time at 20,000 pods; loaded before the
	// list was sent, they delayed it as long).
	let instance: ReturnType<typeof import('ink').render> | undefined;
	let onAlternateScreen = false;
	try {
		const [{render}, {Screen}] = await Promise.all([import('ink'), import('../ui/screen.js'), carryInkFrameCaches()]);
		stdout.write(enterAlternateScreen);
		onAlternateScreen = true;
		const theme = makeTheme(noColorFromEnv(io.env));
		instance = render(
			<Screen context={{config, connection: target.connection, store, lab, clock, reports: {cwd: io.cwd, files: newFilesOnDisk}, theme}} onQuit={quit}/>,
			{
				stdout,
				stdin,
				stderr: io.stderr as NodeJS.WriteStream,
				// Our own quit path: stop the watches and restore the terminal, not process.exit.
				exitOnCtrlC: false,
				// Nothing may write over the frame; errors go to the status line.
				patchConsole: false,
				// The store publishes at most 30 times a second already; Ink's own throttle on top
				// would add up to another frame of delay, so it only guards against more.
				maxFps: 60,
				// Not incrementalRendering: in Ink 6.8 it moves the cursor up one line too few after
				// a frame that ends in a newline (ours: one line less than the terminal), so every
				// later frame is drawn one line lower and the first line stays stale.
			},
		);
		await Promise.race([quitRequested, instance.waitUntilExit()]);
	} finally {
		// Also when Ink or the screen could not be loaded: the lab and its watches have started.
		io.signal.removeEventListener('abort', onAbort);
		instance?.unmount();
		instance?.cleanup();
		store.stop();
		await lab.close();
		if (onAlternateScreen) {
			stdout.write(leaveAlternateScreen);
		}

		await target.close();
	}

	// Quit by a key: done. Stopped by SIGINT or SIGTERM: interrupted (the caller makes it 130 or 143).
	return io.signal.aborted ? 130 : 0;
}
