// `knockdown sim`: one ready line, the kubeconfig written, a clean stop on SIGTERM, and one
// clear line when the port is taken.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import {createServer, type AddressInfo} from 'node:net';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {buildConfig} from '../../../source/config/config.js';
import {runCommand} from '../../../source/commands/run.js';
import {captureIo} from '../../helpers/command-io.js';
import {kubectlFor} from '../../helpers/kubectl.js';
import {eventually} from '../../helpers/sim.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

test('knockdown sim prints one ready line, writes the kubeconfig, serves kubectl and stops with the signal', async () => {
	const io = captureIo();
	const config = buildConfig(['sim'], {port: 0, speed: 20, writeKubeconfig: 'sim.yaml'});
	const running = runCommand(config, io);
	const line = await eventually(() => io.out().match(/^sim listening on (http:\/\/127\.0\.0\.1:\d+)\n$/), 'the ready line');
	const kubeconfig = readFileSync(path.join(io.cwd, 'sim.yaml'), 'utf8');
	assert.match(kubeconfig, new RegExp(`server: ${line[1]}$`, 'm'));
	assert.match(kubeconfig, /^current-context: knockdown-sim$/m);
	assert.doesNotMatch(kubeconfig, /namespace:/);
	const kubectl = kubectlFor(kubeconfig);
	try {
		const nodes = await kubectl.run(['get', 'nodes', '-o', 'name']);
		assert.equal(nodes.stdout.trim().split('\n').length, 3, nodes.stderr);
		const context = await kubectl.run(['config', 'current-context']);
		assert.equal(context.stdout.trim(), 'knockdown-sim');
	} finally {
		await kubectl.cleanup();
	}

	io.abort();
	assert.equal(await running, 0);
	assert.equal(io.err(), '');
	await assert.rejects(fetch(`${line[1]}/version`));
	rmSync(io.cwd, {recursive: true, force: true});
});

test('a port in use is one clear line and exit code 2', async () => {
	const blocker = createServer();
	await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
	const {port} = blocker.address() as AddressInfo;
	try {
		const io = captureIo();
		const code = await runCommand(buildConfig(['sim'], {port}), io);
		assert.equal(code, 2);
		assert.equal(io.err(), `knockdown: port ${port} on 127.0.0.1 is already in use (pick another with --port, or --port 0 for a free one)\n`);
		assert.equal(io.out(), '');
	} finally {
		blocker.close();
	}
});

test('the real CLI: exactly one line on stdout, exit 0 on SIGTERM', async () => {
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'source/cli.tsx'), 'sim', '--port', '0', '--speed', '20'], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']});
	let out = '';
	let err = '';
	child.stdout.on('data', chunk => {
		out += String(chunk);
	});
	child.stderr.on('data', chunk => {
		err += String(chunk);
	});
	const exited = new Promise<number | null>(resolve => {
		child.on('exit', code => resolve(code));
	});
	try {
		await eventually(() => out.includes('\n'), 'the ready line', 20_000);
		assert.match(out, /^sim listening on http:\/\/127\.0\.0\.1:\d+\n$/);
		child.kill('SIGTERM');
		assert.equal(await exited, 0, err);
		assert.equal(out.split('\n').filter(Boolean).length, 1);
	} finally {
		child.kill('SIGKILL');
	}
});
