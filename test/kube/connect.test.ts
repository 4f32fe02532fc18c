import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ConnectError, connectionFromString} from '../../source/kube/connect.js';

const kubeconfig = (server: string, extra = '') => `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server}"${extra}}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: one, context: {cluster: c, user: u, namespace: apps}}, {name: two, context: {cluster: c, user: u}}]
current-context: one
`;

test('a plain http:// server is accepted as kubectl accepts it (no TLS to verify)', () => {
	const connection = connectionFromString(kubeconfig('http://127.0.0.1:8001'));
	assert.equal(connection.server, 'http://127.0.0.1:8001');
	assert.equal(connection.kubeConfig.getCurrentCluster()?.skipTLSVerify, true);
	assert.equal(connection.contextName, 'one');
	assert.equal(connection.contextNamespace, 'apps');
});

test('an https:// server keeps its certificate checks', () => {
	const connection = connectionFromString(kubeconfig('https://10.0.0.1:6443'));
	assert.equal(connection.kubeConfig.getCurrentCluster()?.skipTLSVerify, false);
});

test('an unknown context is one sentence naming the known ones', () => {
	assert.throws(() => connectionFromString(kubeconfig('https://10.0.0.1:6443'), 'three'), (error: unknown) => error instanceof ConnectError && error.message === 'context "three" is not in the kubeconfig (contexts: one, two)');
});
