import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {SimCluster} from '../../../source/sim/cluster.js';
import {containerStatus, deploymentPods, notReadyAddresses, readyAddresses, startMs, testWorld, vantageFrontend} from './helpers.js';

const T0 = startMs;

/** Whether a promise has settled, without waiting for it. */
async function settled<T>(promise: Promise<T>): Promise<boolean> {
	const marker = Symbol('pending');
	return (await Promise.race([promise, new Promise(resolve => {
		setImmediate(() => {
			resolve(marker);
		});
	})])) !== marker;
}

function deleteAllDnsPods(cluster: SimCluster): void {
	for (const pod of deploymentPods(cluster, 'kube-system', 'kube-dns')) {
		cluster.delete('pods', 'kube-system', pod.metadata.name, {});
	}
}

test('endpoints follow pod readiness 0.5–1 s after it changes', () => {
	const {cluster, clock} = testWorld();
	const [dns] = deploymentPods(cluster, 'kube-system', 'kube-dns');
	const name = dns.metadata.name;
	void cluster.exec('kube-system', name, 'kubedns', ['kill', '1']);
	clock.advance(749);
	assert.ok(readyAddresses(cluster, 'kube-system', 'kube-dns').includes(name));
	clock.advance(1); // 750 ms
	assert.ok(notReadyAddresses(cluster, 'kube-system', 'kube-dns').includes(name));
	assert.ok(!readyAddresses(cluster, 'kube-system', 'kube-dns').includes(name));
	// Restarted at 100 ms, ready 3 s later (3100), endpoints 750 ms after that.
	clock.advance(3099); // 3849
	assert.ok(notReadyAddresses(cluster, 'kube-system', 'kube-dns').includes(name));
	clock.advance(1); // 3850
	assert.ok(readyAddresses(cluster, 'kube-system', 'kube-dns').includes(name));
	// One of two DNS servers down for a while: slow at worst, never down.
	assert.deepEqual(cluster.truth(), {guestbook: [], dns: [], nodesNotReady: {}});
	cluster.stop();
});

test('DNS fails when every kube-dns pod is deleted and recovers when a replacement is ready and programmed', async () => {
	const {cluster, clock} = testWorld();
	const frontend = vantageFrontend(cluster).metadata.name;
	const ok = await cluster.exec('default', frontend, 'php-redis', ['getent', 'hosts', 'redis-follower']);
	assert.equal(ok.exitCode, 0);
	const followerIp = cluster.store.get('services', 'default', 'redis-follower')!.spec.clusterIP;
	assert.equal(ok.stdout, `${followerIp.padEnd(15)} redis-follower.default.svc.cluster.local\n`);
	const get = await cluster.proxyService('default', 'frontend', '80', 'guestbook.php?cmd=get');
	assert.equal(get.status, 200);
	assert.equal(get.body, '{"data": ""}');

	deleteAllDnsPods(cluster);
	// Both servers still programmed but dying: queries wait out the resolver's timeouts, then fail.
	clock.advance(10);
	const timingOut = cluster.exec('default', frontend, 'php-redis', ['getent', 'hosts', 'redis-follower']);

	// Programmed endpoints are empty from 750 + 350 ms: names fail at once.
	clock.advance(1990); // T0+2000
	const failed = await cluster.exec('default', frontend, 'php-redis', ['getent', 'hosts', 'redis-follower.default.svc.cluster.local']);
	assert.deepEqual(failed, {stdout: '', stderr: '', exitCode: 2});
	const broken = await cluster.proxyService('default', 'frontend', '80', 'guestbook.php?cmd=get');
	assert.equal(broken.status, 500);
	assert.match(broken.body, /Fatal error: Uncaught Predis\\Connection\\ConnectionException: php_network_getaddresses: getaddrinfo failed: Name or service not known \[tcp:\/\/redis-follower:6379\]/);
	assert.equal(await settled(timingOut), false);
	clock.advance(8009); // T0+10009
	assert.equal(await settled(timingOut), false);
	clock.advance(1);
	assert.deepEqual(await timingOut, {stdout: '', stderr: '', exitCode: 2});

	// Replacements: created 200, running 1820, ready 4820, endpoints 5570, programmed 5920.
	const truth = cluster.truth();
	assert.deepEqual(truth.dns, [{startMs: T0, endMs: T0 + 5920}]);
	assert.deepEqual(truth.guestbook, [{startMs: T0, endMs: T0 + 5920}]);
	const back = await cluster.exec('default', frontend, 'php-redis', ['getent', 'hosts', 'redis-follower']);
	assert.equal(back.exitCode, 0);
	const set = await cluster.proxyService('default', 'frontend', '80', 'guestbook.php?cmd=set&key=messages&value=hello');
	assert.deepEqual([set.status, set.body], [200, '{"message": "Updated"}']);
	const read = await cluster.proxyService('default', 'frontend', undefined, 'guestbook.php?cmd=get&key=messages');
	assert.equal(read.body, '{"data": "hello"}');
	cluster.stop();
});

test('one of two DNS pods dying makes some lookups slow (5 s), none fail', async () => {
	const {cluster, clock, setRandom} = testWorld();
	const frontend = vantageFrontend(cluster).metadata.name;
	const [victim] = deploymentPods(cluster, 'kube-system', 'kube-dns');
	cluster.delete('pods', 'kube-system', victim.metadata.name, {});
	clock.advance(10);
	setRandom(0); // this query's server is the dying one
	const slow = cluster.exec('default', frontend, 'php-redis', ['getent', 'hosts', 'redis-leader']);
	setRandom(0.9); // this one lands on the live server
	const fast = cluster.exec('default', frontend, 'php-redis', ['getent', 'hosts', 'redis-leader']);
	setRandom(0.5);
	assert.equal((await fast).exitCode, 0);
	clock.advance(4999);
	assert.equal(await settled(slow), false);
	clock.advance(1);
	assert.equal((await slow).exitCode, 0);
	// Once the endpoints and kube-proxy caught up (750 + 350 ms), no lookup is slow.
	clock.advance(2000);
	setRandom(0);
	assert.equal((await cluster.exec('default', frontend, 'php-redis', ['getent', 'hosts', 'redis-leader'])).exitCode, 0);
	setRandom(0.5);
	clock.advance(10_000);
	assert.deepEqual(cluster.truth(), {guestbook: [], dns: [], nodesNotReady: {}});
	cluster.stop();
});

test('a node whose kube-proxy is down keeps its old rules: DNS there stays broken until kube-proxy is back and resynced', async () => {
	const {cluster, clock} = testWorld();
	const frontend = vantageFrontend(cluster);
	const node = frontend.spec.nodeName as string;
	const proxyPod = `kube-proxy-${node}`;
	const other = deploymentPods(cluster, 'default', 'frontend').find(pod => pod.spec.nodeName !== node)!;
	// Kill kube-proxy twice: the first restart is immediate, the second waits a 10 s back-off.
	await cluster.exec('kube-system', proxyPod, 'kube-proxy', ['kill', '1']);
	clock.advance(200);
	assert.equal(containerStatus(cluster.store.get('pods', 'kube-system', proxyPod), 'kube-proxy').restartCount, 1);
	await cluster.exec('kube-system', proxyPod, 'kube-proxy', ['kill', '1']); // T0+200; back at 200+100+10000
	clock.advance(100);
	assert.equal(containerStatus(cluster.store.get('pods', 'kube-system', proxyPod), 'kube-proxy').state.waiting.reason, 'CrashLoopBackOff');
	deleteAllDnsPods(cluster); // T0+300; replacements programmed elsewhere at 300+5920
	clock.advance(6920 - 300); // T0+6920
	assert.equal((await cluster.exec('default', other.metadata.name, 'php-redis', ['getent', 'hosts', 'frontend'])).exitCode, 0, 'other nodes follow');
	const stale = cluster.exec('default', frontend.metadata.name, 'php-redis', ['getent', 'hosts', 'frontend']);
	clock.advance(10_000);
	assert.equal((await stale).exitCode, 2, 'the frozen node still sends DNS to the deleted pods');
	// kube-proxy runs again at 10300 and resyncs 350 ms later.
	assert.ok(clock.now() > T0 + 10_650);
	assert.equal((await cluster.exec('default', frontend.metadata.name, 'php-redis', ['getent', 'hosts', 'frontend'])).exitCode, 0);
	assert.deepEqual(cluster.truth().dns, [{startMs: T0 + 300, endMs: T0 + 10_650}]);
	assert.deepEqual(cluster.truth().guestbook, [{startMs: T0 + 300, endMs: T0 + 10_650}]);
	cluster.stop();
});

test('the service proxy answers like the API server: 404 unknown service, 503 without endpoints, HTML for other paths', async () => {
	const {cluster, clock} = testWorld();
	const unknown = await cluster.proxyService('default', 'nope', undefined, '/');
	assert.equal(unknown.status, 404);
	assert.match(unknown.body, /services \\"nope\\" not found/);
	const page = await cluster.proxyService('default', 'frontend', '80', '');
	assert.equal(page.status, 200);
	assert.match(page.body, /<title>Guestbook<\/title>/);
	for (const pod of deploymentPods(cluster, 'default', 'redis-follower')) {
		cluster.delete('pods', 'default', pod.metadata.name, {});
	}

	clock.advance(2000);
	const noRedis = await cluster.proxyService('default', 'frontend', '80', 'guestbook.php?cmd=get');
	assert.equal(noRedis.status, 500);
	assert.match(noRedis.body, /Connection refused \[tcp:\/\/redis-follower:6379\]/);
	const direct = await cluster.proxyService('default', 'redis-follower', undefined, '');
	assert.equal(direct.status, 503);
	assert.match(direct.body, /no endpoints available for service \\"redis-follower\\"/);
	clock.advance(10_000);
	assert.equal((await cluster.proxyService('default', 'frontend', '80', 'guestbook.php?cmd=get')).status, 200);
	assert.equal(cluster.truth().guestbook.length, 1);
	assert.ok(cluster.truth().guestbook[0].endMs);
	assert.deepEqual(cluster.truth().dns, []);
	cluster.stop();
});

test('metricsAvailable follows the metrics-server pod', () => {
	const {cluster, clock} = testWorld();
	assert.equal(cluster.metricsAvailable(), true);
	const [pod] = deploymentPods(cluster, 'kube-system', 'metrics-server-v0.2.1');
	cluster.delete('pods', 'kube-system', pod.metadata.name, {});
	assert.equal(cluster.metricsAvailable(), false);
	clock.advance(2819); // replacement: created 200, running 1820, ready 2820
	assert.equal(cluster.metricsAvailable(), false);
	clock.advance(1);
	assert.equal(cluster.metricsAvailable(), true);
	cluster.stop();
});

test('a kube-dns pod whose metrics sidecar died still answers DNS (not slow) while it leaves the endpoints', async () => {
	const {cluster, clock, setRandom} = testWorld();
	const frontend = vantageFrontend(cluster).metadata.name;
	const [dns] = deploymentPods(cluster, 'kube-system', 'kube-dns');
	await cluster.exec('kube-system', dns.metadata.name, 'prometheus-to-sd', ['kill', '1']);
	setRandom(0);
	const lookup = cluster.exec('default', frontend, 'php-redis', ['getent', 'hosts', 'redis-leader']);
	assert.equal(await settled(lookup), true, 'answered at once');
	assert.equal((await lookup).exitCode, 0);
	setRandom(0.5);
	clock.advance(750);
	assert.ok(notReadyAddresses(cluster, 'kube-system', 'kube-dns').includes(dns.metadata.name), 'not ready: a container is down');
	cluster.stop();
});
