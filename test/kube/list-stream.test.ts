import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {kubeConfigFor} from '../helpers/kubeconfig.js';
import {describeApiError, isPermanentApiError} from '../../source/kube/api-error.js';
import {ListSplitter, listStreamed} from '../../source/kube/list-stream.js';

const list = {
	kind: 'PodList',
	apiVersion: 'v1',
	metadata: {resourceVersion: '42'},
	items: [
		{metadata: {name: 'a', annotations: {tricky: 'braces } ] { [ and "quotes" and \\ and , commas'}}},
		{metadata: {name: 'b'}, spec: {containers: [{name: 'c', args: ['[', '{']}]}},
		{metadata: {name: 'ü-émoji-🙂'}},
	],
};
// Escaped quotes, and a string ending in an escaped backslash: the quote after it ends the string.
const escapes = {
	...list,
	items: [...list.items, {metadata: {name: 'd', annotations: {quoted: 'say \\"}\\" and ]', trailing: 'c:\\dir\\', next: '{'}}}],
};

test('a List split at any byte gives back every item and the List around them', () => {
	for (const [text, {items: expected}] of [list, escapes].flatMap(value => [[JSON.stringify(value), value], [JSON.stringify(value, null, 2), value]] as const)) {
		for (const size of [1, 2, 3, 5, 7, 64, text.length]) {
			const splitter = new ListSplitter();
			const items: unknown[] = [];
			for (let at = 0; at < text.length; at += size) {
				items.push(...splitter.push(text.slice(at, at + size)).map(item => JSON.parse(item) as unknown));
			}

			assert.deepEqual(items, expected, `pieces of ${size}`);
			assert.deepEqual(splitter.finish(), {...list, items: []});
		}
	}
});

test('an empty or null items list gives no items and the resourceVersion', () => {
	for (const items of ['[]', 'null']) {
		const splitter = new ListSplitter();
		assert.deepEqual(splitter.push(`{"kind":"PodList","metadata":{"resourceVersion":"7"},"items":${items}}`), []);
		assert.equal(splitter.finish().metadata?.resourceVersion, '7');
	}
});

async function serve(status: number, body: string) {
	const requests: Array<{url?: string; authorization?: string}> = [];
	const server = createServer((request, response) => {
		requests.push({url: request.url, authorization: request.headers.authorization});
		response.writeHead(status, {'content-type': 'application/json'});
		// In pieces of a few bytes, as a big list arrives: characters are cut in the middle.
		const bytes = Buffer.from(body);
		for (let at = 0; at < bytes.length; at += 7) {
			response.write(bytes.subarray(at, at + 7));
		}

		response.end();
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {requests, kubeConfig: kubeConfigFor(`http://127.0.0.1:${port}`, '{token: secret-token}'), close: () => server.close()};
}

test('listStreamed sends the kubeconfig\'s credentials and slims each item as it is parsed', async () => {
	const server = await serve(200, JSON.stringify(list));
	try {
		const names: string[] = [];
		const head = await listStreamed(server.kubeConfig, '/api/v1/namespaces/kube-system/pods', (item: {metadata: {name: string}}) => item.metadata.name, name => names.push(name));
		assert.deepEqual(names, ['a', 'b', 'ü-émoji-🙂']);
		assert.equal(head.metadata?.resourceVersion, '42');
		assert.deepEqual(server.requests, [{url: '/api/v1/namespaces/kube-system/pods', authorization: 'Bearer secret-token'}]);
	} finally {
		server.close();
	}
});

test('a refused list is an error with the status and the server\'s message, as client-node\'s are', async () => {
	const server = await serve(403, JSON.stringify({kind: 'Status', code: 403, reason: 'Forbidden', message: 'pods is forbidden: User "x" cannot list resource "pods"'}));
	try {
		const error = await listStreamed(server.kubeConfig, '/api/v1/namespaces/kube-system/pods', item => item, () => {}).then(() => undefined, (error: unknown) => error);
		assert.ok(isPermanentApiError(error));
		assert.match(describeApiError(error), /forbidden/);
	} finally {
		server.close();
	}
});

test('a list of megabytes is read whole and in order, with the loop given turns while it is parsed (paused and resumed)', {timeout: 30_000}, async () => {
	// ~8 MB, paused after every piece (a slice of 0 ms) and resumed after the loop has gone round.
	const items = Array.from({length: 20_000}, (_, index) => ({metadata: {name: `pod-${index}`, annotations: {note: 'x'.repeat(300)}}}));
	const server = await serve(200, JSON.stringify({kind: 'PodList', apiVersion: 'v1', metadata: {resourceVersion: '7'}, items}));
	let turns = 0;
	const counting = setInterval(() => turns++, 1);
	try {
		const names: string[] = [];
		const head = await listStreamed(server.kubeConfig, '/api/v1/pods', (item: {metadata: {name: string}}) => item.metadata.name, name => names.push(name), {sliceMs: 0});
		assert.equal(names.length, items.length);
		assert.equal(names.at(-1), 'pod-19999');
		assert.ok(names.every((name, index) => name === `pod-${index}`));
		assert.equal(head.metadata?.resourceVersion, '7');
		assert.ok(turns > 0, 'timers ran while the list was read');
	} finally {
		clearInterval(counting);
		server.close();
	}
});

test('a list that keeps arriving is waited for; one that goes silent is given up on', async () => {
	const body = Buffer.from(JSON.stringify(list));
	const pieces = 6;
	let stall = false;
	let sentSoFar = 0;
	const server = createServer((_request, response) => {
		response.writeHead(200, {'content-type': 'application/json'});
		let sent = 0;
		const size = Math.ceil(body.length / pieces);
		const timer = setInterval(() => {
			if (stall && sent === 2) {
				clearInterval(timer);
				return;
			}

			response.write(body.subarray(sent * size, (sent + 1) * size));
			sent++;
			sentSoFar = sent;
			if (sent === pieces) {
				clearInterval(timer);
				response.end();
			}
		}, 100);
		response.on('close', () => clearInterval(timer));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	const kubeConfig = kubeConfigFor(`http://127.0.0.1:${port}`);
	try {
		// 600 ms in all, never 400 ms without a byte.
		// Each item is handed on as soon as its bytes are in, not when the whole List has come.
		const arrived: string[] = [];
		let piecesSentWhenFirstArrived = 0;
		await listStreamed(kubeConfig, '/api/v1/pods', (item: {metadata: {name: string}}) => item.metadata.name, name => {
			piecesSentWhenFirstArrived ||= sentSoFar;
			arrived.push(name);
		}, {silenceMs: 400});
		assert.deepEqual(arrived, ['a', 'b', 'ü-émoji-🙂']);
		assert.equal(piecesSentWhenFirstArrived < pieces, true, `the first item came after ${piecesSentWhenFirstArrived} of ${pieces} pieces`);
		stall = true;
		const error = await listStreamed(kubeConfig, '/api/v1/pods', item => item, () => {}, {silenceMs: 400}).then(() => undefined, (error: unknown) => error);
		assert.match(describeApiError(error), /no answer to the list within 0.4 s/);
	} finally {
		server.close();
	}
});
