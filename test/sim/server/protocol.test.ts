// The API server's wire protocol over a small fixed world (no controllers): what kubectl and
// client-node rely on, checked at the HTTP level.
import assert from 'node:assert/strict';
import {request as httpRequest, type IncomingMessage} from 'node:http';
import {after, before, test} from 'node:test';
import {PassThrough} from 'node:stream';
import {Exec, KubeConfig} from '@kubernetes/client-node';
import WebSocket from 'ws';
import {manualClock} from '../../../source/time/clock.js';
import {metricsApiPath} from '../../../source/probes/layers.js';
import {eventually, startFakeSim} from '../../helpers/sim.js';

type Sim = Awaited<ReturnType<typeof startFakeSim>>;
let sim: Sim;

before(async () => {
	sim = await startFakeSim({forbid: ['delete:pods', 'create:pods/exec', 'get:services/proxy'].filter(() => false)});
});

after(async () => {
	await sim.stop();
});

async function api(path: string, init: RequestInit = {}): Promise<{status: number; body: any; headers: Headers}> {
	const response = await fetch(sim.url + path, init);
	const text = await response.text();
	let body: any = text;
	try {
		body = JSON.parse(text);
	} catch {}

	return {status: response.status, body, headers: response.headers};
}

type WatchStream = {events: any[]; next(match: (event: any) => boolean, timeoutMs?: number): Promise<any>; ended: Promise<'end' | 'aborted'>; close(): void};

function watch(url: string, headers: Record<string, string> = {}): Promise<WatchStream> {
	return new Promise((resolve, reject) => {
		const events: any[] = [];
		const wakers = new Set<() => void>();
		const request = httpRequest(url, {headers}, (response: IncomingMessage) => {
			assert.equal(response.statusCode, 200);
			let buffer = '';
			const ended = new Promise<'end' | 'aborted'>(done => {
				response.on('end', () => done('end'));
				response.on('aborted', () => done('aborted'));
				response.on('error', () => done('aborted'));
			});
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				buffer += chunk;
				const lines = buffer.split('\n');
				buffer = lines.pop()!;
				for (const line of lines.filter(Boolean)) {
					events.push(JSON.parse(line));
				}

				for (const wake of wakers) {
					wake();
				}
			});
			resolve({
				events,
				ended,
				close: () => request.destroy(),
				next(match, timeoutMs = 5000) {
					return new Promise((found, fail) => {
						const check = () => {
							const event = events.find(match);
							if (event) {
								clearTimeout(timer);
								wakers.delete(check);
								found(event);
							}
						};

						const timer = setTimeout(() => {
							wakers.delete(check);
							fail(new Error(`no such watch event; got ${JSON.stringify(events.map(event => [event.type, event.object?.metadata?.name]))}`));
						}, timeoutMs);
						wakers.add(check);
						check();
					});
				},
			});
		});
		request.on('error', reject);
		request.end();
	});
}

test('discovery: /version, /api, /apis and the resource lists kubectl reads (short names, categories, subresources)', async () => {
	assert.equal((await api('/version')).body.gitVersion, 'v1.11.7-gke.4');
	const aggregated = await api('/api', {headers: {accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'}});
	assert.equal(aggregated.headers.get('content-type'), 'application/json');
	assert.equal(aggregated.body.kind, 'APIVersions');
	const groups = (await api('/apis')).body;
	assert.deepEqual(groups.groups.map((group: any) => group.preferredVersion.groupVersion), ['apps/v1', 'authorization.k8s.io/v1', 'metrics.k8s.io/v1beta1']);
	const core = (await api('/api/v1')).body;
	const pods = core.resources.find((resource: any) => resource.name === 'pods');
	assert.deepEqual(pods.shortNames, ['po']);
	assert.deepEqual(pods.categories, ['all']);
	assert.ok(core.resources.some((resource: any) => resource.name === 'pods/exec' && resource.verbs.includes('create')));
	assert.ok(core.resources.some((resource: any) => resource.name === 'services/proxy'));
	const apps = (await api('/apis/apps/v1')).body;
	assert.deepEqual(apps.resources.filter((resource: any) => !resource.name.includes('/')).map((resource: any) => [resource.name, resource.shortNames[0]]), [
		['daemonsets', 'ds'],
		['deployments', 'deploy'],
		['replicasets', 'rs'],
		['statefulsets', 'sts'],
	]);
});

test('lists carry the store resourceVersion, are sorted by name, and cover all namespaces at /api/v1/pods', async () => {
	const list = (await api('/api/v1/pods')).body;
	assert.equal(list.kind, 'PodList');
	assert.equal(list.metadata.resourceVersion, String(sim.cluster.store.resourceVersion));
	assert.deepEqual(list.items.map((pod: any) => pod.metadata.name), ['frontend-abc-xxxxx', 'kube-dns-788979dc8f-aaaaa', 'kube-dns-788979dc8f-bbbbb', 'kube-proxy-node-a']);
	const selected = (await api('/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dkube-dns&fieldSelector=spec.nodeName%3Dnode-b')).body;
	assert.deepEqual(selected.items.map((pod: any) => pod.metadata.name), ['kube-dns-788979dc8f-bbbbb']);
	const bad = await api('/api/v1/pods?fieldSelector=spec.nope%3D1');
	assert.equal(bad.status, 400);
	assert.equal(bad.body.reason, 'BadRequest');
});

test('limit and continue page through a sorted list; every page reports the first page\'s resourceVersion', async () => {
	const names: string[] = [];
	let token = '';
	let pages = 0;
	let version = '';
	do {
		const page = (await api(`/api/v1/pods?limit=3${token ? `&continue=${encodeURIComponent(token)}` : ''}`)).body;
		names.push(...page.items.map((pod: any) => `${pod.metadata.namespace}/${pod.metadata.name}`));
		version ||= page.metadata.resourceVersion;
		assert.equal(page.metadata.resourceVersion, version);
		token = page.metadata.continue ?? '';
		if (token) {
			assert.equal(page.metadata.remainingItemCount, (await api('/api/v1/pods')).body.items.length - names.length);
		}

		pages++;
	} while (token && pages < 10);
	assert.equal(pages, 2);
	assert.deepEqual(names, (await api('/api/v1/pods')).body.items.map((pod: any) => `${pod.metadata.namespace}/${pod.metadata.name}`));
	const table = (await api('/api/v1/namespaces/kube-system/pods?limit=1', {headers: {accept: 'application/json;as=Table;v=v1;g=meta.k8s.io'}})).body;
	assert.equal(table.rows.length, 1);
	assert.ok(table.metadata.continue);
	assert.equal((await api('/api/v1/pods?limit=2&continue=garbage')).status, 400);
});

test('Tables: pod columns as the real server prints them, rows with PartialObjectMetadata, resourceVersion set', async () => {
	const table = (await api('/api/v1/namespaces/kube-system/pods', {headers: {accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'}})).body;
	assert.equal(table.kind, 'Table');
	assert.ok(Number(table.metadata.resourceVersion) > 0);
	assert.deepEqual(table.columnDefinitions.map((column: any) => [column.name, column.priority]), [
		['Name', 0],
		['Ready', 0],
		['Status', 0],
		['Restarts', 0],
		['Age', 0],
		['IP', 1],
		['Node', 1],
		['Nominated Node', 1],
		['Readiness Gates', 1],
	]);
	const row = table.rows.find((candidate: any) => candidate.cells[0] === 'kube-dns-788979dc8f-bbbbb');
	assert.deepEqual(row.cells.slice(1, 4), ['4/4', 'Running', '12']);
	assert.deepEqual(row.cells.slice(5), ['10.0.1.2', 'node-b', '<none>', '<none>']);
	assert.equal(row.object.kind, 'PartialObjectMetadata');
	assert.equal(row.object.metadata.namespace, 'kube-system');
	assert.equal(row.object.spec, undefined);
	const full = (await api('/api/v1/namespaces/kube-system/pods?includeObject=Object', {headers: {accept: 'application/json;as=Table;v=v1;g=meta.k8s.io'}})).body;
	assert.equal(full.rows[0].object.kind, 'Pod');
	const services = (await api('/api/v1/namespaces/default/services', {headers: {accept: 'application/json;as=Table;v=v1;g=meta.k8s.io'}})).body;
	assert.deepEqual(services.rows[0].cells.slice(0, 5), ['frontend', 'ClusterIP', '10.3.240.20', '<none>', '80/TCP']);
});

test('errors are Status objects: 404 with details, 405, 409 AlreadyExists, 415 for apply patches', async () => {
	const missing = await api('/api/v1/namespaces/kube-system/pods/nope');
	assert.equal(missing.status, 404);
	assert.deepEqual(missing.body, {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "nope" not found', reason: 'NotFound', details: {name: 'nope', kind: 'pods'}, code: 404});
	const deployment = await api('/apis/apps/v1/namespaces/kube-system/deployments/nope');
	assert.equal(deployment.body.message, 'deployments.apps "nope" not found');
	assert.equal(deployment.body.details.group, 'apps');
	assert.equal((await api('/api/v1/bogus')).status, 404);
	const exists = await api('/api/v1/namespaces/default/services', {method: 'POST', body: JSON.stringify({apiVersion: 'v1', kind: 'Service', metadata: {name: 'frontend'}, spec: {}})});
	assert.equal(exists.status, 409);
	assert.equal(exists.body.reason, 'AlreadyExists');
	const apply = await api('/api/v1/namespaces/default/services/frontend', {method: 'PATCH', headers: {'content-type': 'application/apply-patch+yaml'}, body: '{}'});
	assert.equal(apply.status, 415);
});

test('create, merge patch, JSON patch, replace with a stale resourceVersion (409 Conflict)', async () => {
	const created = await api('/api/v1/namespaces/default/configmaps', {method: 'POST', body: JSON.stringify({metadata: {name: 'settings'}, data: {a: '1'}})});
	assert.equal(created.status, 201);
	assert.equal(created.body.metadata.namespace, 'default');
	const patched = await api('/api/v1/namespaces/default/pods/frontend-abc-xxxxx', {
		method: 'PATCH',
		headers: {'content-type': 'application/strategic-merge-patch+json'},
		body: JSON.stringify({metadata: {labels: {extra: 'yes'}}}),
	});
	assert.equal(patched.status, 200);
	assert.deepEqual(patched.body.metadata.labels, {app: 'guestbook', tier: 'frontend', extra: 'yes'});
	const jsonPatched = await api('/api/v1/namespaces/default/pods/frontend-abc-xxxxx', {
		method: 'PATCH',
		headers: {'content-type': 'application/json-patch+json'},
		body: JSON.stringify([{op: 'remove', path: '/metadata/labels/extra'}]),
	});
	assert.deepEqual(jsonPatched.body.metadata.labels, {app: 'guestbook', tier: 'frontend'});
	const stale = await api('/api/v1/namespaces/default/pods/frontend-abc-xxxxx', {method: 'PUT', body: JSON.stringify({...jsonPatched.body, metadata: {...jsonPatched.body.metadata, resourceVersion: '1'}})});
	assert.equal(stale.status, 409);
	assert.equal(stale.body.reason, 'Conflict');
});

test('watch from a resourceVersion replays what followed and stays live; selectors turn membership changes into ADDED/DELETED', async () => {
	const base = sim.cluster.store.resourceVersion;
	sim.cluster.replace('pods', 'kube-system', 'kube-proxy-node-a', {...sim.cluster.store.get('pods', 'kube-system', 'kube-proxy-node-a')!, metadata: {name: 'kube-proxy-node-a', labels: {component: 'kube-proxy', tier: 'node', marked: 'one'}}});
	const all = await watch(`${sim.url}/api/v1/namespaces/kube-system/pods?watch=true&resourceVersion=${base}`);
	const selective = await watch(`${sim.url}/api/v1/namespaces/kube-system/pods?watch=true&resourceVersion=${sim.cluster.store.resourceVersion}&labelSelector=marked%3Dyes`);
	assert.equal((await all.next(event => event.type === 'MODIFIED')).object.metadata.labels.marked, 'one');
	const current = sim.cluster.store.get('pods', 'kube-system', 'kube-proxy-node-a')!;
	sim.cluster.replace('pods', 'kube-system', 'kube-proxy-node-a', {...current, metadata: {...current.metadata, labels: {...current.metadata.labels, marked: 'yes'}}});
	assert.equal((await selective.next(event => event.type === 'ADDED')).object.metadata.name, 'kube-proxy-node-a');
	const again = sim.cluster.store.get('pods', 'kube-system', 'kube-proxy-node-a')!;
	sim.cluster.replace('pods', 'kube-system', 'kube-proxy-node-a', {...again, metadata: {...again.metadata, labels: {component: 'kube-proxy', tier: 'node'}}});
	await selective.next(event => event.type === 'DELETED');
	assert.equal(all.events.filter(event => event.type === 'MODIFIED').length, 3);
	assert.ok(all.events.every(event => event.object.metadata.namespace === 'kube-system'));
	all.close();
	selective.close();
});

test('a selective watch from an older version: an object that left the selection since then arrives as DELETED; other namespaces stay silent', async () => {
	const relabel = (namespace: string, name: string, labels: Record<string, string>) => {
		const current = sim.cluster.store.get('pods', namespace, name)!;
		sim.cluster.replace('pods', namespace, name, {...current, metadata: {...current.metadata, labels}});
	};

	relabel('kube-system', 'kube-dns-788979dc8f-bbbbb', {'k8s-app': 'kube-dns', group: 'a'});
	relabel('default', 'frontend-abc-xxxxx', {app: 'guestbook', tier: 'frontend', group: 'a'});
	const listed = (await api('/api/v1/namespaces/kube-system/pods?labelSelector=group%3Da')).body;
	assert.deepEqual(listed.items.map((pod: any) => pod.metadata.name), ['kube-dns-788979dc8f-bbbbb']);
	// Both leave the selection before the watch starts.
	relabel('kube-system', 'kube-dns-788979dc8f-bbbbb', {'k8s-app': 'kube-dns'});
	relabel('default', 'frontend-abc-xxxxx', {app: 'guestbook', tier: 'frontend'});
	const stream = await watch(`${sim.url}/api/v1/namespaces/kube-system/pods?watch=true&labelSelector=group%3Da&resourceVersion=${listed.metadata.resourceVersion}&timeoutSeconds=1`);
	assert.equal(await stream.ended, 'end');
	assert.deepEqual(stream.events.map(event => [event.type, event.object.metadata.name]), [['DELETED', 'kube-dns-788979dc8f-bbbbb']]);
});

test('BOOKMARK events only when allowWatchBookmarks=true, one per interval until timeoutSeconds ends the watch', async () => {
	const {serveWatch} = await import('../../../source/sim/server/watch.js');
	const {createServer} = await import('node:http');
	const clock = manualClock();
	const server = createServer((request, response) => {
		const url = new URL(request.url!, 'http://x');
		serveWatch({
			store: sim.cluster.store,
			resource: 'nodes',
			kind: 'Node',
			apiVersion: 'v1',
			matcher: () => true,
			selective: false,
			resourceVersion: String(sim.cluster.store.resourceVersion),
			timeoutSeconds: 0.3,
			allowBookmarks: url.searchParams.get('allowWatchBookmarks') === 'true',
			bookmarkIntervalMs: 50,
			clock,
		}, response);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	try {
		const base = `http://127.0.0.1:${(server.address() as any).port}/`;
		const withBookmarks = await watch(`${base}?allowWatchBookmarks=true`);
		const without = await watch(base);
		// Both watches are open (their headers came): 300 ms of their clock is five bookmarks, then the end.
		clock.advance(300);
		await Promise.all([withBookmarks.ended, without.ended]);
		assert.equal(withBookmarks.events.length, 5);
		assert.ok(withBookmarks.events.every(event => event.type === 'BOOKMARK' && event.object.kind === 'Node' && event.object.metadata.resourceVersion === String(sim.cluster.store.resourceVersion)));
		assert.deepEqual(without.events, []);
	} finally {
		server.close();
	}
});

test('watch from 0 sends ADDED for everything first; timeoutSeconds ends the stream cleanly', async () => {
	const stream = await watch(`${sim.url}/api/v1/nodes?watch=1&resourceVersion=0&timeoutSeconds=1`);
	assert.deepEqual(stream.events.length === 0 ? (await stream.next(() => true), stream.events.map(event => event.type)) : stream.events.map(event => event.type), ['ADDED', 'ADDED']);
	assert.equal(await stream.ended, 'end');
});

test('a watch from an expired resourceVersion gets a 200 and one ERROR event with a 410 Expired Status', async () => {
	const old = sim.cluster.store.resourceVersion;
	sim.faults.expireResourceVersions();
	const stream = await watch(`${sim.url}/api/v1/pods?watch=true&resourceVersion=${old}`);
	assert.equal(await stream.ended, 'end');
	assert.equal(stream.events.length, 1);
	assert.equal(stream.events[0].type, 'ERROR');
	assert.equal(stream.events[0].object.code, 410);
	assert.equal(stream.events[0].object.reason, 'Expired');
	// A fresh list hands out a version that can be watched again.
	const fresh = (await api('/api/v1/pods')).body.metadata.resourceVersion;
	const again = await watch(`${sim.url}/api/v1/pods?watch=true&resourceVersion=${fresh}&timeoutSeconds=1`);
	assert.equal(await again.ended, 'end');
	assert.equal(again.events.length, 0);
});

test('Table watches carry one-row Tables, column definitions only in the first', async () => {
	const version = sim.cluster.store.resourceVersion;
	const stream = await watch(`${sim.url}/api/v1/namespaces/default/pods?watch=true&resourceVersion=${version}`, {accept: 'application/json;as=Table;v=v1;g=meta.k8s.io'});
	for (const value of ['a', 'b']) {
		const current = sim.cluster.store.get('pods', 'default', 'frontend-abc-xxxxx')!;
		sim.cluster.replace('pods', 'default', 'frontend-abc-xxxxx', {...current, metadata: {...current.metadata, annotations: {step: value}}});
	}

	await stream.next(() => stream.events.length >= 2);
	const [first, second] = stream.events;
	assert.equal(first.object.kind, 'Table');
	assert.equal(first.object.rows.length, 1);
	assert.equal(first.object.columnDefinitions.length, 9);
	assert.equal(second.object.columnDefinitions.length, 0);
	assert.equal(second.object.rows[0].object.metadata.annotations.step, 'b');
	stream.close();
});

test('delete: query-parameter DeleteOptions, the Pod with deletionTimestamp back, then DELETED once it is gone', async () => {
	const version = sim.cluster.store.resourceVersion;
	const stream = await watch(`${sim.url}/api/v1/namespaces/kube-system/pods?watch=true&resourceVersion=${version}&fieldSelector=metadata.name%3Dkube-dns-788979dc8f-aaaaa`);
	const deleted = await api('/api/v1/namespaces/kube-system/pods/kube-dns-788979dc8f-aaaaa?gracePeriodSeconds=5&propagationPolicy=Background', {method: 'DELETE'});
	assert.equal(deleted.status, 200);
	assert.equal(deleted.body.kind, 'Pod');
	assert.equal(deleted.body.metadata.deletionGracePeriodSeconds, 5);
	await stream.next(event => event.type === 'DELETED');
	assert.deepEqual(stream.events.map(event => event.type), ['MODIFIED', 'DELETED']);
	stream.close();
	const workload = await api('/apis/apps/v1/namespaces/kube-system/deployments/kube-dns', {method: 'DELETE', body: JSON.stringify({kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background'})});
	assert.equal(workload.body.kind, 'Status');
	assert.equal(workload.body.status, 'Success');
	assert.equal(workload.body.details.name, 'kube-dns');
	assert.ok(workload.body.details.uid);
	const badPolicy = await api('/api/v1/namespaces/default/pods/frontend-abc-xxxxx?propagationPolicy=Sometimes', {method: 'DELETE'});
	assert.equal(badPolicy.status, 400);
});

test('service proxy passes the backend answer through; unknown services are 404', async () => {
	const answer = await api('/api/v1/namespaces/default/services/frontend:80/proxy/guestbook.php?cmd=get');
	assert.deepEqual(answer.body, {data: ''});
	sim.cluster.proxyAnswer = {status: 500, contentType: 'text/html', body: 'Fatal error'};
	const failing = await api('/api/v1/namespaces/default/services/https:frontend:80/proxy/');
	assert.equal(failing.status, 500);
	assert.equal(failing.body, 'Fatal error');
	sim.cluster.proxyAnswer = {status: 200, contentType: 'application/json', body: '{"data": ""}'};
	assert.equal((await api('/api/v1/namespaces/default/services/nope/proxy/')).status, 404);
});

test('metrics.k8s.io answers PodMetrics while metrics-server is up, 503 ServiceUnavailable while it is down', async () => {
	const list = (await api('/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods')).body;
	assert.equal(list.kind, 'PodMetricsList');
	assert.ok(list.items.length > 0);
	assert.match(list.items[0].containers[0].usage.cpu, /^\d+m$/);
	// The health probe's question, metrics-server's own pods only: this cluster has none, so
	// none of the pods above is in the answer, and the answer is still a PodMetricsList.
	const probed = (await api(metricsApiPath)).body;
	assert.equal(probed.kind, 'PodMetricsList');
	assert.deepEqual(probed.items, []);
	sim.cluster.metricsUp = false;
	const down = await api('/apis/metrics.k8s.io/v1beta1/nodes');
	assert.equal(down.status, 503);
	assert.equal(down.body.reason, 'ServiceUnavailable');
	sim.cluster.metricsUp = true;
});

test('GET /sim/truth serves the world\'s truth', async () => {
	assert.deepEqual((await api('/sim/truth')).body, {guestbook: [{startMs: 1, endMs: 2}], dns: [], nodesNotReady: {}});
});

test('client-node Exec: stdout and a Success status; a non-zero exit as NonZeroExitCode with the exit code', async () => {
	const config = new KubeConfig();
	config.loadFromString(sim.kubeconfig);
	const exec = new Exec(config);
	const run = (command: string[]) =>
		new Promise<{stdout: string; status: any}>((resolve, reject) => {
			const stdout = new PassThrough();
			let text = '';
			stdout.on('data', chunk => {
				text += chunk;
			});
			exec.exec('default', 'frontend-abc-xxxxx', 'php-redis', command, stdout, null, null, false, status => resolve({stdout: text, status})).catch(reject);
		});
	const found = await run(['getent', 'hosts', 'redis-follower']);
	assert.match(found.stdout, /^10\.3\.250\.10\s+redis-follower/);
	assert.equal(found.status.status, 'Success');
	const missing = await run(['getent', 'hosts', 'nowhere']);
	assert.equal(missing.status.status, 'Failure');
	assert.equal(missing.status.reason, 'NonZeroExitCode');
	assert.deepEqual(missing.status.details.causes, [{reason: 'ExitCode', message: '2'}]);
});

test('takeDown cuts open watches without a clean end and refuses connections; bringBack serves the same world on the same port', async () => {
	const stream = await watch(`${sim.url}/api/v1/pods?watch=true&resourceVersion=${sim.cluster.store.resourceVersion}`);
	const port = new URL(sim.url).port;
	await sim.faults.takeDown();
	assert.equal(await stream.ended, 'aborted');
	await assert.rejects(fetch(`${sim.url}/version`));
	await sim.faults.bringBack();
	assert.equal(new URL(sim.url).port, port);
	const pods = await eventually(async () => (await api('/api/v1/namespaces/default/pods')).body, 'the server to answer again');
	assert.ok(pods.items.some((pod: any) => pod.metadata.name === 'frontend-abc-xxxxx'));
});

function rawExec(path: string, protocols: string[]): Promise<{protocol: string; frames: Buffer[]; closeCode: number}> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(sim.url.replace('http', 'ws') + path, protocols);
		const frames: Buffer[] = [];
		socket.on('open', () => {
			// The v5 close signal for stdin: the server must take it in its stride.
			if (socket.protocol === 'v5.channel.k8s.io') {
				socket.send(Buffer.from([255, 0]));
			}
		});
		socket.on('message', (data: Buffer) => frames.push(data));
		socket.on('close', code => resolve({protocol: socket.protocol, frames, closeCode: code}));
		socket.on('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
		socket.on('error', reject);
	});
}

test('exec over raw WebSocket: the best offered protocol is echoed; binary frames, channel byte first, status last', async () => {
	const path = '/api/v1/namespaces/default/pods/frontend-abc-xxxxx/exec?command=echo&command=hello&container=php-redis&stdout=true&stderr=true';
	const v4 = await rawExec(path, ['v4.channel.k8s.io', 'v3.channel.k8s.io']);
	assert.equal(v4.protocol, 'v4.channel.k8s.io');
	assert.deepEqual(v4.frames.map(frame => frame[0]), [1, 3]);
	assert.equal(v4.frames[0].subarray(1).toString(), 'hello\n');
	assert.deepEqual(JSON.parse(v4.frames[1].subarray(1).toString()), {metadata: {}, status: 'Success'});
	assert.equal(v4.closeCode, 1000);
	const v5 = await rawExec(path, ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io']);
	assert.equal(v5.protocol, 'v5.channel.k8s.io');
	assert.deepEqual(v5.frames.map(frame => frame[0]), [1, 3]);
	await assert.rejects(rawExec(path, ['base64.binary.k8s.io']), /HTTP 400/);
	await assert.rejects(rawExec(path.replace('frontend-abc-xxxxx', 'nope'), ['v5.channel.k8s.io']), /HTTP 404/);
});
