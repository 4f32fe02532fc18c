import assert from 'node:assert/strict';
import {test} from 'node:test';
import {StoreError} from '../../../source/sim/store.js';
import {containerStatus, deploymentPods, isReady, pods, startMs, testWorld} from './helpers.js';

test('the settled gke-1.11 world has the talk\'s 14 kube-system pods, Ready and 3h old', () => {
	const {cluster, clock} = testWorld();
	assert.equal(clock.pendingCount, 0, 'the world starts settled: no timers');
	const kubeSystem = cluster.store.list('pods', 'kube-system');
	assert.equal(kubeSystem.length, 14);
	assert.ok(kubeSystem.every(pod => isReady(pod) && pod.status.phase === 'Running'));
	const ageMs = startMs - Date.parse(kubeSystem[0].metadata.creationTimestamp!);
	assert.ok(ageMs > 2.9 * 3_600_000 && ageMs < 3.3 * 3_600_000, `age ${ageMs}`);
	assert.equal(deploymentPods(cluster, 'kube-system', 'kube-dns').length, 2);
	const dns = deploymentPods(cluster, 'kube-system', 'kube-dns')[0];
	assert.deepEqual(dns.spec.containers.map((container: any) => container.name), ['kubedns', 'dnsmasq', 'sidecar', 'prometheus-to-sd']);
	assert.equal(dns.spec.terminationGracePeriodSeconds, 30);
	assert.equal(dns.metadata.ownerReferences?.[0].kind, 'ReplicaSet');
	assert.match(dns.metadata.ownerReferences![0].name, /^kube-dns-[a-z0-9]{10}$/);
	assert.equal(pods(cluster, 'kube-system', 'fluentd-gcp-v3.2.0-').length, 3);
	const proxy = cluster.store.get('pods', 'kube-system', 'kube-proxy-gke-demo-default-pool-0dacde9e-dvbd')!;
	assert.equal(proxy.metadata.annotations?.['kubernetes.io/config.source'], 'file');
	assert.equal(proxy.metadata.ownerReferences, undefined);
	assert.deepEqual(proxy.metadata.labels, {component: 'kube-proxy', tier: 'node'});
	assert.equal(cluster.store.list('nodes').length, 3);
	assert.equal(cluster.store.get('nodes', undefined, 'gke-demo-default-pool-0dacde9e-gc4m')?.status.nodeInfo.kubeletVersion, 'v1.11.7-gke.4');
	assert.equal(cluster.store.get('services', 'kube-system', 'kube-dns')?.spec.clusterIP, '10.0.0.10');
	assert.equal(deploymentPods(cluster, 'default', 'frontend').length, 3);
	assert.equal(deploymentPods(cluster, 'default', 'frontend')[0].spec.containers[0].name, 'php-redis');
	for (const name of ['kube-dns', 'event-exporter-v0.2.3', 'metrics-server-v0.2.1']) {
		assert.equal(cluster.store.get('deployments', 'kube-system', name)?.metadata.labels?.['addonmanager.kubernetes.io/mode'], 'Reconcile');
	}

	const deployment = cluster.store.get('deployments', 'kube-system', 'kube-dns')!;
	assert.equal(deployment.status.readyReplicas, 2);
	assert.equal(cluster.store.get('daemonsets', 'kube-system', 'fluentd-gcp-v3.2.0')?.status.numberReady, 3);
	assert.deepEqual(cluster.truth(), {guestbook: [], dns: [], nodesNotReady: {}});
	cluster.delete('endpoints', 'kube-system', 'kube-dns', {});
	clock.advance(750);
	assert.equal((cluster.store.get('endpoints', 'kube-system', 'kube-dns')?.subsets as any[] | undefined)?.[0].addresses.length, 2, 'Endpoints come back');
});

test('a deleted kube-dns pod terminates while a replacement is created, scheduled, running and ready on time', () => {
	const {cluster, clock} = testWorld();
	const original = new Set(deploymentPods(cluster, 'kube-system', 'kube-dns').map(pod => pod.metadata.name));
	const [victim] = deploymentPods(cluster, 'kube-system', 'kube-dns');
	const result = cluster.delete('pods', 'kube-system', victim.metadata.name, {});
	assert.equal(result.kind, 'object');
	assert.ok(result.kind === 'object' && result.object.metadata.deletionTimestamp);
	assert.equal(result.kind === 'object' && result.object.metadata.deletionGracePeriodSeconds, 30);
	assert.equal(isReady(cluster.store.get('pods', 'kube-system', victim.metadata.name)), false, 'Ready goes False at once');

	const replacement = () => deploymentPods(cluster, 'kube-system', 'kube-dns').find(pod => !original.has(pod.metadata.name));
	clock.advance(199);
	assert.equal(replacement(), undefined);
	clock.advance(1); // 200 ms: created
	assert.ok(replacement());
	assert.equal(replacement()!.spec.nodeName, undefined);
	clock.advance(100); // 300 ms: scheduled
	assert.ok(replacement()!.spec.nodeName);
	clock.advance(20); // 320 ms: ContainerCreating
	assert.equal(containerStatus(replacement(), 'kubedns').state.waiting.reason, 'ContainerCreating');
	assert.equal(replacement()!.status.phase, 'Pending');
	clock.advance(1179); // 1499 ms: the victim still there with running containers
	assert.ok(cluster.store.get('pods', 'kube-system', victim.metadata.name));
	clock.advance(1); // 1500 ms: victim's containers stopped
	assert.ok(containerStatus(cluster.store.get('pods', 'kube-system', victim.metadata.name), 'kubedns').state.terminated);
	clock.advance(100); // 1600 ms: victim gone
	assert.equal(cluster.store.get('pods', 'kube-system', victim.metadata.name), undefined);
	clock.advance(220); // 1820 ms: running, not ready
	assert.equal(replacement()!.status.phase, 'Running');
	assert.ok(containerStatus(replacement(), 'kubedns').state.running);
	assert.equal(isReady(replacement()), false);
	assert.ok(replacement()!.status.podIP);
	clock.advance(2999);
	assert.equal(isReady(replacement()), false);
	clock.advance(1); // 4820 ms: ready (kube-dns readiness 3 s)
	assert.equal(isReady(replacement()), true);
	assert.equal(containerStatus(replacement(), 'sidecar').ready, true);
	clock.advance(100);
	const deployment = cluster.store.get('deployments', 'kube-system', 'kube-dns')!;
	assert.equal(deployment.status.readyReplicas, 2);
	assert.equal(deployment.status.replicas, 2);

	const reasons = cluster.store.list('events', 'kube-system').map(event => event.reason);
	for (const reason of ['Killing', 'SuccessfulCreate', 'Scheduled', 'Pulled', 'Created', 'Started']) {
		assert.ok(reasons.includes(reason), `event ${reason}`);
	}

	cluster.stop();
});

test('deleting a pod: explicit grace 0 removes it at once; an unknown pod is NotFound', () => {
	const {cluster} = testWorld();
	const [victim] = deploymentPods(cluster, 'default', 'frontend');
	const result = cluster.delete('pods', 'default', victim.metadata.name, {gracePeriodSeconds: 0});
	assert.equal(result.kind, 'object');
	assert.equal(cluster.store.get('pods', 'default', victim.metadata.name), undefined);
	assert.throws(() => cluster.delete('pods', 'default', 'nope', {}), (error: unknown) => error instanceof StoreError && error.code === 404 && error.message === 'pods "nope" not found');
	assert.throws(() => cluster.delete('deployments', 'default', 'nope', {}), /deployments\.apps "nope" not found/);
	cluster.stop();
});

test('a DaemonSet pod is replaced on the same node', () => {
	const {cluster, clock} = testWorld();
	const [victim] = pods(cluster, 'kube-system', 'fluentd-gcp-v3.2.0-');
	const node = victim.spec.nodeName;
	cluster.delete('pods', 'kube-system', victim.metadata.name, {});
	clock.advance(300);
	const replacement = pods(cluster, 'kube-system', 'fluentd-gcp-v3.2.0-').find(pod => pod.metadata.name !== victim.metadata.name && pod.spec.nodeName === node);
	assert.ok(replacement, 'scheduled on the same node');
	clock.advance(5000);
	const all = pods(cluster, 'kube-system', 'fluentd-gcp-v3.2.0-');
	assert.equal(all.length, 3);
	assert.equal(new Set(all.map(pod => pod.spec.nodeName)).size, 3);
	assert.ok(all.every(pod => isReady(pod)));
	assert.equal(cluster.store.get('daemonsets', 'kube-system', 'fluentd-gcp-v3.2.0')?.status.numberReady, 3);
	cluster.stop();
});

test('a deleted mirror pod comes back with the same name and a new UID; its container never stops, DNS never goes down', () => {
	const {cluster, clock} = testWorld();
	const name = 'kube-proxy-gke-demo-default-pool-0dacde9e-lr6s';
	const before = cluster.store.get('pods', 'kube-system', name)!;
	const result = cluster.delete('pods', 'kube-system', name, {});
	assert.ok(result.kind === 'object' && result.object.metadata.deletionTimestamp);
	clock.advance(300);
	assert.equal(cluster.store.get('pods', 'kube-system', name), undefined);
	clock.advance(500);
	const after = cluster.store.get('pods', 'kube-system', name)!;
	assert.ok(after, 'recreated within a second');
	assert.notEqual(after.metadata.uid, before.metadata.uid);
	assert.equal(containerStatus(after, 'kube-proxy').state.running.startedAt, containerStatus(before, 'kube-proxy').state.running.startedAt);
	assert.equal(containerStatus(after, 'kube-proxy').restartCount, 0);
	assert.ok(isReady(after));
	assert.equal(after.metadata.annotations?.['kubernetes.io/config.mirror'], before.metadata.annotations?.['kubernetes.io/config.mirror']);
	clock.advance(60_000);
	assert.deepEqual(cluster.truth(), {guestbook: [], dns: [], nodesNotReady: {}});
	cluster.stop();
});

test('kill 1 restarts the container: restartCount + 1, lastState terminated, then CrashLoopBackOff with a doubling back-off', async () => {
	const {cluster, clock} = testWorld();
	const [frontend] = deploymentPods(cluster, 'default', 'frontend');
	const name = frontend.metadata.name;
	const get = () => cluster.store.get('pods', 'default', name);
	const result = await cluster.exec('default', name, 'php-redis', ['kill', '1']);
	assert.equal(result.exitCode, 0);
	assert.ok(containerStatus(get(), 'php-redis').state.terminated);
	assert.equal(isReady(get()), false);
	clock.advance(100); // the first restart has no back-off
	let status = containerStatus(get(), 'php-redis');
	assert.equal(status.restartCount, 1);
	assert.equal(status.lastState.terminated.reason, 'Error');
	assert.ok([137, 143].includes(status.lastState.terminated.exitCode));
	assert.ok(status.lastState.terminated.startedAt && status.lastState.terminated.finishedAt);
	assert.ok(status.state.running);
	clock.advance(1000);
	assert.equal(isReady(get()), true, 'ready again after the readiness delay');

	await cluster.exec('default', name, 'php-redis', ['kill', '1']);
	clock.advance(100);
	status = containerStatus(get(), 'php-redis');
	assert.equal(status.restartCount, 2);
	assert.equal(status.state.waiting.reason, 'CrashLoopBackOff');
	assert.match(status.state.waiting.message, /^back-off 10s restarting failed container=php-redis pod=/);
	clock.advance(9999);
	assert.ok(containerStatus(get(), 'php-redis').state.waiting);
	clock.advance(1);
	assert.ok(containerStatus(get(), 'php-redis').state.running);

	await cluster.exec('default', name, 'php-redis', ['kill', '1']);
	clock.advance(100);
	assert.match(containerStatus(get(), 'php-redis').state.waiting.message, /^back-off 20s /);
	assert.equal(containerStatus(get(), 'php-redis').restartCount, 3);
	assert.ok(cluster.store.list('events', 'default').some(event => event.reason === 'BackOff' && event.type === 'Warning'));
	cluster.stop();
});

test('exec checks the pod and container like the API server', async () => {
	const {cluster} = testWorld();
	const [frontend] = deploymentPods(cluster, 'default', 'frontend');
	await assert.rejects(cluster.exec('default', 'nope', undefined, ['true']), /pods "nope" not found/);
	await assert.rejects(cluster.exec('default', frontend.metadata.name, 'nginx', ['true']), new RegExp(`container nginx is not valid for pod ${frontend.metadata.name}`));
	const missing = await cluster.exec('default', frontend.metadata.name, 'php-redis', ['curl', 'x']);
	assert.equal(missing.exitCode, 127);
	assert.match(missing.stderr, /curl: command not found/);
	const echo = await cluster.exec('default', frontend.metadata.name, undefined, ['sh', '-c', 'echo "hello world"']);
	assert.equal(echo.stdout, 'hello world\n');
	const resolv = await cluster.exec('default', frontend.metadata.name, undefined, ['cat', '/etc/resolv.conf']);
	assert.match(resolv.stdout, /^nameserver 10\.0\.0\.10\n/);
	cluster.stop();
});

test('a POSTed Deployment gets a ReplicaSet and ready pods; a POSTed Service gets Endpoints; scaling follows spec.replicas', () => {
	const {cluster, clock} = testWorld();
	const labels = {app: 'web'};
	cluster.create('deployments', {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name: 'web', namespace: 'default'},
		spec: {replicas: 2, selector: {matchLabels: labels}, template: {metadata: {labels}, spec: {containers: [{name: 'nginx', image: 'nginx:1.25'}]}}},
	});
	cluster.create('services', {apiVersion: 'v1', kind: 'Service', metadata: {name: 'web', namespace: 'default'}, spec: {selector: labels, ports: [{port: 80}]}});
	clock.advance(10_000);
	const web = deploymentPods(cluster, 'default', 'web');
	assert.equal(web.length, 2);
	assert.ok(web.every(pod => isReady(pod)));
	assert.equal(cluster.store.get('deployments', 'default', 'web')?.status.readyReplicas, 2);
	const endpoints = cluster.store.get('endpoints', 'default', 'web')!;
	assert.equal((endpoints.subsets as any[])[0].addresses.length, 2);
	assert.ok(cluster.store.list('events', 'default').some(event => event.reason === 'Pulling'), 'a new image is pulled');

	const deployment = cluster.store.get('deployments', 'default', 'web')!;
	cluster.replace('deployments', 'default', 'web', {...deployment, spec: {...deployment.spec, replicas: 3}});
	clock.advance(10_000);
	assert.equal(deploymentPods(cluster, 'default', 'web').filter(pod => isReady(pod)).length, 3);
	cluster.replace('deployments', 'default', 'web', {...cluster.store.get('deployments', 'default', 'web')!, spec: {...deployment.spec, replicas: 1}});
	clock.advance(10_000);
	assert.equal(deploymentPods(cluster, 'default', 'web').length, 1);
	assert.equal(cluster.store.get('deployments', 'default', 'web')?.status.replicas, 1);
	assert.throws(() => cluster.replace('deployments', 'default', 'web', deployment), /the object has been modified/);
	cluster.stop();
});

test('Events are capped per namespace, the oldest removed first', async () => {
	const {cluster, clock} = testWorld({eventLimit: 10});
	for (const pod of deploymentPods(cluster, 'default', 'frontend')) {
		cluster.delete('pods', 'default', pod.metadata.name, {});
	}

	clock.advance(10_000);
	assert.ok(cluster.store.list('events', 'default').length <= 10);
	assert.ok(cluster.store.list('events', 'default').some(event => event.reason === 'Started'), 'the newest are kept');
	cluster.stop();
});

test('the restart back-off resets after 10 minutes of running', async () => {
	const {cluster, clock} = testWorld();
	const [redis] = deploymentPods(cluster, 'default', 'redis-leader');
	const name = redis.metadata.name;
	const kill = async () => cluster.exec('default', name, 'leader', ['kill', '1']);
	await kill();
	clock.advance(2000);
	await kill();
	clock.advance(100);
	assert.match(containerStatus(cluster.store.get('pods', 'default', name), 'leader').state.waiting.message, /^back-off 10s/);
	clock.advance(11 * 60_000);
	await kill();
	clock.advance(100);
	const status = containerStatus(cluster.store.get('pods', 'default', name), 'leader');
	assert.ok(status.state.running, 'restarted at once, no back-off');
	assert.equal(status.restartCount, 3);
	cluster.stop();
});

test('nslookup answers like bind\'s, and says NXDOMAIN for an unknown name', async () => {
	const {cluster} = testWorld();
	const [frontend] = deploymentPods(cluster, 'default', 'frontend');
	const found = await cluster.exec('default', frontend.metadata.name, 'php-redis', ['nslookup', 'kubernetes.default']);
	assert.equal(found.exitCode, 0);
	assert.match(found.stdout, /Name:\tkubernetes\.default\.svc\.cluster\.local\nAddress: 10\.0\.0\.1\n/);
	const missing = await cluster.exec('default', frontend.metadata.name, 'php-redis', ['nslookup', 'nope']);
	assert.equal(missing.exitCode, 1);
	assert.match(missing.stdout, /\*\* server can't find nope: NXDOMAIN/);
	cluster.stop();
});
