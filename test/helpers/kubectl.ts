// Drive the machine's real kubectl against a simulated cluster: the sim's kubeconfig in a
// temp file, KUBECACHEDIR in a temp dir (kubectl caches discovery for hours otherwise), and
// nothing from the user's ~/.kube. Without kubectl these tests fail with a sentence saying
// how to install it: they never skip, so a machine without it cannot pass by testing less.
import {execFile, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

function findKubectl(): string | undefined {
	const result = spawnSync('kubectl', ['version', '--client'], {encoding: 'utf8'});
	return result.status === 0 ? 'kubectl' : undefined;
}

export const kubectlBinary = findKubectl();

const kubectlMissing = 'kubectl is not on PATH: these tests drive the real kubectl against the simulator; install kubectl 1.32 (https://kubernetes.io/docs/tasks/tools/)';

export type KubectlResult = {code: number; stdout: string; stderr: string};

export type KubectlStream = {
	readonly lines: string[];
	readonly stderr: () => string;
	/** Resolve with the first stdout line (seen so far or later) that matches, or reject after timeoutMs. */
	waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
	stop(): Promise<void>;
	/** Resolves with the exit code when kubectl exits (by itself or by stop()). */
	readonly exited: Promise<number | null>;
	readonly process: ChildProcess;
};

export type Kubectl = {
	readonly kubeconfigPath: string;
	readonly env: NodeJS.ProcessEnv;
	run(args: string[], options?: {timeoutMs?: number}): Promise<KubectlResult>;
	/** A long-running kubectl (get -w), its stdout collected line by line. */
	stream(args: string[]): KubectlStream;
	/** Stop any streams still running and remove the temp files. */
	cleanup(): Promise<void>;
};

export function kubectlFor(kubeconfig: string): Kubectl {
	if (!kubectlBinary) {
		throw new Error(kubectlMissing);
	}

	const directory = mkdtempSync(path.join(tmpdir(), 'knockdown-kubectl-'));
	const kubeconfigPath = path.join(directory, 'kubeconfig.yaml');
	writeFileSync(kubeconfigPath, kubeconfig);
	const env: NodeJS.ProcessEnv = {...process.env, KUBECONFIG: kubeconfigPath, KUBECACHEDIR: path.join(directory, 'cache'), HOME: directory};
	const streams = new Set<KubectlStream>();
	return {
		kubeconfigPath,
		env,
		run(args, options = {}) {
			return new Promise(resolve => {
				execFile(kubectlBinary ?? 'kubectl', args, {env, timeout: options.timeoutMs ?? 30_000, maxBuffer: 256 * 1024 * 1024}, (error, stdout, stderr) => {
					const code = error ? (typeof (error as any).code === 'number' ? (error as any).code : 1) : 0;
					resolve({code, stdout, stderr});
				});
			});
		},
		stream(args) {
			const child = spawn(kubectlBinary ?? 'kubectl', args, {env, stdio: ['ignore', 'pipe', 'pipe']});
			const lines: string[] = [];
			let stderr = '';
			let partial = '';
			const waiters = new Set<() => void>();
			child.stdout!.setEncoding('utf8');
			child.stdout!.on('data', (chunk: string) => {
				partial += chunk;
				const parts = partial.split('\n');
				partial = parts.pop()!;
				lines.push(...parts);
				for (const wake of waiters) {
					wake();
				}
			});
			child.stderr!.setEncoding('utf8');
			child.stderr!.on('data', (chunk: string) => {
				stderr += chunk;
			});
			const exited = new Promise<number | null>(resolve => {
				child.on('exit', code => resolve(code));
			});
			const stream: KubectlStream = {
				lines,
				stderr: () => stderr,
				process: child,
				exited,
				waitForLine(match, timeoutMs = 15_000) {
					return new Promise((resolve, reject) => {
						let index = 0;
						const check = () => {
							for (; index < lines.length; index++) {
								if (match(lines[index])) {
									done();
									resolve(lines[index]);
									return;
								}
							}
						};

						const timer = setTimeout(() => {
							done();
							reject(new Error(`no matching line within ${timeoutMs} ms; got:\n${lines.join('\n')}\nstderr:\n${stderr}`));
						}, timeoutMs);
						const done = () => {
							clearTimeout(timer);
							waiters.delete(check);
						};

						waiters.add(check);
						check();
					});
				},
				async stop() {
					if (child.exitCode === null && child.signalCode === null) {
						child.kill('SIGTERM');
					}

					await exited;
					streams.delete(stream);
				},
			};
			streams.add(stream);
			return stream;
		},
		async cleanup() {
			await Promise.all([...streams].map(stream => stream.stop()));
			rmSync(directory, {recursive: true, force: true});
		},
	};
}

/** Split a kubectl table into rows of cells (columns separated by 2+ spaces), header first. */
export function parseTable(text: string): string[][] {
	return text
		.split('\n')
		.filter(line => line.trim() !== '')
		.map(line => line.trim().split(/\s{2,}/));
}
