// Paged lists as the real API server serves them: etcd's key order, and every page of one
// list read from the snapshot of its first page, whatever changed in between; a snapshot the
// history no longer holds is 410 Expired. Then the same over HTTP (with the query parameters
// parsed as the API server parses them), and with the real kubectl.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {SortedIndex} from '../../../source/sim/server/sorted-index.js';
import {Store, StoreError, type KubeObject} from '../../../source/sim/store.js';
import {object, runningPod} from '../../helpers/fake-cluster.js';
import {kubectlFor, parseTable, type Kubectl} from '../../helpers/kubectl.js';
import {startFakeSim, startTestSim} from '../../helpers/sim.js';
import type {SimHandle} from '../../../source/sim/sim-handle.js';

const names = (items: KubeObject[]) => items.map(item => `${item.metadata.namespace}/${item.metadata.name}`);
const everything = () => true;

function storeWith(pods: Array<[string, string]>, historyLimit?: number): Store {
	const store = new Store({historyLimit});
	for (const [namespace, name] of pods) {
		store.create('pods', object('pods', {name, namespace, labels: {tier: 'one'}}));
	}

	return store;
}

test('all-namespace lists come in etcd key order: "kube-system/…" sorts before "kube/…" because - is below /', () => {
	const store = storeWith([['kube', 'a'], ['kube-system', 'b'], ['default', 'c'], ['kube', 'b']]);
	const index = new SortedIndex(store);
	assert.deepEqual(names(index.page('pods', undefined, undefined, 0, everything).items), ['default/c', 'kube-system/b', 'kube/a', 'kube/b']);
	assert.deepEqual(names(index.page('pods', 'kube', undefined, 0, everything).items), ['kube/a', 'kube/b']);
	// Kept in order as objects come and go, without a rebuild.
	store.create('pods', object('pods', {name: 'aa', namespace: 'kube'}));
	store.remove('pods', 'kube-system', 'b');
	assert.deepEqual(names(index.page('pods', undefined, undefined, 0, everything).items), ['default/c', 'kube/a', 'kube/aa', 'kube/b']);
});

test('later pages read the first page\'s snapshot: deleted, created and modified objects appear as they were', () => {
	const store = storeWith(Array.from({length: 10}, (_, index) => ['default', `p${index}`] as [string, string]));
	const index = new SortedIndex(store);
	const snapshot = store.resourceVersion;
	const first = index.page('pods', 'default', undefined, 3, everything, snapshot);
	assert.deepEqual(names(first.items), ['default/p0', 'default/p1', 'default/p2']);
	assert.equal(first.continueAfter, 'default/p2');
	assert.equal(first.remaining, 7);

	store.remove('pods', 'default', 'p4');
	store.remove('pods', 'default', 'p1');
	store.create('pods', object('pods', {name: 'p45', namespace: 'default'}));
	store.create('pods', object('pods', {name: 'p99', namespace: 'default'}));
	store.update('pods', 'default', 'p5', draft => {
		draft.metadata.labels = {tier: 'two'};
	});
	store.remove('pods', 'default', 'p7');
	store.create('pods', object('pods', {name: 'p7', namespace: 'default'}));

	const second = index.page('pods', 'default', `${first.continueAfter}\u0000`, 4, everything, snapshot);
	assert.deepEqual(names(second.items), ['default/p3', 'default/p4', 'default/p5', 'default/p6']);
	assert.equal(second.items[2].metadata.labels?.tier, 'one', 'p5 as it was at the snapshot');
	assert.equal(second.remaining, 3);
	const third = index.page('pods', 'default', `${second.continueAfter}\u0000`, 4, everything, snapshot);
	assert.deepEqual(names(third.items), ['default/p7', 'default/p8', 'default/p9']);
	assert.equal(third.continueAfter, undefined);
	assert.notEqual(third.items[0].metadata.uid, store.get('pods', 'default', 'p7')!.metadata.uid, 'the p7 of the snapshot, not its replacement');

	// Without a snapshot, the current state.
	assert.deepEqual(names(index.page('pods', 'default', undefined, 0, everything).items), ['default/p0', 'default/p2', 'default/p3', 'default/p45', 'default/p5', 'default/p6', 'default/p7', 'default/p8', 'default/p9', 'default/p99']);
	// A selector filters the snapshot's objects, not today's.
	const tierOne = (pod: KubeObject) => pod.metadata.labels?.tier === 'one';
	assert.deepEqual(names(index.page('pods', 'default', 'default/p5', 0, tierOne, snapshot).items), ['default/p5', 'default/p6', 'default/p7', 'default/p8', 'default/p9']);
});

test('a snapshot older than the kept history is 410 Expired', () => {
	const store = storeWith([['default', 'a'], ['default', 'b'], ['default', 'c']], 4);
	const index = new SortedIndex(store);
	const snapshot = store.resourceVersion;
	index.page('pods', 'default', undefined, 1, everything, snapshot);
	for (let round = 0; round < 5; round++) {
		store.update('pods', 'default', 'c', draft => {
			draft.metadata.labels = {round: String(round)};
		});
	}

	assert.throws(() => index.page('pods', 'default', 'default/a\u0000', 1, everything, snapshot), (error: unknown) => error instanceof StoreError && error.code === 410);
});

describe('paging and query parameters over HTTP', () => {
	let sim: Awaited<ReturnType<typeof startFakeSim>>;
	before(async () => {
		sim = await startFakeSim();
		for (let index = 0; index < 6; index++) {
			sim.cluster.store.create('pods', runningPod('default', `page-${index}`));
		}
	});

	after(async () => {
		await sim.stop();
	});

	async function get(path: string): Promise<{status: number; body: any}> {
		const response = await fetch(sim.url + path);
		return {status: response.status, body: await response.json()};
	}

	test('a pod deleted and one created between pages: the pages add up to the list as it was at the first', async () => {
		const before = (await get('/api/v1/namespaces/default/pods')).body;
		const first = (await get('/api/v1/namespaces/default/pods?limit=2')).body;
		assert.equal(first.metadata.resourceVersion, before.metadata.resourceVersion);
		sim.cluster.store.remove('pods', 'default', 'page-3');
		sim.cluster.store.create('pods', runningPod('default', 'page-25'));
		const seen = [...first.items];
		let token = first.metadata.continue as string | undefined;
		while (token) {
			const page = (await get(`/api/v1/namespaces/default/pods?limit=2&continue=${encodeURIComponent(token)}`)).body;
			assert.equal(page.metadata.resourceVersion, first.metadata.resourceVersion, 'every page reports the snapshot\'s version');
			seen.push(...page.items);
			token = page.metadata.continue;
		}

		assert.deepEqual(names(seen), names(before.items));
		assert.ok(names(seen).includes('default/page-3'));
		assert.ok(!names(seen).includes('default/page-25'));
	});

	test('a token whose snapshot is gone: 410 Expired as the API server words it, with a token that goes on from the current state', async () => {
		const first = (await get('/api/v1/namespaces/default/pods?limit=2')).body;
		sim.cluster.store.expireHistory();
		const expired = await get(`/api/v1/namespaces/default/pods?limit=2&continue=${encodeURIComponent(first.metadata.continue)}`);
		assert.equal(expired.status, 410);
		assert.equal(expired.body.kind, 'Status');
		assert.equal(expired.body.reason, 'Expired');
		assert.match(expired.body.message, /^The provided continue parameter is too old to display a consistent list result\. You can start a new list without the continue parameter, or use the continue token in this response/);
		const rest = await get(`/api/v1/namespaces/default/pods?continue=${encodeURIComponent(expired.body.metadata.continue)}`);
		assert.equal(rest.status, 200);
		assert.equal(rest.body.metadata.resourceVersion, String(sim.cluster.store.resourceVersion));
		assert.deepEqual(names([...first.items, ...rest.body.items]), names((await get('/api/v1/namespaces/default/pods')).body.items));
	});

	test('query parameters as the API server parses them: watch=True watches, bad integers and continue with a resourceVersion are 400', async () => {
		const controller = new AbortController();
		const response = await fetch(`${sim.url}/api/v1/namespaces/default/pods?watch=True&resourceVersion=0`, {signal: controller.signal});
		const reader = response.body!.getReader();
		const {value} = await reader.read();
		controller.abort();
		assert.equal(JSON.parse(new TextDecoder().decode(value).split('\n')[0]).type, 'ADDED');
		const notWatching = await get('/api/v1/namespaces/default/pods?watch=FALSE');
		assert.equal(notWatching.body.kind, 'PodList');
		for (const [query, message] of [
			['limit=ten', 'strconv.ParseInt: parsing "ten": invalid syntax'],
			['watch=1&timeoutSeconds=1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
			['labelSelector=a%20b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
			// Decoded as ListOptions before the server knows it is a watch: a bad limit fails one too.
			['watch=yes&limit=ten', 'strconv.ParseInt: parsing "ten": invalid syntax'],
		]) {
			const bad = await get(`/api/v1/namespaces/default/pods?${query}`);
			assert.equal(bad.status, 400, query);
			assert.deepEqual({kind: bad.body.kind, reason: bad.body.reason, code: bad.body.code, message: bad.body.message}, {kind: 'Status', reason: 'BadRequest', code: 400, message}, query);
		}

		const first = (await get('/api/v1/namespaces/default/pods?limit=1')).body;
		const both = await get(`/api/v1/namespaces/default/pods?limit=1&resourceVersion=5&continue=${encodeURIComponent(first.metadata.continue)}`);
		assert.equal(both.status, 400);
		assert.equal(both.body.message, 'specifying resource version is not allowed when using continue');
		const deleted = await fetch(`${sim.url}/api/v1/namespaces/default/pods/page-0?gracePeriodSeconds=soon`, {method: 'DELETE'});
		assert.equal(deleted.status, 400);
		assert.equal(((await deleted.json()) as any).message, 'strconv.ParseInt: parsing "soon": invalid syntax');
	});
});

describe('kubectl get pods pages a big kube-system', () => {
	let sim: SimHandle;
	let kubectl: Kubectl;
	before(async () => {
		// 300 nodes: a fluentd and a kube-proxy pod each, so more than one 500-pod chunk.
		sim = await startTestSim({nodes: 300, speed: 1});
		kubectl = kubectlFor(sim.kubeconfig);
	});

	after(async () => {
		await kubectl?.cleanup();
		await sim?.stop();
	});

	test('the default chunked get (500 a page) prints the same pods as --chunk-size=0, having followed a continue token', async () => {
		const paged = await kubectl.run(['get', 'pods', '-n', 'kube-system', '-v=6']);
		assert.equal(paged.code, 0, paged.stderr);
		assert.match(paged.stderr, /pods\?continue=[^&\s]+&limit=500 200 OK/);
		const whole = await kubectl.run(['get', 'pods', '-n', 'kube-system', '--chunk-size=0']);
		assert.equal(whole.code, 0, whole.stderr);
		const podNames = (text: string) => parseTable(text).slice(1).map(row => row[0]);
		const pagedNames = podNames(paged.stdout);
		assert.ok(pagedNames.length > 600, `${pagedNames.length} pods`);
		assert.deepEqual(pagedNames, podNames(whole.stdout));
	});
});

test('a List is streamed as kube-apiserver 1.33 streams it: chunked, item by item, the same JSON as one piece', async () => {
	const {createServer, request} = await import('node:http');
	const {Exchange} = await import('../../../source/sim/server/exchange.js');
	const {FreezeGate} = await import('../../../source/sim/server/freeze-gate.js');
	// Big enough to need several pieces (and a wait for the socket to drain); then none at all.
	const many = Array.from({length: 3000}, (_, index) => ({metadata: {name: `pod-${index}`, annotations: {note: 'x'.repeat(200)}}}));
	const lists = [many, []];
	const server = createServer((incoming, response) => {
		new Exchange(incoming, response, new FreezeGate()).sendList({kind: 'PodList', apiVersion: 'v1', metadata: {resourceVersion: '9'}}, lists.shift()!);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as import('node:net').AddressInfo;
	const get = async () => new Promise<{headers: import('node:http').IncomingHttpHeaders; body: string}>((resolve, reject) => {
		request(`http://127.0.0.1:${port}/`, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (piece: string) => {
				body += piece;
			});
			response.on('end', () => resolve({headers: response.headers, body}));
		}).on('error', reject).end();
	});
	try {
		const streamed = await get();
		assert.equal(streamed.headers['transfer-encoding'], 'chunked');
		assert.equal(streamed.headers['content-length'], undefined, 'not encoded whole first');
		assert.equal(streamed.body, JSON.stringify({kind: 'PodList', apiVersion: 'v1', metadata: {resourceVersion: '9'}, items: many}));
		const empty = await get();
		assert.deepEqual(JSON.parse(empty.body), {kind: 'PodList', apiVersion: 'v1', metadata: {resourceVersion: '9'}, items: []});
	} finally {
		await new Promise(resolve => server.close(resolve));
	}
});
