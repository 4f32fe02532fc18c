// The real kubectl against the simulated cluster (the talk's gke-1.11 world at speed 20):
// every command issue 2 lists, asserted on kubectl's own output.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {kubectlFor, parseTable, type Kubectl} from '../../helpers/kubectl.js';
import {eventually, startFakeSim, startTestSim} from '../../helpers/sim.js';
import type {SimHandle} from '../../../source/sim/sim-handle.js';

const talkPods = [
	/^event-exporter-v0\.2\.3-[a-z0-9]+-[a-z0-9]{5}$/,
	/^fluentd-gcp-scaler-[a-z0-9]+-[a-z0-9]{5}$/,
	/^fluentd-gcp-v3\.2\.0-[a-z0-9]{5}$/,
	/^fluentd-gcp-v3\.2\.0-[a-z0-9]{5}$/,
	/^fluentd-gcp-v3\.2\.0-[a-z0-9]{5}$/,
	/^heapster-v1\.6\.0-beta\.1-[a-z0-9]+-[a-z0-9]{5}$/,
	/^kube-dns-autoscaler-[a-z0-9]+-[a-z0-9]{5}$/,
	/^kube-dns-[a-z0-9]+-[a-z0-9]{5}$/,
	/^kube-dns-[a-z0-9]+-[a-z0-9]{5}$/,
	/^kube-proxy-gke-demo-default-pool-0dacde9e-dvbd$/,
	/^kube-proxy-gke-demo-default-pool-0dacde9e-gc4m$/,
	/^kube-proxy-gke-demo-default-pool-0dacde9e-lr6s$/,
	/^l7-default-backend-[a-z0-9]+-[a-z0-9]{5}$/,
	/^metrics-server-v0\.2\.1-[a-z0-9]+-[a-z0-9]{5}$/,
];

const expectedReady: Array<[RegExp, string]> = [
	[/^event-exporter/, '2/2'],
	[/^fluentd-gcp-scaler/, '1/1'],
	[/^fluentd-gcp-v3/, '2/2'],
	[/^heapster/, '3/3'],
	[/^kube-dns-autoscaler/, '1/1'],
	[/^kube-dns-[a-z0-9]+-[a-z0-9]{5}$/, '4/4'],
	[/^kube-proxy/, '1/1'],
	[/^l7-default-backend/, '1/1'],
	[/^metrics-server/, '2/2'],
];

const guestbookGet = '/api/v1/namespaces/default/services/frontend:80/proxy/guestbook.php?cmd=get';

describe('kubectl against the simulated gke-1.11 cluster', () => {
	let sim: SimHandle;
	let kubectl: Kubectl;

	before(async () => {
		sim = await startTestSim({speed: 20});
		kubectl = kubectlFor(sim.kubeconfig);
	});

	after(async () => {
		await kubectl?.cleanup();
		await sim?.stop();
	});

	async function ok(...args: string[]): Promise<string> {
		const result = await kubectl.run(args);
		assert.equal(result.code, 0, `kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
		return result.stdout;
	}

	async function podRows(namespace = 'kube-system'): Promise<string[][]> {
		return parseTable(await ok('get', 'pods', '-n', namespace)).slice(1);
	}

	const frontendPod = async () => (await ok('get', 'pods', '-n', 'default', '-l', 'tier=frontend', '-o', 'jsonpath={.items[0].metadata.name}')).trim();

	test('get pods -n kube-system: the talk\'s 14 pods with READY, STATUS, RESTARTS and AGE', async () => {
		const [header, ...rows] = parseTable(await ok('get', 'pods', '-n', 'kube-system'));
		assert.deepEqual(header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
		const names = rows.map(row => row[0]);
		assert.equal(rows.length, 14, names.join('\n'));
		assert.deepEqual([...names].sort(), names, 'sorted by name, as etcd lists them');
		const unmatched = [...talkPods];
		for (const name of names) {
			const index = unmatched.findIndex(pattern => pattern.test(name));
			assert.ok(index >= 0, `${name} is not one of the talk's pods`);
			unmatched.splice(index, 1);
		}

		for (const [name, ready, status, restarts, age] of rows) {
			const expected = expectedReady.find(([pattern]) => pattern.test(name))![1];
			assert.equal(ready, expected, name);
			assert.equal(status, 'Running', name);
			assert.equal(restarts, '0', name);
			assert.match(age, /^\d+h\d*m?$/, `${name} was created hours ago`);
		}
	});

	test('get deploy,ds -n kube-system, get pods -A, get nodes, get svc,ep -n default', async () => {
		const workloads = await ok('get', 'deploy,ds', '-n', 'kube-system');
		assert.match(workloads, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
		assert.match(workloads, /^deployment\.apps\/kube-dns\s+2\/2\s+2\s+2\s+\S+$/m);
		assert.match(workloads, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$/m);
		assert.match(workloads, /^daemonset\.apps\/fluentd-gcp-v3\.2\.0\s+3\s+3\s+3\s+3\s+3\s+\S+\s+\S+$/m);

		const all = parseTable(await ok('get', 'pods', '-A'));
		assert.deepEqual(all[0], ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
		assert.ok(all.some(row => row[0] === 'default' && row[1].startsWith('frontend-') && row[2] === '1/1'));
		assert.equal(all.filter(row => row[0] === 'kube-system').length, 14);

		const nodes = parseTable(await ok('get', 'nodes'));
		assert.deepEqual(nodes[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
		assert.deepEqual(nodes.slice(1).map(row => [row[0], row[1]]), ['dvbd', 'gc4m', 'lr6s'].map(suffix => [`gke-demo-default-pool-0dacde9e-${suffix}`, 'Ready']));

		const network = await ok('get', 'svc,ep', '-n', 'default');
		assert.match(network, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
		assert.match(network, /^service\/frontend\s+ClusterIP\s+[\d.]+\s+<none>\s+80\/TCP\s+\S+$/m);
		assert.match(network, /^service\/redis-follower\s+ClusterIP\s+[\d.]+\s+<none>\s+6379\/TCP\s+\S+$/m);
		assert.match(network, /^endpoints\/frontend\s+([\d.]+:80,?){3}\s+\S+$/m);
		assert.match(network, /^endpoints\/redis-leader\s+[\d.]+:6379\s+\S+$/m);
	});

	test('errors read as from a real server', async () => {
		const missing = await kubectl.run(['get', 'pod', 'nope', '-n', 'kube-system']);
		assert.equal(missing.code, 1);
		assert.equal(missing.stderr.trim(), 'Error from server (NotFound): pods "nope" not found');
		const deployment = await kubectl.run(['delete', 'deployment', 'nope', '-n', 'kube-system']);
		assert.equal(deployment.stderr.trim(), 'Error from server (NotFound): deployments.apps "nope" not found');
	});

	test('get pods -w streams a deletion and the replacement without repeating rows; delete pod returns once it is gone and the replacement gets to 4/4 Running', async () => {
		const watch = kubectl.stream(['get', 'pods', '-n', 'kube-system', '-w']);
		await watch.waitForLine(line => line.startsWith('metrics-server-'));
		const before = await podRows();
		const victim = before.find(row => /^kube-dns-[a-z0-9]+-[a-z0-9]{5}$/.test(row[0]))![0];
		const deleted = await kubectl.run(['delete', 'pod', victim, '-n', 'kube-system']);
		assert.equal(deleted.code, 0, deleted.stderr);
		assert.equal(deleted.stdout.trim(), `pod "${victim}" deleted`);
		// kubectl delete waited for the DELETED event: the pod is gone when it returns.
		assert.equal(sim.cluster.store.get('pods', 'kube-system', victim), undefined);
		const replacement = await eventually(async () => {
			const rows = await podRows();
			return rows.find(row => /^kube-dns-[a-z0-9]+-[a-z0-9]{5}$/.test(row[0]) && !before.some(old => old[0] === row[0]) && row[1] === '4/4' && row[2] === 'Running');
		}, 'a replacement kube-dns pod 4/4 Running');
		await watch.waitForLine(line => line.startsWith(replacement[0]) && /\s4\/4\s+Running\s/.test(line));
		await watch.waitForLine(line => line.startsWith(victim) && /Terminating/.test(line));
		await watch.stop();
		const untouched = before.filter(row => row[0] !== victim).map(row => row[0]);
		for (const name of untouched.filter(name => !name.startsWith('kube-dns-'))) {
			assert.equal(watch.lines.filter(line => line.startsWith(name + ' ')).length, 1, `${name} printed once:\n${watch.lines.join('\n')}`);
		}

		assert.equal(watch.lines.filter(line => line.startsWith('NAME')).length, 1);
	});

	test('delete pod kube-proxy-<node> is answered at once and the mirror pod is back with a new UID', async () => {
		// At the kubelet's own pace (speed 1), not 20: kubectl delete GETs the pod, then lists and
		// watches until a DELETED event. At speed 20 the mirror pod is removed 15 ms after the
		// delete and recreated 20–30 ms later; on a loaded machine kubectl's GET could still see
		// the old pod and its list already the new one (same name), and it then waited for a
		// DELETED event that never comes (30 s, until the test killed it). Real kubelets take
		// hundreds of milliseconds here, which speed 1 keeps.
		const realPaced = await startTestSim({speed: 1});
		const realKubectl = kubectlFor(realPaced.kubeconfig);
		try {
			const name = 'kube-proxy-gke-demo-default-pool-0dacde9e-gc4m';
			const get = async (...args: string[]) => {
				const result = await realKubectl.run(args);
				assert.equal(result.code, 0, `kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
				return result.stdout;
			};

			const uid = await get('get', 'pod', name, '-n', 'kube-system', '-o', 'jsonpath={.metadata.uid}');
			const started = Date.now();
			const deleted = await realKubectl.run(['delete', 'pod', name, '-n', 'kube-system']);
			assert.equal(deleted.code, 0, deleted.stderr);
			assert.ok(Date.now() - started < 5000, `kubectl delete took ${Date.now() - started} ms`);
			const newUid = await eventually(async () => {
				const result = await realKubectl.run(['get', 'pod', name, '-n', 'kube-system', '-o', 'jsonpath={.metadata.uid}']);
				return result.code === 0 && result.stdout && result.stdout !== uid ? result.stdout : undefined;
			}, 'the mirror pod back with a new UID', 10_000);
			assert.notEqual(newUid, uid);
			assert.match(await get('get', 'pod', name, '-n', 'kube-system'), new RegExp(`^${name}\\s+1/1\\s+Running\\s+0\\s`, 'm'));
		} finally {
			await realKubectl.cleanup();
			await realPaced.stop();
		}
	});

	test('exec getent hosts prints an address; exec kill 1 raises RESTARTS', async () => {
		const pod = await frontendPod();
		const resolved = await kubectl.run(['exec', pod, '-n', 'default', '-c', 'php-redis', '--', 'getent', 'hosts', 'redis-follower']);
		assert.equal(resolved.code, 0, resolved.stderr);
		assert.match(resolved.stdout, /^\d+\.\d+\.\d+\.\d+\s+redis-follower/);
		const killed = await kubectl.run(['exec', pod, '-n', 'default', '-c', 'php-redis', '--', 'kill', '1']);
		assert.equal(killed.code, 0, killed.stderr);
		await eventually(async () => {
			const row = parseTable(await ok('get', 'pod', pod, '-n', 'default'))[1];
			return /^1 \(\d+s ago\)$/.test(row[3]) && row[2] === 'Running' && row[1] === '1/1';
		}, 'RESTARTS 1 (Ns ago) and the container running again');
	});

	test('logs, logs -f until the container is killed, logs --previous', async () => {
		const pod = (await ok('get', 'pods', '-n', 'default', '-l', 'tier=frontend', '-o', 'jsonpath={.items[1].metadata.name}')).trim();
		const logs = await ok('logs', pod, '-n', 'default');
		assert.match(logs, new RegExp(`^I\\d{4} [\\d:.]+\\s+1 main\\.go:\\d+\\] Starting php-redis \\(pod default/${pod}\\)$`, 'm'));
		const previousMissing = await kubectl.run(['logs', pod, '-n', 'default', '--previous']);
		assert.equal(previousMissing.code, 1);
		assert.match(previousMissing.stderr, /previous terminated container "php-redis" in pod ".*" not found/);
		const follow = kubectl.stream(['logs', '-f', pod, '-n', 'default']);
		await follow.waitForLine(line => line.includes('Serving'));
		assert.equal(follow.process.exitCode, null, 'logs -f keeps following');
		await ok('exec', pod, '-n', 'default', '-c', 'php-redis', '--', 'kill', '1');
		const code = await Promise.race([follow.exited, new Promise(resolve => {
			setTimeout(resolve, 5000, 'still following').unref();
		})]);
		assert.equal(code, 0);
		await eventually(async () => (await kubectl.run(['logs', pod, '-n', 'default', '--previous'])).stdout.includes('shutting down'), 'the previous container\'s log');
	});

	test('delete deployment kube-dns: its pods go, the guestbook and DNS fail, the addon manager brings it back, and they recover', async () => {
		const pod = await frontendPod();
		assert.match(await ok('get', '--raw', guestbookGet), /"data"/);
		// The addon manager runs every 60 s (3 s at speed 20) at a phase the test does not
		// know: if it happens to run right after the delete, the outage can be too short to
		// catch both failures, so the experiment is repeated (at most three times).
		let proxyFailure: string | undefined;
		let lookupFailure: {code: number; stderr: string} | undefined;
		let deletedAt = 0;
		for (let attempt = 0; attempt < 3 && !(proxyFailure && lookupFailure); attempt++) {
			proxyFailure = undefined;
			lookupFailure = undefined;
			const deleted = await kubectl.run(['delete', 'deployment', 'kube-dns', '-n', 'kube-system']);
			assert.equal(deleted.stdout.trim(), 'deployment.apps "kube-dns" deleted');
			deletedAt = Date.now();
			// While it is gone: the proxied guestbook answers 500 and getent exits 2.
			while (!(proxyFailure && lookupFailure) && Date.now() - deletedAt < 5000) {
				const proxied = await kubectl.run(['get', '--raw', guestbookGet]);
				if (proxied.code !== 0) {
					proxyFailure ??= proxied.stderr;
				}

				const lookup = await kubectl.run(['exec', pod, '-n', 'default', '-c', 'php-redis', '--', 'getent', 'hosts', 'redis-follower']);
				if (lookup.code !== 0) {
					lookupFailure ??= lookup;
				}

				if (proxied.code === 0 && lookup.code === 0 && sim.cluster.store.get('deployments', 'kube-system', 'kube-dns')) {
					break;
				}
			}

			await eventually(async () => /^kube-dns\s+2\/2\s/m.test((await kubectl.run(['get', 'deployment', 'kube-dns', '-n', 'kube-system'])).stdout), 'kube-dns back and ready', 8000);
			assert.ok(Date.now() - deletedAt < 8000, 'the addon manager brought kube-dns back within its interval');
		}

		assert.match(proxyFailure ?? '', /^Error from server \(InternalError\): an error on the server .*has prevented the request from succeeding/);
		assert.equal(lookupFailure?.code, 2, lookupFailure?.stderr);
		assert.equal(lookupFailure?.stderr.trim(), 'command terminated with exit code 2');
		await eventually(async () => (await kubectl.run(['get', '--raw', guestbookGet])).code === 0, 'the guestbook to answer again', 3000);
		const truth = await (await fetch(`${sim.url}/sim/truth`)).json() as {guestbook: Array<{startMs: number; endMs?: number}>};
		assert.ok(truth.guestbook.some(interval => interval.endMs !== undefined && interval.startMs >= deletedAt - 1000), JSON.stringify(truth));
	});

	test('apply -f (validation on), apply a change, delete -f', async () => {
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'knockdown-apply-')), 'settings.yaml');
		const manifest = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: default\ndata:\n  mode: "${value}"\n`;
		writeFileSync(file, manifest('one'));
		assert.equal((await ok('apply', '-f', file)).trim(), 'configmap/settings created');
		writeFileSync(file, manifest('two'));
		assert.equal((await ok('apply', '-f', file)).trim(), 'configmap/settings configured');
		assert.equal(await ok('get', 'configmap', 'settings', '-n', 'default', '-o', 'jsonpath={.data.mode}'), 'two');
		assert.equal((await ok('delete', '-f', file)).trim(), 'configmap "settings" deleted');
		rmSync(path.dirname(file), {recursive: true, force: true});
	});

	test('get events -n kube-system shows what happened, as kubectl prints events', async () => {
		const events = await ok('get', 'events', '-n', 'kube-system');
		assert.match(events, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m);
		assert.match(events, /^\S+\s+Normal\s+Scheduled\s+pod\/kube-dns-\S+\s+Successfully assigned kube-system\/kube-dns-/m);
	});
});

describe('kubectl against --forbid rules', () => {
	test('forbidden verbs are refused with RBAC\'s words', async () => {
		const sim = await startFakeSim({forbid: ['delete:pods', 'create:pods/exec', 'get:services/proxy']});
		const kubectl = kubectlFor(sim.kubeconfig);
		try {
			const deleted = await kubectl.run(['delete', 'pod', 'kube-proxy-node-a', '-n', 'kube-system']);
			assert.equal(deleted.code, 1);
			assert.equal(
				deleted.stderr.trim(),
				'Error from server (Forbidden): pods "kube-proxy-node-a" is forbidden: User "system:serviceaccount:default:knockdown" cannot delete resource "pods" in API group "" in the namespace "kube-system"',
			);
			const exec = await kubectl.run(['exec', 'frontend-abc-xxxxx', '-n', 'default', '--', 'echo', 'hi']);
			assert.notEqual(exec.code, 0);
			assert.match(exec.stderr, /cannot create resource "pods\/exec" in API group "" in the namespace "default"/);
			const proxy = await kubectl.run(['get', '--raw', '/api/v1/namespaces/default/services/frontend:80/proxy/']);
			assert.match(proxy.stderr, /Error from server \(Forbidden\): services "frontend:80" is forbidden: User "system:serviceaccount:default:knockdown" cannot get resource "services\/proxy"/);
			const canDelete = await kubectl.run(['auth', 'can-i', 'delete', 'pods', '-n', 'kube-system']);
			assert.deepEqual([canDelete.code, canDelete.stdout.trim()], [1, 'no']);
			const canExec = await kubectl.run(['auth', 'can-i', 'create', 'pods', '--subresource=exec', '-n', 'default']);
			assert.equal(canExec.stdout.trim(), 'no');
			const canList = await kubectl.run(['auth', 'can-i', 'list', 'pods', '-n', 'kube-system']);
			assert.deepEqual([canList.code, canList.stdout.trim()], [0, 'yes']);
			// Everything else still works.
			assert.match((await kubectl.run(['get', 'pods', '-n', 'kube-system'])).stdout, /kube-proxy-node-a/);
		} finally {
			await kubectl.cleanup();
			await sim.stop();
		}
	});
});

describe('kubectl against the kind profile', () => {
	test('kind 1.33: CoreDNS and control-plane pods, no metrics API to complain about, the v1 Endpoints warning', async () => {
		const sim = await startTestSim({profile: 'kind'});
		const kubectl = kubectlFor(sim.kubeconfig);
		try {
			const pods = await kubectl.run(['get', 'pods', '-n', 'kube-system']);
			assert.equal(pods.code, 0, pods.stderr);
			assert.equal(pods.stderr, '');
			assert.match(pods.stdout, /^coredns-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s/m);
			assert.match(pods.stdout, /^kube-apiserver-\S+\s+1\/1\s+Running\s/m);
			const endpoints = await kubectl.run(['get', 'ep', 'kube-dns', '-n', 'kube-system']);
			assert.equal(endpoints.stderr.trim(), 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice');
			assert.match(endpoints.stdout, /^kube-dns\s+\S+:53,/m);
			assert.match((await kubectl.run(['version'])).stdout, /^Server Version: v1\.33\.1$/m);
		} finally {
			await kubectl.cleanup();
			await sim.stop();
		}
	});
});
