// `knockdown sim --tls --token T`: HTTPS with a CA made at start, 401 Unauthorized worded as a
// real API server words it, client certificates signed by the CA as credentials, and the
// real kubectl working against it with the kubeconfig the command writes.
import assert from 'node:assert/strict';
import {X509Certificate} from 'node:crypto';
import {chmodSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import {test} from 'node:test';
import {buildConfig} from '../../../source/config/config.js';
import {runCommand} from '../../../source/commands/run.js';
import {makeSimCertificates} from '../../../source/sim/server/certificates.js';
import {captureIo} from '../../helpers/command-io.js';
import {kubectlBinary, kubectlFor} from '../../helpers/kubectl.js';
import {eventually, startFakeSim} from '../../helpers/sim.js';

test('the certificates: a CA, a server certificate for the sim\'s addresses and a client certificate, both signed by the CA', () => {
	const certificates = makeSimCertificates('10.1.2.3');
	const ca = new X509Certificate(certificates.ca);
	const server = new X509Certificate(certificates.server.certificate);
	const client = new X509Certificate(certificates.client.certificate);
	assert.equal(ca.ca, true);
	assert.equal(server.ca, false);
	assert.ok(server.verify(ca.publicKey) && server.checkIssued(ca));
	assert.ok(client.verify(ca.publicKey) && client.checkIssued(ca));
	assert.equal(server.checkIP('10.1.2.3'), '10.1.2.3');
	assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
	assert.equal(server.checkIP('::1'), '::1');
	assert.equal(server.checkHost('localhost'), 'localhost');
	assert.equal(server.checkIP('10.1.2.4'), undefined);
	assert.equal(client.subject, 'O=system:masters\nCN=knockdown');
	assert.ok(!server.verify(new X509Certificate(makeSimCertificates('10.1.2.3').ca).publicKey), 'another CA did not sign it');
});

type Answer = {status: number; body: string};

function get(url: string, options: https.RequestOptions): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const request = https.request(url, options, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', chunk => {
				body += chunk;
			});
			response.on('end', () => resolve({status: response.statusCode ?? 0, body}));
		});
		request.on('error', reject);
		request.end();
	});
}

test('--token: the right token or the client certificate gets in; anything else is 401 Unauthorized, as a real API server says it', async () => {
	const sim = await startFakeSim({tls: true, token: 'right'});
	try {
		const {ca, clientCertificate, clientKey} = sim.tls!;
		const pods = `${sim.url}/api/v1/namespaces/kube-system/pods`;
		const unauthorized = {status: 401, body: JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401})};
		assert.equal((await get(pods, {ca, headers: {Authorization: 'Bearer right'}})).status, 200);
		assert.equal((await get(pods, {ca, cert: clientCertificate, key: clientKey})).status, 200);
		assert.deepEqual(await get(pods, {ca, headers: {Authorization: 'Bearer wrong'}}), unauthorized);
		assert.deepEqual(await get(pods, {ca}), unauthorized);
		assert.deepEqual(await get(`${sim.url}/version`, {ca}), unauthorized);
		const stranger = makeSimCertificates('127.0.0.1').client;
		assert.deepEqual(await get(pods, {ca, cert: stranger.certificate, key: stranger.key}), unauthorized, 'a client certificate from another CA');
		const exec = await get(`${pods}/x/exec?command=true`, {ca, headers: {Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ=='}});
		assert.deepEqual(exec, unauthorized, 'exec upgrades are checked too');
		await assert.rejects(get(pods, {headers: {Authorization: 'Bearer right'}}), (error: NodeJS.ErrnoException) => error.code === 'SELF_SIGNED_CERT_IN_CHAIN', 'a client without the CA does not trust the sim');
	} finally {
		await sim.stop();
	}
});

test('knockdown sim --tls --token: the written kubeconfig works for the real kubectl (get, exec); a wrong token, an exec credential plugin', async () => {
	assert.ok(kubectlBinary, 'kubectl is not on PATH: this test drives the real kubectl (install kubectl 1.32)');
	const io = captureIo();
	const running = runCommand(buildConfig(['sim'], {port: 0, speed: 20, tls: true, token: 's3cret', writeKubeconfig: 'sim.yaml'}), io);
	const line = await eventually(() => io.out().match(/^sim listening on (https:\/\/127\.0\.0\.1:\d+)\n$/), 'the ready line');
	const kubeconfig = readFileSync(path.join(io.cwd, 'sim.yaml'), 'utf8');
	assert.match(kubeconfig, new RegExp(`server: ${line[1]}$`, 'm'));
	assert.match(kubeconfig, /^ {4}certificate-authority-data: \S+$/m);
	assert.match(kubeconfig, /^ {4}client-certificate-data: \S+$/m);
	assert.match(kubeconfig, /^ {4}token: "s3cret"$/m);

	const withoutClientCertificate = (token: string) => kubeconfig.replace(/^ {4}client-(certificate|key)-data: .*\n/gm, '').replace(/^ {4}token: .*$/m, `    token: ${token}`);
	const plugin = path.join(io.cwd, 'issue-token');
	writeFileSync(plugin, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"s3cret"}}'\n`);
	chmodSync(plugin, 0o755);
	const withPlugin = kubeconfig.replace(/^ {4}client-(certificate|key)-data: .*\n/gm, '')
		.replace(/^ {4}token: .*$/m, `    exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}`);

	const kubectls = [kubeconfig, withoutClientCertificate('s3cret'), withoutClientCertificate('wrong'), withPlugin].map(text => kubectlFor(text));
	const [written, tokenOnly, wrongToken, pluginToken] = kubectls;
	try {
		const pods = await written.run(['get', 'pods', '-n', 'kube-system']);
		assert.equal(pods.code, 0, pods.stderr);
		assert.match(pods.stdout, /^NAME +READY +STATUS +RESTARTS +AGE$/m);
		assert.match(pods.stdout, /^kube-dns-\S+ +4\/4 +Running /m);

		const frontend = (await written.run(['get', 'pods', '-l', 'app=guestbook', '-o', 'name'])).stdout.trim().split('\n')[0];
		const exec = await written.run(['exec', frontend, '-c', 'php-redis', '--', 'getent', 'hosts', 'redis-follower']);
		assert.equal(exec.code, 0, exec.stderr);
		assert.match(exec.stdout, /redis-follower\.default\.svc\.cluster\.local/);

		for (const [name, kubectl] of [['token only', tokenOnly], ['exec credential plugin', pluginToken]] as const) {
			const nodes = await kubectl.run(['get', 'nodes', '-o', 'name']);
			assert.equal(nodes.code, 0, `${name}: ${nodes.stderr}`);
			assert.equal(nodes.stdout.trim().split('\n').length, 3, name);
		}

		const refused = await wrongToken.run(['get', 'pods', '-n', 'kube-system']);
		assert.equal(refused.code, 1);
		// As against a real cluster: with no discovery cache the first 401 is discovery's, which kubectl words this way.
		assert.match(refused.stderr, /error: You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)/);
	} finally {
		await Promise.all(kubectls.map(kubectl => kubectl.cleanup()));
		io.abort();
	}

	assert.equal(await running, 0);
	assert.equal(io.err(), '');
	rmSync(io.cwd, {recursive: true, force: true});
});
