// KUBECONFIG lists: knockdown's reading of a list against the real kubectl's. For each list
// (and with --context), the context, its server and its user must be those that
// `kubectl config view --minify` names.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ConnectError, loadConnection} from '../../source/kube/connect.js';
import {kubectlBinary} from '../helpers/kubectl.js';

const directory = mkdtempSync(path.join(tmpdir(), 'knockdown-merge-'));
const file = (name: string, text: string) => {
	const at = path.join(directory, name);
	writeFileSync(at, text);
	return at;
};

// `dev` is defined in a and b with different clusters and users; so are cluster `shared` and user `me`.
const a = file('a.yaml', `apiVersion: v1
kind: Config
clusters:
- {name: shared, cluster: {server: "https://a-shared.example:6443"}}
users:
- {name: me, user: {token: from-a}}
contexts:
- {name: dev, context: {cluster: shared, user: me}}
`);
const b = file('b.yaml', `apiVersion: v1
kind: Config
clusters:
- {name: shared, cluster: {server: "https://b-shared.example:6443"}}
- {name: prod-cluster, cluster: {server: "https://prod.example:6443"}}
users:
- {name: me, user: {token: from-b}}
- {name: admin, user: {token: admin}}
contexts:
- {name: dev, context: {cluster: prod-cluster, user: admin}}
- {name: prod, context: {cluster: prod-cluster, user: admin}}
- {name: staging, context: {cluster: shared, user: me}}
current-context: prod
`);
const c = file('c.yaml', `apiVersion: v1
kind: Config
clusters:
- {name: local, cluster: {server: "https://127.0.0.1:6443"}}
users:
- {name: me, user: {token: from-c}}
contexts:
- {name: staging, context: {cluster: local, user: me}}
- {name: local, context: {cluster: local, user: me}}
current-context: local
`);
const empty = file('empty.yaml', '');
const missing = path.join(directory, 'missing.yaml');

type Resolution = {context: string; server: string; user: string};

function knockdown(list: string[], context?: string): Resolution {
	const connection = loadConnection({kubeconfigEnv: list.join(path.delimiter), context});
	const user = connection.kubeConfig.getContextObject(connection.contextName)?.user ?? '';
	return {context: connection.contextName, server: connection.server, user};
}

async function kubectl(list: string[], context?: string): Promise<Resolution> {
	assert.ok(kubectlBinary, 'kubectl is not on PATH: this test compares with the real kubectl (install kubectl 1.32)');
	const args = ['config', 'view', '--minify', '-o', 'json', ...(context ? ['--context', context] : [])];
	const env = {...process.env, KUBECONFIG: list.join(path.delimiter), HOME: directory, KUBECACHEDIR: path.join(directory, 'cache')};
	const stdout = await new Promise<string>((resolve, reject) => {
		execFile(kubectlBinary!, args, {env}, (error, out, err) => {
			if (error) {
				reject(new Error(`kubectl ${args.join(' ')} failed: ${err}`));
			} else {
				resolve(out);
			}
		});
	});
	const view = JSON.parse(stdout) as {'current-context': string; clusters: Array<{cluster: {server: string}}>; users: Array<{name: string}>};
	return {context: view['current-context'], server: view.clusters[0].cluster.server, user: view.users[0].name};
}

const cases: Array<{list: string[]; context?: string; expected: Resolution}> = [
	// a sets no current-context: b's wins; dev, cluster shared and user me are a's.
	{list: [a, b], expected: {context: 'prod', server: 'https://prod.example:6443', user: 'admin'}},
	{list: [a, b], context: 'dev', expected: {context: 'dev', server: 'https://a-shared.example:6443', user: 'me'}},
	{list: [b, a], context: 'dev', expected: {context: 'dev', server: 'https://prod.example:6443', user: 'admin'}},
	// Two files set current-context: the first wins.
	{list: [c, b], expected: {context: 'local', server: 'https://127.0.0.1:6443', user: 'me'}},
	{list: [b, c], expected: {context: 'prod', server: 'https://prod.example:6443', user: 'admin'}},
	// staging is b's (first), but cluster shared is a's when a comes first.
	{list: [a, b, c], context: 'staging', expected: {context: 'staging', server: 'https://a-shared.example:6443', user: 'me'}},
	{list: [c, a, b], context: 'staging', expected: {context: 'staging', server: 'https://127.0.0.1:6443', user: 'me'}},
	// Missing and empty files are skipped.
	{list: [missing, empty, a, b], context: 'dev', expected: {context: 'dev', server: 'https://a-shared.example:6443', user: 'me'}},
	{list: [missing, c], expected: {context: 'local', server: 'https://127.0.0.1:6443', user: 'me'}},
];

for (const {list, context, expected} of cases) {
	const name = `KUBECONFIG=${list.map(at => path.basename(at)).join(':')}${context ? ` --context ${context}` : ''}`;
	test(`${name}: knockdown and kubectl agree on context, server and user`, async () => {
		assert.deepEqual(await kubectl(list, context), expected, 'kubectl');
		assert.deepEqual(knockdown(list, context), expected, 'knockdown');
	});
}

test('every file of the list missing: one sentence naming them', () => {
	const other = path.join(directory, 'other.yaml');
	assert.throws(() => loadConnection({kubeconfigEnv: [missing, other].join(path.delimiter)}), (error: unknown) =>
		error instanceof ConnectError
		&& error.message === `none of the kubeconfig files in KUBECONFIG exists (${missing}, ${other}) (pass --kubeconfig FILE, or try --demo for the built-in simulated cluster)`);
});

test('a current-context naming a context no file defines: one sentence saying so (kubectl refuses it too)', async () => {
	const dangling = file('dangling.yaml', 'apiVersion: v1\nkind: Config\ncurrent-context: gone\n');
	await assert.rejects(kubectl([dangling, a]));
	assert.throws(() => loadConnection({kubeconfigEnv: [dangling, a].join(path.delimiter)}), (error: unknown) =>
		error instanceof ConnectError
		&& error.message === `the current-context "gone" of the kubeconfig files in KUBECONFIG (${dangling}, ${a}) names a context that is not there (contexts: dev; pass --context NAME)`);
});

test('--kubeconfig reads that file alone, as kubectl --kubeconfig does', () => {
	assert.throws(() => loadConnection({kubeconfigPath: a, kubeconfigEnv: b}), (error: unknown) =>
		error instanceof ConnectError && error.message === `kubeconfig ${a} has no current context (pass --context NAME)`);
	assert.equal(loadConnection({kubeconfigPath: b, kubeconfigEnv: a}).server, 'https://prod.example:6443');
});

test('relative paths (an exec plugin given as a path, certificate files) are read from the folder of the kubeconfig that names them', () => {
	const sub = mkdtempSync(path.join(directory, 'sub-'));
	const withPlugin = path.join(sub, 'plugin.yaml');
	writeFileSync(withPlugin, `apiVersion: v1
kind: Config
clusters: [{name: x, cluster: {server: "https://x.example", certificate-authority: certs/ca.crt}}]
users: [{name: p, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/auth, interactiveMode: Never}}}, {name: q, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: gke-gcloud-auth-plugin}}}]
contexts: [{name: x, context: {cluster: x, user: p}}]
current-context: x
`);
	const {kubeConfig} = loadConnection({kubeconfigEnv: [missing, withPlugin].join(path.delimiter)});
	assert.equal(kubeConfig.getUser('p')?.exec.command, path.join(sub, 'bin', 'auth'));
	assert.equal(kubeConfig.getUser('q')?.exec.command, 'gke-gcloud-auth-plugin');
	assert.equal(kubeConfig.getCluster('x')?.caFile, path.join(sub, 'certs', 'ca.crt'));
});
