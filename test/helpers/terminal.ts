// knockdown in a real pseudo-terminal, as a person starts it: `script` (util-linux) gives the
// process a TTY of a chosen size, so the live screen runs with raw keys exactly as in a
// terminal. Keys are written one at a time; waits are on what the screen printed.
import {spawn} from 'node:child_process';
import {plain} from './frame.js';

export type Terminal = {
	/** Everything printed so far, colour and cursor codes removed. */
	text(): string;
	/** Resolve when `pattern` appears in what was printed after `from` (a text().length); reject after timeoutMs showing the screen. */
	waitFor(pattern: string | RegExp, what: string, options?: {from?: number; timeoutMs?: number}): Promise<void>;
	press(key: string): void;
	/** The exit code, once the program has exited. */
	readonly exited: Promise<number | null>;
	close(): Promise<void>;
};

const quote = (word: string) => `'${word.replaceAll('\'', '\'\\\'\'')}'`;

export function openTerminal(command: string[], options: {cwd: string; columns?: number; rows?: number; env?: NodeJS.ProcessEnv}): Terminal {
	const {columns = 120, rows = 40} = options;
	const line = `stty cols ${columns} rows ${rows}; exec ${command.map(word => quote(word)).join(' ')}`;
	const child = spawn('script', ['-qec', line, '/dev/null'], {cwd: options.cwd, env: {...process.env, NO_COLOR: '1', TERM: 'xterm-256color', ...options.env}});
	let raw = '';
	const listeners = new Set<() => void>();
	const onData = (chunk: Buffer) => {
		raw += chunk.toString('utf8');
		for (const listener of listeners) listener();
	};

	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	const exited = new Promise<number | null>((resolve, reject) => {
		child.on('error', error => {
			reject(new Error(`cannot start \`script\` (util-linux) to give the test a terminal: ${error.message}`));
		});
		child.on('exit', code => {
			resolve(code);
			for (const listener of listeners) listener();
		});
	});
	exited.catch(() => undefined);

	const text = () => plain(raw);
	return {
		text,
		async waitFor(pattern, what, {from = 0, timeoutMs = 20_000} = {}) {
			const found = () => {
				const tail = text().slice(from);
				return typeof pattern === 'string' ? tail.includes(pattern) : pattern.test(tail);
			};

			await new Promise<void>((resolve, reject) => {
				const check = () => {
					if (found()) {
						done();
						resolve();
					} else if (child.exitCode !== null) {
						done();
						reject(new Error(`the program exited (${child.exitCode}) before showing ${what}; it printed:\n${text().slice(-3000)}`));
					}
				};

				const timer = setTimeout(() => {
					done();
					reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the end of the screen:\n${text().slice(-3000)}`));
				}, timeoutMs);
				const done = () => {
					clearTimeout(timer);
					listeners.delete(check);
				};

				listeners.add(check);
				check();
			});
		},
		press(key) {
			child.stdin.write(key);
		},
		exited,
		async close() {
			if (child.exitCode === null) {
				child.kill('SIGTERM');
			}

			await exited.catch(() => undefined);
		},
	};
}
