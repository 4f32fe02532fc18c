// The package as a user gets it: `npm pack` builds dist (prepack) and packs it, the tarball
// installs into an empty prefix from the npm cache, and the installed commands run from a
// directory outside the repository: `knockdown`, and `kubectl knockdown` (kubectl finds
// plugins as executables named kubectl-NAME on the PATH).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {kubectlBinary} from './helpers/kubectl.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

type Result = {code: number; stdout: string; stderr: string};

async function command(file: string, args: string[], options: {cwd: string; env?: NodeJS.ProcessEnv; timeout: number}): Promise<Result> {
	try {
		const {stdout, stderr} = await run(file, args, {...options, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024});
		return {code: 0, stdout, stderr};
	} catch (error) {
		const failed = error as {code?: number | string; stdout?: string; stderr?: string; message: string};
		if (typeof failed.code !== 'number') {
			throw error;
		}

		return {code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? ''};
	}
}

test('npm pack builds a package that installs and runs as knockdown and as kubectl knockdown, outside the repository', async () => {
	assert.ok(kubectlBinary, 'kubectl is not on the PATH: this test runs `kubectl knockdown`; install kubectl (https://kubernetes.io/docs/tasks/tools/)');
	const work = mkdtempSync(path.join(tmpdir(), 'knockdown-pack-'));
	try {
		const {version} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string};
		const packed = await command(npm, ['pack', '--json', '--pack-destination', work], {cwd: root, timeout: 300_000});
		assert.equal(packed.code, 0, `npm pack failed:\n${packed.stderr}`);
		const [tarball] = JSON.parse(packed.stdout) as Array<{filename: string; files: Array<{path: string}>}>;
		const files = tarball.files.map(file => file.path);
		for (const needed of ['LICENSE', 'README.md', 'package.json', 'dist/cli.js', 'docs/measurement.md']) {
			assert.ok(files.includes(needed), `the package holds ${needed}`);
		}

		assert.deepEqual(files.filter(file => file.startsWith('source/') || file.startsWith('test/')), [], 'no sources or tests in the package');

		const prefix = path.join(work, 'prefix');
		const installed = await command(npm, ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', path.join(work, tarball.filename)], {cwd: work, timeout: 300_000});
		assert.equal(installed.code, 0, `npm install of the tarball failed:\n${installed.stderr}`);

		// Only the prefix's bin and where node and kubectl live: nothing of the repository.
		const bin = path.join(prefix, 'bin');
		const outside = mkdtempSync(path.join(tmpdir(), 'knockdown-user-'));
		const env = {...process.env, PATH: [bin, ...(process.env.PATH ?? '').split(path.delimiter)].join(path.delimiter), KUBECONFIG: path.join(outside, 'no-kubeconfig')};
		const [versionRun, kill, plugin] = await Promise.all([
			command(path.join(bin, 'knockdown'), ['--version'], {cwd: outside, env, timeout: 60_000}),
			command(path.join(bin, 'knockdown'), ['kill', 'kube-dns', '--demo', '--json'], {cwd: outside, env, timeout: 120_000}),
			command('kubectl', ['knockdown', '--help'], {cwd: outside, env, timeout: 60_000}),
		]);
		rmSync(outside, {recursive: true, force: true});

		assert.equal(versionRun.code, 0, versionRun.stderr);
		assert.equal(versionRun.stdout.trim(), version);

		assert.equal(kill.code, 0, `knockdown kill kube-dns --demo --json: ${kill.stderr}`);
		const report = JSON.parse(kill.stdout) as {schema: string; component: string; ending: string; victims: unknown[]; recoveredMs: number | null};
		assert.equal(report.schema, 'knockdown.experiment/v1');
		assert.equal(report.component, 'kube-dns');
		assert.equal(report.ending, 'settled');
		assert.equal(report.victims.length, 2);
		assert.equal(typeof report.recoveredMs, 'number');

		assert.equal(plugin.code, 0, `kubectl knockdown --help: ${plugin.stderr}`);
		assert.match(plugin.stdout, /\$ knockdown kill <component>/);
		assert.match(plugin.stdout, /\$ kubectl knockdown/);
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
});
