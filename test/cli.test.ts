import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

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
