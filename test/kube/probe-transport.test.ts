// The real adapter over real HTTP and WebSocket, against the API server on a small fixed world.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {connectionFromString} from '../../source/kube/connect.js';
import {createKubeProbeTransport} from '../../source/kube/probe-transport.js';
import {ProbeTransportError, type ProbeTransport} from '../../source/probes/transport.js';
import {kubeConfigFor} from '../helpers/kubeconfig.js';
import {startFakeSim} from '../helpers/sim.js';

const pod = 'frontend-abc-xxxxx';

function transportFor(kubeconfig: string): ProbeTransport {
	return createKubeProbeTransport(connectionFromString(kubeconfig).kubeConfig);
}

const signal = () => AbortSignal.timeout(5000);

async function failureOf(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof ProbeTransportError, `a ProbeTransportError, not ${String(error)}`);
		return error.failure;
	}

	assert.fail('expected a failure');
}

test('endpoints list, exec exit codes, service proxy and metrics through client-node', async () => {
	const sim = await startFakeSim();
	try {
		const transport = transportFor(sim.kubeconfig);
		sim.cluster.store.update('endpoints', 'default', 'frontend', draft => {
			(draft as any).subsets = [
				{
					addresses: [{ip: '10.0.0.9', targetRef: {kind: 'Pod', name: pod, namespace: 'default'}}],
					notReadyAddresses: [{ip: '10.0.0.10'}],
					ports: [{port: 80}],
				},
			];
		});

		const endpoints = await transport.listEndpoints('default', signal());
		const frontend = endpoints.find(item => item.name === 'frontend');
		assert.deepEqual(frontend, {name: 'frontend', ready: [{ip: '10.0.0.9', podName: pod}], notReadyCount: 1});

		const resolved = await transport.exec({namespace: 'default', pod, container: 'php-redis', command: ['getent', 'hosts', 'redis-follower']}, signal());
		assert.equal(resolved.exitCode, 0);
		assert.match(resolved.stdout, /^10\.3\.250\.10\s+redis-follower/);
		assert.deepEqual(sim.cluster.execCalls.at(-1), {namespace: 'default', pod, container: 'php-redis', command: ['getent', 'hosts', 'redis-follower']});

		const unresolved = await transport.exec({namespace: 'default', pod, container: 'php-redis', command: ['getent', 'hosts', 'redis-nowhere']}, signal());
		assert.equal(unresolved.exitCode, 2, 'exit code 2 from the status channel');

		const missing = await transport.exec({namespace: 'default', pod, container: 'php-redis', command: ['nope']}, signal());
		assert.equal(missing.exitCode, 127);
		assert.match(missing.stderr, /nope: not found/);

		assert.equal(await failureOf(transport.exec({namespace: 'default', pod: 'gone-pod', container: 'php-redis', command: ['true']}, signal())), 'not-found');

		const answer = await transport.proxyGet({namespace: 'default', service: 'frontend', path: 'guestbook.php?cmd=get'}, signal());
		assert.deepEqual(answer, {status: 200, body: '{"data": ""}'});
		sim.cluster.proxyAnswer = {status: 500, contentType: 'text/plain', body: 'Fatal error: redis-follower not found'};
		const broken = await transport.proxyGet({namespace: 'default', service: 'frontend', port: '80', path: '/guestbook.php?cmd=get'}, signal());
		assert.equal(broken.status, 500);
		assert.match(broken.body, /redis-follower not found/);

		assert.equal((await transport.get('/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods', signal())).status, 200);
		sim.cluster.metricsUp = false;
		assert.equal((await transport.get('/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods', signal())).status, 503);
	} finally {
		await sim.stop();
	}
});

test('a forbidden exec is "forbidden", not a failed command', async () => {
	const sim = await startFakeSim({forbid: ['create:pods/exec']});
	try {
		const transport = transportFor(sim.kubeconfig);
		assert.equal(await failureOf(transport.exec({namespace: 'default', pod, container: 'php-redis', command: ['getent', 'hosts', 'redis-follower']}, signal())), 'forbidden');
		assert.equal((await transport.listEndpoints('default', signal())).length > 0, true, 'the rest still works');
	} finally {
		await sim.stop();
	}
});

test('an exec that hangs is abandoned when its signal fires', async () => {
	const sim = await startFakeSim();
	try {
		const transport = transportFor(sim.kubeconfig);
		sim.cluster.exec = () => new Promise(() => {});
		const started = Date.now();
		assert.equal(await failureOf(transport.exec({namespace: 'default', pod, container: 'php-redis', command: ['getent', 'hosts', 'x']}, AbortSignal.timeout(200))), 'aborted');
		assert.ok(Date.now() - started < 2000);
	} finally {
		await sim.stop();
	}
});

test('an API server that is away is "unreachable" for every call', async () => {
	const sim = await startFakeSim();
	try {
		const transport = transportFor(sim.kubeconfig);
		await sim.faults.takeDown();
		assert.equal(await failureOf(transport.listEndpoints('default', signal())), 'unreachable');
		assert.equal(await failureOf(transport.exec({namespace: 'default', pod, container: 'php-redis', command: ['true']}, signal())), 'unreachable');
		assert.equal(await failureOf(transport.proxyGet({namespace: 'default', service: 'frontend', path: ''}, signal())), 'unreachable');
	} finally {
		await sim.stop();
	}
});

test('probes reuse one kept-alive connection, where client-node would open a new one for every request', async () => {
	const {createServer} = await import('node:http');
	let connections = 0;
	const server = createServer((_request, response) => {
		response.writeHead(200, {'content-type': 'application/json'});
		response.end('{"kind":"EndpointsList","items":[]}');
	});
	server.on('connection', () => connections++);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as import('node:net').AddressInfo;
	const transport = createKubeProbeTransport(kubeConfigFor(`http://127.0.0.1:${port}`));
	try {
		for (let probe = 0; probe < 3; probe++) {
			assert.deepEqual(await transport.listEndpoints('default', new AbortController().signal), []);
		}

		assert.equal(connections, 1);
	} finally {
		server.closeAllConnections();
		await new Promise(resolve => server.close(resolve));
	}
});
