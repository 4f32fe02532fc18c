import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {openTerminal} from './helpers/terminal.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function knockdown(...args: string[]) {
	const result = spawnSync(process.execPath, ['--import', 'tsx', 'source/cli.tsx', ...args], {cwd: root, encoding: 'utf8', timeout: 30_000, env: {...process.env, KUBECONFIG: '/nonexistent/kubeconfig'}});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

test('--help prints the usage with every command', () => {
	const {code, stdout} = knockdown('--help');
	assert.equal(code, 0);
	for (const command of ['knockdown --demo', 'knockdown kill <component>', 'knockdown sweep', 'knockdown sim', 'knockdown guestbook install']) {
		assert.ok(stdout.includes(command), `usage mentions ${command}`);
	}
});

test('an unknown flag is one line on stderr and exit code 2', () => {
	const {code, stderr} = knockdown('--frobnicate');
	assert.equal(code, 2);
	assert.equal(stderr.trim(), 'knockdown: unknown flag --frobnicate (see knockdown --help)');
});

test('an unknown command is one line on stderr and exit code 2', () => {
	const {code, stderr} = knockdown('explode');
	assert.equal(code, 2);
	assert.match(stderr.trim(), /^knockdown: unknown command "explode" \(commands: .*\)$/);
});

test('a missing kubeconfig is one sentence and exit code 2, not a stack trace', () => {
	const {code, stderr} = knockdown('kill', 'kube-dns', '--kubeconfig', '/nonexistent/config');
	assert.equal(code, 2);
	assert.equal(stderr.trim().split('\n').length, 1);
	assert.match(stderr, /kubeconfig \/nonexistent\/config does not exist/);
});

test('an unreachable API server is one sentence and exit code 2 at once, and nothing is deleted', () => {
	const folder = mkdtempSync(path.join(tmpdir(), 'knockdown-cli-'));
	try {
		const file = path.join(folder, 'kubeconfig');
		// Port 1 on loopback: nothing listens there, so the connection is refused at once.
		writeFileSync(file, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}]
current-context: ctx
`);
		const {code, stderr} = knockdown('kill', 'kube-dns', '--kubeconfig', file);
		assert.equal(code, 2);
		assert.equal(stderr.trim(), 'knockdown: cannot reach the API server http://127.0.0.1:1 (context ctx): connection refused');
	} finally {
		rmSync(folder, {recursive: true, force: true});
	}
});

test('-h is --help, also after a command, and the usage documents the short flags and --readonly', () => {
	const long = knockdown('--help');
	for (const args of [['-h'], ['kill', 'kube-dns', '-h']]) {
		const short = knockdown(...args);
		assert.equal(short.code, 0, `knockdown ${args.join(' ')}: ${short.stderr}`);
		assert.equal(short.stdout, long.stdout);
	}

	for (const documented of ['-h, --help', '-v, --version', '-n, --namespace NS', '-y, --yes', '--readonly', 'kubectl knockdown']) {
		assert.ok(long.stdout.includes(documented), `usage mentions ${documented}`);
	}
});

test('-v and --version print the package version', () => {
	const {version} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string};
	for (const flag of ['-v', '--version']) {
		const {code, stdout} = knockdown(flag);
		assert.equal(code, 0);
		assert.equal(stdout.trim(), version);
	}
});

test('-n sets the namespace, and -n without a value is one line and exit code 2', () => {
	const other = knockdown('kill', 'kube-dns', '--demo', '-n', 'default');
	assert.equal(other.code, 2);
	assert.match(other.stderr.trim(), /^knockdown: unknown component "kube-dns" in default \(known: .*frontend.*\)$/);
	const empty = knockdown('kill', 'kube-dns', '-n');
	assert.equal(empty.code, 2);
	assert.equal(empty.stderr.trim(), 'knockdown: -n/--namespace needs a value');
});

test('--readonly (as k9s spells it) is --read-only: the screen says so and d deletes nothing', async () => {
	const terminal = openTerminal([process.execPath, '--import', 'tsx', 'source/cli.tsx', '--demo', '--readonly'], {cwd: root});
	try {
		await terminal.waitFor('● live', 'the live pod list');
		assert.ok(terminal.text().includes('[read-only]'), 'the header says [read-only]');
		let from = terminal.text().length;
		terminal.press('j');
		await terminal.waitFor(/› +event-exporter-v\S*-[a-z\d]{5} /, 'the first pod selected', {from});
		from = terminal.text().length;
		terminal.press('d');
		await terminal.waitFor('read-only: actions are off', 'the read-only message', {from});
		assert.ok(!terminal.text().slice(from).includes('pod deleted'), 'no experiment started');
		terminal.press('q');
		assert.equal(await terminal.exited, 0);
	} finally {
		await terminal.close();
	}
});

test('-y is --yes: d deletes the selected pod without asking (drawn on a terminal even where CI=true)', async () => {
	// Ink alone would draw nothing until exit where CI is set: a debug shell in a CI job.
	const terminal = openTerminal([process.execPath, '--import', 'tsx', 'source/cli.tsx', '--demo', '-y'], {cwd: root, env: {CI: 'true'}});
	try {
		await terminal.waitFor('● live', 'the live pod list');
		let from = terminal.text().length;
		terminal.press('j');
		await terminal.waitFor(/› +event-exporter-v\S*-[a-z\d]{5} /, 'the first pod selected', {from});
		from = terminal.text().length;
		terminal.press('d');
		await terminal.waitFor('▶ event-exporter-v0.2.3 · t0', 'the experiment banner', {from});
		assert.ok(!terminal.text().slice(from).includes(' y/N'), 'no question was asked');
		terminal.press('q');
		assert.equal(await terminal.exited, 0);
	} finally {
		await terminal.close();
	}
});
