// The process as a user meets it: signals and their exit codes, and one sentence for each
// wrong setup (a web server that is not Kubernetes, an empty kubeconfig, a current-context
// naming nothing, a screen asked to draw into a file).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {createServer} from 'node:http';
import {mkdtempSync, writeFileSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {runCommand} from '../source/commands/run.js';
import {buildConfig} from '../source/config/config.js';
import {captureIo} from './helpers/command-io.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const folder = mkdtempSync(path.join(tmpdir(), 'knockdown-robust-'));

function kubeconfig(name: string, server: string, currentContext = 'ctx'): string {
	const file = path.join(folder, name);
	writeFileSync(file, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server}"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}]
current-context: ${currentContext}
`);
	return file;
}

async function knockdown(...args: string[]): Promise<{code: number | null; stderr: string}> {
	// Async: the web servers these tests start answer from this process's event loop.
	const child = spawn(process.execPath, ['--import', 'tsx', 'source/cli.tsx', ...args], {cwd: root, env: {...process.env, KUBECONFIG: '/nonexistent/kubeconfig'}});
	let stderr = '';
	child.stderr.on('data', chunk => {
		stderr += String(chunk);
	});
	const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
	return {code, stderr};
}

test('SIGTERM during kill: interrupted, exit 143 (SIGINT: 130)', async () => {
	for (const [signal, expected] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
		const child = spawn(process.execPath, ['--import', 'tsx', 'source/cli.tsx', 'kill', 'kube-dns', '--demo', '--yes'], {cwd: root});
		let stderr = '';
		child.stderr.on('data', chunk => {
			stderr += String(chunk);
		});
		await new Promise<void>(resolve => {
			child.stdout.on('data', chunk => {
				if (String(chunk).includes('knockdown kill')) {
					resolve();
				}
			});
		});
		child.kill(signal);
		const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
		// Before t0 or after it (the warm-up may be over): interrupted either way.
		assert.equal(code, expected, stderr);
	}
});

test('a web server that is not Kubernetes (404 or a page for everything) is named as such, exit 2', async () => {
	for (const answer of [{status: 404, body: 'not found'}, {status: 200, body: '<html>hello</html>'}]) {
		const server = createServer((_request, response) => {
			response.writeHead(answer.status, {'Content-Type': 'text/html'});
			response.end(answer.body);
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		try {
			const {code, stderr} = await knockdown('kill', 'kube-dns', '--yes', '--kubeconfig', kubeconfig('web', url));
			assert.equal(code, 2);
			assert.match(stderr, new RegExp(`^knockdown: ${url} \\(context ctx\\) is not a Kubernetes API server: GET /api (answered 404|did not answer[^\\n]*)\\n$`));
		} finally {
			server.close();
		}
	}
});

test('an empty kubeconfig, and a current-context naming no context: one sentence each, exit 2', () => {
	const empty = path.join(folder, 'empty');
	writeFileSync(empty, '\n');
	for (const [file, message] of [
		[empty, `kubeconfig ${empty} is empty (pass --kubeconfig FILE, or try --demo for the built-in simulated cluster)`],
		[kubeconfig('gone', 'http://127.0.0.1:1', 'gone'), `the current-context "gone" of kubeconfig ${path.join(folder, 'gone')} names a context that is not there (contexts: ctx; pass --context NAME)`],
	] as const) {
		const result = spawnSync(process.execPath, ['--import', 'tsx', 'source/cli.tsx', 'kill', 'kube-dns', '--kubeconfig', file], {cwd: root, encoding: 'utf8', timeout: 30_000});
		assert.equal(result.status, 2);
		assert.equal(result.stderr, `knockdown: ${message}\n`);
	}
});

test('the screen with stdout not a terminal (redirected to a file): a sentence pointing to kill and sweep, exit 2', async () => {
	const io = {...captureIo(), stdin: Object.assign(new PassThrough(), {isTTY: true})};
	const code = await runCommand(buildConfig([], {demo: true}), io);
	assert.equal(code, 2);
	assert.equal(io.err(), 'knockdown: the live screen needs a terminal to draw on (stdout is not a TTY, e.g. redirected to a file); for a record use knockdown kill or knockdown sweep\n');
	assert.equal(io.out(), '', 'no screen written into it');
});

test('sim --nodes past the limit is a sentence; SIGTERM while it builds its world ends it at once', async () => {
	const over = await knockdown('sim', '--nodes', '100000');
	assert.equal(over.code, 2);
	assert.match(over.stderr, /^knockdown: --nodes must be a whole number from 1 to 10000/);

	const child = spawn(process.execPath, ['--import', 'tsx', 'source/cli.tsx', 'sim', '--nodes', '5000'], {cwd: root});
	// Nothing shows that the world is being built (it prints only once it listens), so this
	// waits: loading takes about a second, building 5000 nodes several more.
	await new Promise(resolve => setTimeout(resolve, 1500));
	child.kill('SIGTERM');
	// Ended by the signal itself, not by a handler that could run only after the build (exit 0, seconds later).
	const [code, signal] = await new Promise<[number | null, string | null]>(resolve => child.on('exit', (exitCode, how) => resolve([exitCode, how])));
	assert.deepEqual([code, signal], [null, 'SIGTERM']);
});
