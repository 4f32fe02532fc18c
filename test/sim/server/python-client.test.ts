// Other people's clients: the official Kubernetes Python client (`kubernetes`) drives the
// simulated cluster through python_client.py beside this file — list, watch from a
// resourceVersion across a deletion, exec, service proxy — and what it saw is held against
// the simulator's own state. Without the client this test fails and says how to install it.
import assert from 'node:assert/strict';
import {execFile, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, test} from 'node:test';
import {eventually, startTestSim} from '../../helpers/sim.js';
import type {SimHandle} from '../../../source/sim/sim-handle.js';

const script = fileURLToPath(new URL('python_client.py', import.meta.url));

/** The first Python that can import the client: pyenv's python3 on PATH need not be Debian's /usr/bin/python3. */
function pythonWithClient(): string | undefined {
	return ['python3', '/usr/bin/python3'].find(python => spawnSync(python, ['-c', 'import kubernetes'], {stdio: 'ignore'}).status === 0);
}

let sim: SimHandle;
let directory: string;

before(async () => {
	sim = await startTestSim({speed: 20});
	directory = mkdtempSync(path.join(tmpdir(), 'knockdown-python-'));
});

after(async () => {
	await sim?.stop();
	rmSync(directory, {recursive: true, force: true});
});

test('the official Python client lists, watches a deletion from a resourceVersion, execs getent and reads the guestbook through the service proxy', async () => {
	const python = pythonWithClient();
	assert.ok(
		python,
		'The official Kubernetes Python client is not installed (no `import kubernetes` in python3 or /usr/bin/python3): install it with `apt-get install -y python3-kubernetes` (Debian, Ubuntu; for /usr/bin/python3) or `pip install kubernetes`.',
	);
	const frontendsRunning = () =>
		sim.cluster.store.list('pods', 'default').filter(pod => pod.metadata.labels?.tier === 'frontend' && pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp).length >= 2;
	await eventually(async () => frontendsRunning() && (await fetch(`${sim.url}/api/v1/namespaces/default/services/frontend:80/proxy/guestbook.php?cmd=get`)).ok, 'the guestbook to answer');

	const kubeconfigPath = path.join(directory, 'kubeconfig.yaml');
	writeFileSync(kubeconfigPath, sim.kubeconfig);
	const kubeSystemBefore = sim.cluster.store.list('pods', 'kube-system').map(pod => pod.metadata.name).sort();
	const {code, stdout, stderr} = await new Promise<{code: number; stdout: string; stderr: string}>(resolve => {
		execFile(python!, [script, kubeconfigPath], {timeout: 90_000, env: {...process.env, HOME: directory}}, (error, stdout, stderr) => {
			resolve({code: error ? Number((error as NodeJS.ErrnoException).code ?? 1) : 0, stdout, stderr});
		});
	});
	assert.equal(code, 0, `python_client.py failed:\n${stderr}`);
	const seen = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
		kube_system_pods: string[];
		kube_dns_pods: string[];
		deleted: string;
		watch_events: Array<[string, string]>;
		exec_pod: string;
		exec_output: string;
		proxy_index: string;
		proxy_get: string;
	};

	assert.deepEqual(seen.kube_system_pods, kubeSystemBefore);
	assert.equal(seen.kube_dns_pods.length, 2);
	assert.ok(seen.kube_dns_pods.every(name => name.startsWith('kube-dns-')), seen.kube_dns_pods.join(' '));
	assert.deepEqual(seen.watch_events.at(-1), ['DELETED', seen.deleted]);
	assert.equal(sim.cluster.store.list('pods', 'default').some(pod => pod.metadata.name === seen.deleted), false);
	const follower = sim.cluster.store.get('services', 'default', 'redis-follower')!;
	assert.match(seen.exec_output, new RegExp(`^${follower.spec.clusterIP.replaceAll('.', '\\.')}\\s+redis-follower\\.default\\.svc\\.cluster\\.local`));
	assert.match(seen.proxy_index, /<html/i);
	assert.match(seen.proxy_get, /^\{"data": /);
});
