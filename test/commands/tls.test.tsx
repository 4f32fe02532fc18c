// Real clusters speak HTTPS and want credentials: the simulator with --tls and --token, reached
// as a GKE/EKS/AKS user reaches a cluster (a CA in the kubeconfig, a token from an exec
// credential plugin) or as a kind/kubeadm admin does (a client certificate). The screen and
// kill work so; each way it can go wrong is one sentence naming the cause, exit 2, nothing deleted.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import React from 'react';
import {render} from 'ink-testing-library';
import {runCommand} from '../../source/commands/run.js';
import {openCheckedTarget} from '../../source/commands/target.js';
import {buildConfig, type RawFlags} from '../../source/config/config.js';
import {loadConnection} from '../../source/kube/connect.js';
import {checkNamespaceReadable} from '../../source/kube/preflight.js';
import {watchPodSource} from '../../source/kube/watch-pod-source.js';
import {makeSimCertificates} from '../../source/sim/server/certificates.js';
import type {SimHandle} from '../../source/sim/sim-handle.js';
import {App} from '../../source/ui/app.js';
import {createScreenStore} from '../../source/ui/screen-store.js';
import {systemClock} from '../../source/time/clock.js';
import {makeTheme} from '../../source/ui/theme.js';
import {captureIo} from '../helpers/command-io.js';
import {waitForFrame} from '../helpers/frame.js';
import {startTestSim} from '../helpers/sim.js';

const token = 'plugin-issued-token';
const folder = mkdtempSync(path.join(tmpdir(), 'knockdown-tls-'));

/** A credential plugin as GKE's or EKS's: prints an ExecCredential with a token and its expiry. */
function credentialPlugin(name: string, printedToken: string): string {
	const file = path.join(folder, name);
	const credential = {
		apiVersion: 'client.authentication.k8s.io/v1',
		kind: 'ExecCredential',
		status: {token: printedToken, expirationTimestamp: new Date(Date.now() + 3_600_000).toISOString()},
	};
	writeFileSync(file, `#!/bin/sh\ncat <<'JSON'\n${JSON.stringify(credential)}\nJSON\n`);
	chmodSync(file, 0o755);
	return file;
}

function script(name: string, body: string): string {
	const file = path.join(folder, name);
	writeFileSync(file, `#!/bin/sh\n${body}\n`);
	chmodSync(file, 0o755);
	return file;
}

type Cluster = {server: string; ca?: string; tlsServerName?: string};

/** A kubeconfig file of one context `shop` for `cluster`, its user given as YAML lines. */
function kubeconfig(name: string, cluster: Cluster, user: string[]): string {
	const file = path.join(folder, name);
	writeFileSync(file, [
		'apiVersion: v1',
		'kind: Config',
		'clusters:',
		'- name: shop-cluster',
		'  cluster:',
		`    server: ${cluster.server}`,
		...(cluster.ca ? [`    certificate-authority-data: ${Buffer.from(cluster.ca).toString('base64')}`] : []),
		...(cluster.tlsServerName ? [`    tls-server-name: ${cluster.tlsServerName}`] : []),
		'users:',
		'- name: shop-user',
		'  user:',
		...user.map(line => `    ${line}`),
		'contexts:',
		'- name: shop',
		'  context: {cluster: shop-cluster, user: shop-user}',
		'current-context: shop',
		'',
	].join('\n'));
	return file;
}

function execUser(command: string, installHint?: string): string[] {
	return [
		'exec:',
		'  apiVersion: client.authentication.k8s.io/v1',
		`  command: ${JSON.stringify(command)}`,
		'  interactiveMode: Never',
		...(installHint ? [`  installHint: ${JSON.stringify(installHint)}`] : []),
	];
}

function clientCertificateUser(sim: SimHandle): string[] {
	const base64 = (pem: string) => Buffer.from(pem).toString('base64');
	return [`client-certificate-data: ${base64(sim.tls!.clientCertificate)}`, `client-key-data: ${base64(sim.tls!.clientKey)}`];
}

const fast: RawFlags = {probeInterval: '100ms', probeTimeout: '2s', settle: '300ms', timeout: '20s', yes: true};

describe('over HTTPS with --token', () => {
	let sim: SimHandle;
	before(async () => {
		sim = await startTestSim({speed: 20, tls: true, token});
	});
	after(async () => {
		await sim.stop();
	});

	const cluster = () => ({server: sim.url, ca: sim.tls!.ca});

	async function killExpectingRefusal(file: string): Promise<string> {
		const io = captureIo();
		const code = await runCommand(buildConfig(['kill', 'kube-dns'], {...fast, kubeconfig: file}), io);
		assert.equal(code, 2, io.err());
		assert.equal(io.out(), '');
		const lines = io.err().trimEnd().split('\n');
		assert.equal(lines.length, 1, io.err());
		assert.ok(sim.cluster.store.list('pods', 'kube-system').every(pod => !pod.metadata.deletionTimestamp), 'nothing deleted');
		return lines[0];
	}

	test('the sim serves https:// and its kubeconfig trusts its CA', () => {
		assert.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+$/);
		assert.match(sim.kubeconfig, /certificate-authority-data: /);
		assert.doesNotMatch(sim.kubeconfig, /insecure-skip-tls-verify/);
	});

	test('kill with a token from an exec credential plugin: the pod is deleted, replaced, and the probes saw no impact', async () => {
		const file = kubeconfig('plugin.yaml', cluster(), execUser(credentialPlugin('issue-token', token)));
		const io = captureIo();
		const code = await runCommand(buildConfig(['kill', 'fluentd-gcp'], {...fast, kubeconfig: file, json: true, mode: 'pod'}), io);
		assert.equal(code, 0, io.err());
		const json = JSON.parse(io.out()) as {verdict: string; victims: unknown[]; replacements: Array<{readyMs: number | null}>};
		assert.equal(json.verdict, 'no-service-impact');
		assert.equal(json.victims.length, 1);
		assert.ok(json.replacements[0]?.readyMs !== null, 'the replacement became ready');
	});

	test('kill with the client certificate the sim\'s CA signed (no token at all)', async () => {
		const file = kubeconfig('client-cert.yaml', cluster(), clientCertificateUser(sim));
		const io = captureIo();
		const code = await runCommand(buildConfig(['kill', 'fluentd-gcp'], {...fast, kubeconfig: file, json: true, mode: 'pod'}), io);
		assert.equal(code, 0, io.err());
		assert.equal((JSON.parse(io.out()) as {verdict: string}).verdict, 'no-service-impact');
	});

	test('the screen with a token from an exec credential plugin: the pods of kube-system, live', async () => {
		const file = kubeconfig('screen.yaml', cluster(), execUser(credentialPlugin('issue-token-for-screen', token)));
		const config = buildConfig([], {kubeconfig: file});
		const target = await openCheckedTarget(config, captureIo());
		const store = createScreenStore({clock: systemClock()});
		const source = watchPodSource(target.connection, 'kube-system', {backoff: {initialMs: 100, maxMs: 400}});
		source.start(update => store.feed(update));
		store.start();
		const app = render(
			<App
				store={store}
				info={{contextName: target.connection.contextName, server: target.connection.server, namespace: 'kube-system', readOnly: true, demo: false}}
				theme={makeTheme(true)}
				size={{columns: 160, rows: 50}}
				onQuit={() => {}}
			/>,
		);
		try {
			const frame = await waitForFrame(app, f => f.includes('14 pods · 9 components') && f.includes('● live'), 'the pod list over HTTPS', 15_000);
			assert.ok(frame.includes(sim.url), 'the header names the https:// server');
			assert.ok(frame.includes('kube-dns'));
		} finally {
			app.unmount();
			store.stop();
			await source.stop();
			await target.close();
		}
	});

	test('a credential plugin that is not installed: its name and installHint, exit 2', async () => {
		const hint = 'Install knockdown-test-auth-plugin for use with kubectl by following\nhttps://example.com/install';
		const file = kubeconfig('missing-plugin.yaml', cluster(), execUser('knockdown-test-auth-plugin', hint));
		assert.equal(
			await killExpectingRefusal(file),
			'knockdown: the credential plugin knockdown-test-auth-plugin of user "shop-user" (context shop) is not installed: Install knockdown-test-auth-plugin for use with kubectl by following https://example.com/install',
		);
	});

	test('a credential plugin that is not installed and gives no hint: its name, exit 2', async () => {
		const file = kubeconfig('missing-plugin-no-hint.yaml', cluster(), execUser('knockdown-test-auth-plugin'));
		assert.equal(
			await killExpectingRefusal(file),
			'knockdown: the credential plugin knockdown-test-auth-plugin of user "shop-user" (context shop) is not installed (not found on PATH)',
		);
	});

	test('a credential plugin that exits non-zero: what it said on stderr, exit 2', async () => {
		const plugin = script('failing-plugin', 'echo "error: you are not logged in; run: cloud auth login" >&2\nexit 1');
		const file = kubeconfig('failing-plugin.yaml', cluster(), execUser(plugin));
		assert.equal(
			await killExpectingRefusal(file),
			`knockdown: the credential plugin ${plugin} of user "shop-user" (context shop) failed: error: you are not logged in; run: cloud auth login`,
		);
	});

	test('a credential plugin that waits (for a login in a browser, say): the check gives up with a sentence instead of hanging', async () => {
		const plugin = script('waiting-plugin', 'exec sleep 3');
		const connection = loadConnection({kubeconfigPath: kubeconfig('waiting-plugin.yaml', cluster(), execUser(plugin))});
		await assert.rejects(checkNamespaceReadable(connection, 'kube-system', 500), (error: Error) =>
			error.message === `the credential plugin ${plugin} of user "shop-user" (context shop) gave no credential: no answer within 0.5 s (is it waiting for a login?)`);
	});

	test('an expired or wrong token (401 Unauthorized): the cause, exit 2', async () => {
		const file = kubeconfig('wrong-token.yaml', cluster(), execUser(credentialPlugin('issue-expired-token', 'expired-token')));
		assert.equal(
			await killExpectingRefusal(file),
			`knockdown: the API server ${sim.url} (context shop) answered 401 Unauthorized: the credentials of user "shop-user" are wrong or have expired`,
		);
	});

	test('a server certificate from a CA the kubeconfig does not trust: unknown CA, exit 2', async () => {
		const otherCa = makeSimCertificates('127.0.0.1').ca;
		const file = kubeconfig('unknown-ca.yaml', {server: sim.url, ca: otherCa}, [`token: ${token}`]);
		assert.equal(
			await killExpectingRefusal(file),
			`knockdown: the API server ${sim.url} (context shop) is not trusted: its certificate is not signed by a certificate authority the kubeconfig trusts (unknown CA)`,
		);
	});

	test('a server certificate for other names than the one asked for: server name mismatch, exit 2', async () => {
		const file = kubeconfig('name-mismatch.yaml', {...cluster(), tlsServerName: 'api.shop.example'}, [`token: ${token}`]);
		assert.equal(
			await killExpectingRefusal(file),
			`knockdown: the API server ${sim.url} (context shop) is not trusted: its certificate is for IP Address:127.0.0.1, DNS:localhost, IP Address:0:0:0:0:0:0:0:1, not api.shop.example (server name mismatch)`,
		);
	});
});
