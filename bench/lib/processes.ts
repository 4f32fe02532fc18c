// The processes the scale bench measures, each as a person would run it: `knockdown sim` in
// one process, the TUI in another under a pseudo-terminal (util-linux `script`, 160×50),
// and the real kubectl. Also what /proc says about a process (RSS, CPU time).
import {execFile, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const loopProbe = fileURLToPath(new URL('loop-probe.mjs', import.meta.url));

// Whatever happens to the bench, the sim and the TUIs it started do not outlive it.
const children = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of children) {
		child.kill('SIGKILL');
	}
});

function track(child: ChildProcess): ChildProcess {
	children.add(child);
	child.on('exit', () => children.delete(child));
	return child;
}

/** How knockdown is started: the built dist/cli.js (what `npm install -g` runs) or the sources through tsx. */
export type Entry = {args: string[]; label: string};

/** `app`: the checkout whose knockdown is measured (default this one; another, to compare with an older commit). */
export function buildEntry(useTsx: boolean, app = repoRoot): Entry {
	if (useTsx) {
		return {args: ['--import', 'tsx', path.join(app, 'source/cli.tsx')], label: 'tsx source/cli.tsx'};
	}

	const built = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {cwd: app, stdio: 'inherit'});
	if (built.status !== 0 || !existsSync(path.join(app, 'dist/cli.js'))) {
		throw new Error('npm run build failed');
	}

	return {args: [path.join(app, 'dist/cli.js')], label: `node ${path.relative(process.cwd(), path.join(app, 'dist/cli.js')) || 'dist/cli.js'}`};
}

export type SimProcess = {kubeconfigPath: string; url: string; stop(): void};

export async function startSim(entry: Entry, nodes: number, directory: string): Promise<SimProcess> {
	const kubeconfigPath = path.join(directory, `sim-${nodes}.kubeconfig`);
	const child = track(spawn(process.execPath, [...entry.args, 'sim', '--nodes', String(nodes), '--write-kubeconfig', kubeconfigPath], {
		stdio: ['ignore', 'pipe', 'inherit'],
	}));
	const url = await new Promise<string>((resolve, reject) => {
		let text = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			text += chunk.toString();
			const match = /sim listening on (\S+)/.exec(text);
			if (match) {
				resolve(match[1]!);
			}
		});
		child.on('exit', code => reject(new Error(`knockdown sim exited with ${code}`)));
	});
	return {kubeconfigPath, url, stop: () => child.kill('SIGTERM')};
}

/** Wall time of one kubectl run, and how many lines it printed. */
export async function timeKubectl(args: string[], kubeconfigPath: string): Promise<{ms: number; lines: number}> {
	const started = performance.now();
	return new Promise((resolve, reject) => {
		execFile('kubectl', args, {env: {...process.env, KUBECONFIG: kubeconfigPath}, maxBuffer: 1024 ** 3}, (error, stdout) => {
			if (error) {
				reject(error);
				return;
			}

			resolve({ms: performance.now() - started, lines: stdout.split('\n').filter(Boolean).length});
		});
	});
}

// eslint-disable-next-line no-control-regex
const ansi = /\u001B(?:\[[0-9;?]*[ -/]*[@-~]|\][^\u0007]*\u0007|[()][0-9A-Za-z]|[=>78])/g;
/** Ink wraps each frame it writes to a TTY in "begin synchronized update". */
const frameStart = '\u001B[?2026h';

export type Chunk = {at: number; text: string};

export type TuiProcess = {
	startedAt: number;
	/** The node process's pid (not the pseudo-terminal's). */
	pid(): number | undefined;
	/** Frames Ink has written so far. */
	frames(): number;
	/** Bytes the TUI has written to its terminal so far. */
	bytes(): number;
	/** Resolves with the arrival time (epoch ms) of the first output after `since` whose text matches. */
	waitForText(pattern: RegExp, since: number, timeoutMs: number): Promise<number>;
	loopFile: string;
	/** When the first frame arrived (the modules loaded and the screen drawn, the list on its way). */
	firstFrameAt(): number | undefined;
	stop(): Promise<void>;
};

/** The TUI in its own process on a 160×50 pseudo-terminal, its output kept with arrival times. */
export function startTui(entry: Entry, kubeconfigPath: string, flags: string[], directory: string, name: string): TuiProcess {
	const loopFile = path.join(directory, `${name}.loop`);
	const command = ['node', '--import', loopProbe, ...entry.args, '--kubeconfig', kubeconfigPath, ...flags]
		.map(argument => `'${argument.replaceAll('\'', '\'\\\'\'')}'`).join(' ');
	const startedAt = Date.now();
	const child = track(spawn('script', ['-qfec', `stty cols 160 rows 50 && exec ${command}`, '/dev/null'], {
		stdio: ['pipe', 'pipe', 'inherit'],
		env: {...process.env, KNOCKDOWN_BENCH_LOOP_FILE: loopFile, TERM: 'xterm-256color'},
	}));
	let frames = 0;
	let firstFrameAt: number | undefined;
	let bytes = 0;
	// The text since the last frame start, with the tail of the one before (a row split over two reads).
	let tail = '';
	const waiters = new Set<{pattern: RegExp; since: number; resolve(at: number): void}>();
	child.stdout!.on('data', (chunk: Buffer) => {
		const at = Date.now();
		const raw = chunk.toString();
		bytes += chunk.length;
		frames += raw.split(frameStart).length - 1;
		if (frames > 0) {
			firstFrameAt ??= at;
		}

		const text = tail + raw.replaceAll(ansi, '\n');
		tail = text.slice(-400);
		for (const waiter of waiters) {
			if (at >= waiter.since && waiter.pattern.test(text)) {
				waiters.delete(waiter);
				waiter.resolve(at);
			}
		}
	});
	const exited = new Promise<void>(resolve => {
		child.on('exit', () => resolve());
	});
	return {
		startedAt,
		loopFile,
		pid() {
			try {
				const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/);
				return Number(children[0]) || undefined;
			} catch {
				return undefined;
			}
		},
		frames: () => frames,
		firstFrameAt: () => firstFrameAt,
		bytes: () => bytes,
		async waitForText(pattern, since, timeoutMs) {
			return new Promise((resolve, reject) => {
				const waiter = {pattern, since, resolve(at: number) {
					clearTimeout(timer);
					resolve(at);
				}};
				const timer = setTimeout(() => {
					waiters.delete(waiter);
					reject(new Error(`the screen did not show ${pattern} within ${timeoutMs} ms`));
				}, timeoutMs);
				waiters.add(waiter);
			});
		},
		async stop() {
			child.stdin!.write('q');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
		},
	};
}

/** Resident set size, MB. */
export function rssMb(pid: number): number | undefined {
	try {
		const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) / 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** User + system CPU time used so far, ms (from /proc, in clock ticks of 10 ms). */
export function cpuMs(pid: number): number | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return undefined;
	}
}

/**
 * The longest event-loop block the TUI's loop probe saw between two times (epoch ms), and the
 * CPU the process used in the probe interval that saw it (on a loaded machine a long block
 * with little CPU is time spent waiting for a core, not work).
 */
export function loopBlockMaxMs(loopFile: string, from: number, to: number): {blockMs: number; cpuMs: number} | undefined {
	if (!existsSync(loopFile)) {
		return undefined;
	}

	let max: {blockMs: number; cpuMs: number} | undefined;
	for (const line of readFileSync(loopFile, 'utf8').split('\n')) {
		const [at, delay, cpu] = line.split(' ').map(Number);
		// A line covers the 250 ms before it (longer when the loop was blocked).
		if (at !== undefined && delay !== undefined && cpu !== undefined && at >= from && at - delay - 250 <= to && delay > (max?.blockMs ?? -1)) {
			max = {blockMs: delay, cpuMs: cpu};
		}
	}

	return max;
}
