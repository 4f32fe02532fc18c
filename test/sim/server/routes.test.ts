// The route table's decisions, seen from a client: which verb a method means on a resource
// (what RBAC is asked), 405 for a method a route does not take, 404 for a path no route has,
// and the order of the checks (a bad query before RBAC, RBAC before the object is looked up).
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {startFakeSim} from '../../helpers/sim.js';

type Sim = Awaited<ReturnType<typeof startFakeSim>>;
let sim: Sim;

before(async () => {
	sim = await startFakeSim({forbid: ['list:pods', 'watch:pods', 'update:pods', 'patch:pods/status', 'update:services/proxy']});
});

after(async () => {
	await sim.stop();
});

const pod = '/api/v1/namespaces/kube-system/pods/kube-dns-788979dc8f-aaaaa';

async function api(path: string, init: RequestInit = {}): Promise<{status: number; body: any}> {
	const response = await fetch(sim.url + path, init);
	const text = await response.text();
	try {
		return {status: response.status, body: JSON.parse(text)};
	} catch {
		return {status: response.status, body: text};
	}
}

/** The verb in a 403's message: `cannot VERB resource "RESOURCE"`. */
async function refusedAs(path: string, init: RequestInit = {}): Promise<string> {
	const {status, body} = await api(path, init);
	assert.equal(status, 403, `${init.method ?? 'GET'} ${path}: ${JSON.stringify(body)}`);
	return /cannot (\S+ resource "[^"]+")/.exec(body.message)![1];
}

test('a collection GET is list, or watch with ?watch or under /watch/; PUT is update, PATCH on status is patch of pods/status', async () => {
	assert.equal(await refusedAs('/api/v1/namespaces/kube-system/pods'), 'list resource "pods"');
	assert.equal(await refusedAs('/api/v1/namespaces/kube-system/pods?watch=1'), 'watch resource "pods"');
	assert.equal(await refusedAs('/api/v1/watch/namespaces/kube-system/pods'), 'watch resource "pods"');
	assert.equal(await refusedAs(pod, {method: 'PUT', body: '{}'}), 'update resource "pods"');
	assert.equal(await refusedAs(pod + '/status', {method: 'PATCH', headers: {'content-type': 'application/merge-patch+json'}, body: '{}'}), 'patch resource "pods/status"');
	// A proxied request's verb comes from its method.
	assert.equal(await refusedAs('/api/v1/namespaces/default/services/frontend/proxy/', {method: 'PUT', body: ''}), 'update resource "services/proxy"');
	assert.equal((await api(pod)).status, 200);
});

test('a bad query value is a 400 before RBAC is asked; RBAC is asked before the object is looked up', async () => {
	const bad = await api('/api/v1/namespaces/kube-system/pods?limit=x');
	assert.equal(bad.status, 400);
	assert.equal(bad.body.message, 'strconv.ParseInt: parsing "x": invalid syntax');
	assert.equal(await refusedAs('/api/v1/namespaces/kube-system/pods/nope', {method: 'PUT', body: '{}'}), 'update resource "pods"');
});

test('405 for a method the route does not take, 404 for a path no route has', async () => {
	const methodNotAllowed = [
		['PUT', '/api/v1/namespaces/kube-system/pods'],
		['DELETE', '/api/v1/namespaces/kube-system/pods'],
		['POST', pod],
		['DELETE', pod + '/status'],
		['GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'],
	];
	for (const [method, path] of methodNotAllowed) {
		const {status, body} = await api(path, {method});
		assert.equal(status, 405, `${method} ${path}`);
		assert.equal(body.reason, 'MethodNotAllowed');
	}

	const notFound = [
		['GET', pod + '/bogus'],
		['GET', pod + '/scale'],
		['POST', pod + '/status/extra'],
		['GET', '/api/v1/pods/kube-dns-788979dc8f-aaaaa'],
		['GET', '/apis/bogus.example.com'],
		['GET', '/openapi/v3/apis/bogus/v1'],
		['GET', '/apis/authorization.k8s.io/v1/other'],
	];
	for (const [method, path] of notFound) {
		const {status, body} = await api(path, {method});
		assert.equal(status, 404, `${method} ${path}`);
		assert.equal(body.message, 'the server could not find the requested resource');
	}
});

test('a Deployment has a scale subresource: GET answers an autoscaling/v1 Scale', async () => {
	const scale = await api('/apis/apps/v1/namespaces/kube-system/deployments/kube-dns/scale');
	assert.equal(scale.status, 200);
	assert.deepEqual([scale.body.kind, scale.body.spec, scale.body.status.selector], ['Scale', {replicas: 2}, 'k8s-app=kube-dns']);
});

/** What the server writes back to a raw request, until it closes the connection. */
async function rawReply(request: string): Promise<string> {
	const {connect} = await import('node:net');
	const {port} = new URL(sim.url);
	return new Promise<string>((resolve, reject) => {
		let text = '';
		const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
		socket.on('data', chunk => {
			text += String(chunk);
		});
		socket.on('end', () => resolve(text));
		socket.on('error', reject);
	});
}

test('a request line that is no URL (GET http://[bad/) is a 400 and the server goes on answering', async () => {
	const reply = await rawReply('DELETE http://[bad/ HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\r\n');
	assert.match(reply.split('\r\n')[0]!, /^HTTP\/1\.1 400 /);
	assert.match(reply, /the request URL \\"http:\/\/\[bad\/\\" is not valid/);
	assert.equal((await api('/version')).status, 200, 'still answering');
});

test('an exec upgrade with a path that is not validly percent-encoded is a 400, as the same path without the upgrade', async () => {
	const path = '/api/v1/namespaces/kube-system/pods/%E0%A4%A/exec?command=true';
	const upgrade = await rawReply(`GET ${path} HTTP/1.1\r\nHost: sim\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
	assert.match(upgrade.split('\r\n')[0]!, /^HTTP\/1\.1 400 /);
	assert.match(upgrade, /is not validly percent-encoded/);
	assert.equal((await api(path)).status, 400);
});
