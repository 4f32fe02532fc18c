import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {CoreV1Api} from '@kubernetes/client-node';
import {connectionFromString, type Connection} from '../../source/kube/connect.js';
import {listedWhole, startInformer, type InformerState} from '../../source/kube/informer.js';
import type {FeedUpdate} from '../../source/kube/pod-source.js';
import {checkNamespaceReadable, PreflightError} from '../../source/kube/preflight.js';
import {combineStates, watchPodSource} from '../../source/kube/watch-pod-source.js';
import {runningPod} from '../helpers/fake-cluster.js';
import {kubeConfigFor} from '../helpers/kubeconfig.js';
import {eventually, startFakeSim} from '../helpers/sim.js';

type Recorder = {updates: FeedUpdate[]; pods: Map<string, string>; phases: string[]};

/** Follows a PodSource the way the screen does: pod names by uid, connection phases in order. */
function record(): Recorder & {listener(update: FeedUpdate): void} {
	const recorder: Recorder = {updates: [], pods: new Map(), phases: []};
	return {
		...recorder,
		listener(update) {
			recorder.updates.push(update);
			if (update.type === 'pod-upserted') {
				recorder.pods.set(update.pod.metadata!.uid!, update.pod.metadata!.name!);
			} else if (update.type === 'pod-deleted') {
				recorder.pods.delete(update.pod.metadata!.uid!);
			} else if (update.type === 'connection') {
				recorder.phases.push(update.state.phase);
			}
		},
	};
}

const podNames = (recorder: Recorder) => [...recorder.pods.values()].sort();

describe('watchPodSource against the simulator', () => {
	let sim: Awaited<ReturnType<typeof startFakeSim>>;
	let connection: Connection;
	before(async () => {
		sim = await startFakeSim({deleteDelayMs: 50});
		connection = connectionFromString(sim.kubeconfig);
	});
	after(async () => sim.stop());

	test('lists the namespace, then follows creates and deletes; goes away and comes back', async () => {
		const recorder = record();
		const source = watchPodSource(connection, 'kube-system', {backoff: {initialMs: 50, maxMs: 200}});
		source.start(recorder.listener);
		try {
			await eventually(() => recorder.phases.at(-1) === 'live' && recorder.updates.some(u => u.type === 'pods-synced'), 'live and synced');
			assert.deepEqual(podNames(recorder), ['kube-dns-788979dc8f-aaaaa', 'kube-dns-788979dc8f-bbbbb', 'kube-proxy-node-a']);
			assert.ok(recorder.updates.some(u => u.type === 'owner-upserted' && u.owner.kind === 'Deployment' && u.owner.metadata?.name === 'kube-dns'), 'owners come with their kind');

			sim.cluster.create('pods', runningPod('kube-system', 'newcomer'));
			await eventually(() => podNames(recorder).includes('newcomer'), 'the created pod');
			sim.cluster.delete('pods', 'kube-system', 'newcomer', {gracePeriodSeconds: 0});
			await eventually(() => !podNames(recorder).includes('newcomer'), 'the deleted pod to go');
			assert.ok(!podNames(recorder).includes('frontend-abc-xxxxx'), 'only the namespace asked for');

			await sim.faults.takeDown();
			await eventually(() => recorder.phases.at(-1) === 'reconnecting', 'reconnecting');
			const away = recorder.updates.findLast(u => u.type === 'connection');
			assert.ok(away?.type === 'connection' && away.state.phase === 'reconnecting' && /refused|reset|closed|lost/.test(away.state.reason), JSON.stringify(away));
			// Changes while we are away are seen when we are back.
			sim.cluster.create('pods', runningPod('kube-system', 'born-while-away'));
			sim.cluster.delete('pods', 'kube-system', 'kube-proxy-node-a', {gracePeriodSeconds: 0});
			await sim.faults.bringBack();
			await eventually(() => recorder.phases.at(-1) === 'live', 'live again');
			await eventually(() => podNames(recorder).includes('born-while-away') && !podNames(recorder).includes('kube-proxy-node-a'), 'what changed while away');
		} finally {
			await source.stop();
		}
	});

	test('history expired while away: it lists again and drops what vanished', async () => {
		const recorder = record();
		const source = watchPodSource(connection, 'kube-system', {backoff: {initialMs: 50, maxMs: 200}});
		source.start(recorder.listener);
		try {
			await eventually(() => recorder.phases.at(-1) === 'live' && podNames(recorder).includes('kube-dns-788979dc8f-aaaaa'), 'live');
			await sim.faults.takeDown();
			await eventually(() => recorder.phases.at(-1) === 'reconnecting', 'reconnecting');
			sim.cluster.delete('pods', 'kube-system', 'kube-dns-788979dc8f-aaaaa', {gracePeriodSeconds: 0});
			sim.faults.expireResourceVersions();
			await sim.faults.bringBack();
			await eventually(() => recorder.phases.at(-1) === 'live' && !podNames(recorder).includes('kube-dns-788979dc8f-aaaaa'), 'the pod deleted while away gone after the re-list');
		} finally {
			await source.stop();
		}
	});

	test('nothing arrives after stop()', async () => {
		const recorder = record();
		const source = watchPodSource(connection, 'kube-system');
		source.start(recorder.listener);
		await eventually(() => recorder.phases.at(-1) === 'live', 'live');
		await source.stop();
		const seen = recorder.updates.length;
		sim.cluster.create('pods', runningPod('kube-system', 'after-stop'));
		await sim.faults.takeDown();
		await sim.faults.bringBack();
		await new Promise(resolve => setImmediate(resolve));
		assert.equal(recorder.updates.length, seen);
	});
});

test('events forbidden: pods still watched, the state says live with a note', async () => {
	const sim = await startFakeSim({forbid: ['list:events']});
	const recorder = record();
	const source = watchPodSource(connectionFromString(sim.kubeconfig), 'kube-system');
	source.start(recorder.listener);
	try {
		await eventually(() => recorder.updates.some(u => u.type === 'connection' && u.state.phase === 'live' && u.state.note === 'events: forbidden'), 'live, events forbidden');
		assert.ok(podNames(recorder).includes('kube-proxy-node-a'));
		assert.ok(!recorder.phases.includes('failed'));
	} finally {
		await source.stop();
		await sim.stop();
	}
});

describe('preflight', () => {
	test('a namespace that does not exist, a forbidden list and an unreachable server are one sentence each', async () => {
		const sim = await startFakeSim({forbid: ['list:pods']});
		try {
			const connection = connectionFromString(sim.kubeconfig);
			await assert.rejects(checkNamespaceReadable(connection, 'nope'), (error: Error) => {
				assert.ok(error instanceof PreflightError);
				assert.equal(error.message, 'namespace "nope" does not exist in context knockdown-sim (pass --namespace NS)');
				return true;
			});
			await assert.rejects(checkNamespaceReadable(connection, 'kube-system'), (error: Error) => {
				assert.ok(error instanceof PreflightError);
				assert.match(error.message, /^not allowed to list pods in namespace "kube-system" as context knockdown-sim: pods is forbidden: User ".*" cannot list resource "pods"/);
				assert.ok(!error.message.includes('\n'));
				return true;
			});
			await sim.faults.takeDown();
			await assert.rejects(checkNamespaceReadable(connection, 'kube-system'), (error: Error) => {
				assert.ok(error instanceof PreflightError);
				assert.equal(error.message, `cannot reach the API server ${sim.url} (context knockdown-sim): connection refused`);
				return true;
			});
		} finally {
			await sim.stop();
		}
	});
});

describe('startInformer', () => {
	test('a watch that goes silent is noticed: it is opened again from the last resourceVersion; relist() lists', async () => {
		// An API server whose watches open and then say nothing, ever (a half-open connection).
		let lists = 0;
		const watches: string[] = [];
		const sockets = new Set<import('node:net').Socket>();
		let watchesClosed = 0;
		const server: Server = createServer((request, response) => {
			if (request.url?.includes('watch=true')) {
				watches.push(new URL(request.url, 'http://x').searchParams.get('resourceVersion') ?? '');
				request.on('close', () => {
					watchesClosed++;
				});
				response.writeHead(200, {'content-type': 'application/json'});
				response.flushHeaders();
				return;
			}

			lists++;
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(JSON.stringify({kind: 'PodList', apiVersion: 'v1', metadata: {resourceVersion: '7'}, items: []}));
		});
		server.on('connection', socket => {
			sockets.add(socket);
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as AddressInfo;
		const connection = connectionFromString(kubeconfigFor(`http://127.0.0.1:${port}`));
		const core = connection.kubeConfig.makeApiClient(CoreV1Api);
		const states: InformerState[] = [];
		const informer = startInformer({
			kubeConfig: connection.kubeConfig,
			path: '/api/v1/namespaces/kube-system/pods',
			list: listedWhole(async () => core.listNamespacedPod({namespace: 'kube-system'})),
			onUpsert() {},
			onDelete() {},
			onState: state => states.push(state),
			silenceMs: 200,
		});
		try {
			await eventually(() => watches.length >= 3, 'the watch opened again twice after silence', 5000);
			assert.equal(lists, 1, 'no re-list: the server replays from the resourceVersion');
			assert.deepEqual(watches.slice(0, 3), ['7', '7', '7']);
			assert.equal(states[0]?.phase, 'live');
			assert.ok(states.every(state => state.phase === 'live'), 'a silent watch is not an outage');
			informer.relist();
			await eventually(() => lists === 2, 'relist() lists again', 5000);
			// relist() between two watches (a silent watch just ended, the next not open yet: a quick
			// close is held back a second) must not be lost. It was, and the test above failed when a
			// loaded machine made its relist() land there.
			await eventually(() => watchesClosed === watches.length && watches.length > 3, 'a watch ended and the next not yet opened', 10_000, 5);
			informer.relist();
			await eventually(() => lists === 3, 'relist() between two watches lists again', 5000);
		} finally {
			await informer.stop();
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise(resolve => server.close(resolve));
		}
	});
	test('a watch whose credentials cannot be made is an outage to retry, not an unhandled rejection', async () => {
		// The list is the test's; the watch goes through client-node, whose exec credential plugin fails.
		const kubeConfig = kubeConfigFor('http://127.0.0.1:9', '{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: "false", interactiveMode: Never}}');
		const states: InformerState[] = [];
		const informer = startInformer({
			kubeConfig,
			path: '/api/v1/namespaces/kube-system/pods',
			list: async () => ({metadata: {resourceVersion: '1'}}),
			onUpsert() {},
			onDelete() {},
			onState: state => states.push(state),
			backoff: {initialMs: 60_000, maxMs: 60_000},
		});
		try {
			await eventually(() => states.some(state => state.phase === 'reconnecting'), 'the failed watch reported');
			assert.deepEqual(states.map(state => state.phase), ['live', 'reconnecting']);
		} finally {
			await informer.stop();
		}
	});

	test('a list given up on, and a list in flight at stop(), are ended: nothing of them is read or applied', async () => {
		const signals: AbortSignal[] = [];
		const upserts: string[] = [];
		let hand: (name: string) => void = () => {};
		const states: InformerState[] = [];
		const informer = startInformer<{metadata: {name: string; uid: string}}>({
			kubeConfig: kubeConfigFor('http://127.0.0.1:9'),
			path: '/api/v1/namespaces/kube-system/pods',
			async list(each, signal) {
				signals.push(signal);
				hand = name => each({metadata: {name, uid: name}});
				return new Promise(() => {});
			},
			onUpsert: object => upserts.push(object.metadata.name),
			onDelete() {},
			onState: state => states.push(state),
			listTimeoutMs: 100,
			backoff: {initialMs: 50, maxMs: 50},
		});
		try {
			await eventually(() => signals.length >= 2, 'the list given up on after 100 ms, and tried again');
			assert.equal(signals[0]!.aborted, true, 'the first list\'s request is ended');
			assert.equal(states[0]?.phase, 'reconnecting');
			assert.match((states[0] as {reason: string}).reason, /no answer to the list within 0.1 s/);
		} finally {
			const last = signals.at(-1)!;
			await informer.stop();
			assert.equal(last.aborted, true, 'stop() ends the list in flight');
			hand('late');
			assert.deepEqual(upserts, [], 'an item of an ended list is not applied');
		}
	});

	test('a re-list says what vanished, what changed and what was replaced under its name; items are handed on as they are read', async () => {
		// Watches are opened and kept open; every list is the test's.
		const sockets = new Set<import('node:net').Socket>();
		const server: Server = createServer((_request, response) => {
			response.writeHead(200, {'content-type': 'application/json'});
			response.flushHeaders();
		});
		server.on('connection', socket => {
			sockets.add(socket);
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as AddressInfo;
		const connection = connectionFromString(kubeconfigFor(`http://127.0.0.1:${port}`));
		type Object = {metadata: {name: string; namespace: string; uid: string; resourceVersion: string}};
		const object = (name: string, uid: string, resourceVersion: string): Object => ({metadata: {name, namespace: 'kube-system', uid, resourceVersion}});
		const lists: Object[][] = [
			[object('a', 'a1', '1'), object('b', 'b1', '1'), object('c', 'c1', '1'), object('e', 'e1', '1')],
			[object('a', 'a1', '1'), object('b', 'b1', '2'), object('c', 'c2', '2'), object('d', 'd1', '2')],
		];
		const seen: string[] = [];
		let release = () => {};
		let listing = 0;
		const informer = startInformer<Object>({
			kubeConfig: connection.kubeConfig,
			path: '/api/v1/namespaces/kube-system/pods',
			async list(each) {
				const items = lists[listing++] ?? [];
				for (const item of items) {
					each(item);
				}

				// The List's end is held back: what came before it is already on its way.
				await new Promise<void>(resolve => {
					release = resolve;
				});
				return {metadata: {resourceVersion: String(listing)}};
			},
			onUpsert: item => seen.push(`+${item.metadata.uid}@${item.metadata.resourceVersion}`),
			onDelete: item => seen.push(`-${item.metadata.uid}`),
			onSynced: () => seen.push('synced'),
			onState() {},
		});
		try {
			await eventually(() => seen.length === 4, 'the first list\'s items before its end');
			assert.deepEqual(seen, ['+a1@1', '+b1@1', '+c1@1', '+e1@1']);
			release();
			await eventually(() => seen.includes('synced'), 'the first list applied');
			seen.length = 0;
			informer.relist();
			await eventually(() => listing === 2 && seen.length === 4, 'the second list\'s items');
			release();
			await eventually(() => seen.includes('synced'), 'the second list applied');
			// a unchanged (same resourceVersion): not handed on again; b changed; c is another
			// object under the same name (its old UID is gone); d is new; e vanished (said at the end).
			assert.deepEqual(seen, ['+b1@2', '-c1', '+c2@2', '+d1@2', '-e1', 'synced']);
		} finally {
			await informer.stop();
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise(resolve => server.close(resolve));
		}
	});
});

test('combineStates: the worst state wins and reconnecting counts from the first loss', () => {
	assert.deepEqual(combineStates([
		{name: 'pods', state: {phase: 'reconnecting', since: 200, reason: 'connection refused'}},
		{name: 'events', state: {phase: 'reconnecting', since: 100, reason: 'connection reset'}},
		{name: 'replicasets', state: {phase: 'live'}},
	]), {phase: 'reconnecting', since: 100, reason: 'connection refused'});
	assert.deepEqual(combineStates([
		{name: 'pods', state: {phase: 'live'}},
		{name: 'events', state: {phase: 'failed', since: 5, reason: 'events is forbidden: User "x" cannot list resource "events"'}},
	]), {phase: 'live', note: 'events: forbidden'}, 'refused events do not make the screen fail');
	assert.deepEqual(combineStates([
		{name: 'pods', state: {phase: 'failed', since: 5, reason: 'pods is forbidden: …'}},
		{name: 'events', state: {phase: 'live'}},
	]), {phase: 'failed', since: 5, reason: 'pods: pods is forbidden: …'});
	assert.deepEqual(combineStates([{name: 'pods', state: {phase: 'live'}}, {name: 'events', state: {phase: 'connecting'}}]), {phase: 'connecting'});
});

function kubeconfigFor(server: string): string {
	return `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: ${server}
    insecure-skip-tls-verify: true
contexts:
- name: test
  context:
    cluster: test
    user: test
current-context: test
users:
- name: test
  user:
    token: x
`;
}
