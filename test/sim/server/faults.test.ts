// The simulator's faults at the protocol level: freeze (connections open, nothing answered)
// and thaw, a resourceVersion it never issued, restart on the same address, and a client
// that resets a refused exec request (which used to end the simulator).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {connect} from 'node:net';
import {request} from 'node:http';
import {eventually, startFakeSim, startTestSim} from '../../helpers/sim.js';

/** GET path; resolves with status and body, or with "no answer" once `waitMs` passed (the request is then dropped). */
async function get(url: string, path: string, waitMs = 5000): Promise<{status: number; body: string} | 'no answer'> {
	return new Promise((resolve, reject) => {
		const sent = request(url + path, response => {
			let body = '';
			response.on('data', chunk => {
				body += String(chunk);
			});
			response.on('end', () => resolve({status: response.statusCode ?? 0, body}));
		});
		const timer = setTimeout(() => {
			sent.destroy();
			resolve('no answer');
		}, waitMs);
		sent.on('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		sent.on('close', () => clearTimeout(timer));
		sent.end();
	});
}

async function post(url: string, path: string): Promise<number> {
	const response = await fetch(url + path, {method: 'POST'});
	await response.text();
	return response.status;
}

test('freeze: a request sent while frozen is held, connection open, and answered on thaw; /sim/truth and the faults still answer', async () => {
	const sim = await startFakeSim();
	try {
		assert.equal(await post(sim.url, '/sim/faults/freeze'), 200);
		assert.equal(await get(sim.url, '/version', 300), 'no answer', 'nothing is answered while frozen');
		const truth = await get(sim.url, '/sim/truth', 2000);
		assert.ok(truth !== 'no answer' && truth.status === 200, 'the simulator\'s own paths answer');
		const held = get(sim.url, '/api/v1/namespaces/kube-system/pods', 5000);
		await new Promise(resolve => setTimeout(resolve, 50));
		assert.equal(await post(sim.url, '/sim/faults/thaw'), 200);
		const answer = await held;
		assert.ok(answer !== 'no answer' && answer.status === 200, 'answered once thawed');
		assert.equal((JSON.parse(answer.body) as {items: unknown[]}).items.length, 3);
		assert.equal(await post(sim.url, '/sim/faults/nonsense'), 404);
	} finally {
		await sim.stop();
	}
});

test('freeze: a DELETE whose client gave up before the thaw is not carried out after it', async () => {
	const sim = await startFakeSim();
	try {
		sim.faults.freeze();
		await new Promise<void>(resolve => {
			const sent = request(`${sim.url}/api/v1/namespaces/kube-system/pods/kube-proxy-node-a`, {method: 'DELETE'});
			sent.on('error', () => resolve());
			sent.end();
			setTimeout(() => {
				sent.destroy();
				resolve();
			}, 200);
		});
		await new Promise(resolve => setTimeout(resolve, 100));
		sim.faults.thaw();
		const answer = await get(sim.url, '/api/v1/namespaces/kube-system/pods/kube-proxy-node-a');
		assert.ok(answer !== 'no answer' && answer.status === 200);
		assert.equal((JSON.parse(answer.body) as {metadata: {deletionTimestamp?: string}}).metadata.deletionTimestamp, undefined, 'not deleted');
	} finally {
		await sim.stop();
	}
});

test('freeze: an open watch sends nothing while frozen (the change happens in the world) and the change on thaw', async () => {
	const sim = await startFakeSim();
	try {
		const lines: string[] = [];
		const version = sim.cluster.store.resourceVersion;
		const watch = request(`${sim.url}/api/v1/namespaces/kube-system/pods?watch=true&resourceVersion=${version}`, response => {
			response.on('data', chunk => lines.push(...String(chunk).split('\n').filter(Boolean)));
		});
		watch.on('error', () => {});
		watch.end();
		await eventually(() => sim.cluster.store.resourceVersion === version, 'the watch open');
		await new Promise(resolve => setTimeout(resolve, 100));
		sim.faults.freeze();
		sim.cluster.delete('pods', 'kube-system', 'kube-proxy-node-a', {gracePeriodSeconds: 0});
		await new Promise(resolve => setTimeout(resolve, 300));
		assert.equal(lines.length, 0, 'no event while frozen');
		sim.faults.thaw();
		await eventually(() => lines.some(line => line.includes('"DELETED"') && line.includes('kube-proxy-node-a')), 'the DELETED event after thaw');
		watch.destroy();
	} finally {
		await sim.stop();
	}
});

test('a watch from a resourceVersion the server never issued gets the watch cache\'s answer: an ERROR event, 504 Timeout, cause ResourceVersionTooLarge', async () => {
	const sim = await startFakeSim();
	try {
		const future = sim.cluster.store.resourceVersion + 1000;
		const answer = await get(sim.url, `/api/v1/namespaces/kube-system/pods?watch=true&resourceVersion=${future}`);
		assert.ok(answer !== 'no answer' && answer.status === 200);
		const event = JSON.parse(answer.body.trim()) as {type: string; object: {code: number; reason: string; message: string; details: {causes: Array<{reason: string}>; retryAfterSeconds: number}}};
		assert.equal(event.type, 'ERROR');
		assert.equal(event.object.code, 504);
		assert.equal(event.object.reason, 'Timeout');
		assert.match(event.object.message, new RegExp(`^Too large resource version: ${future}, current: \\d+$`));
		assert.deepEqual(event.object.details.causes.map(cause => cause.reason), ['ResourceVersionTooLarge']);
		assert.equal(event.object.details.retryAfterSeconds, 1);
	} finally {
		await sim.stop();
	}
});

test('restart: the same address serves a new world (new UIDs, a history of its own); the old world\'s versions are not resumable', async () => {
	const sim = await startTestSim();
	try {
		const oldUids = new Set(sim.cluster.store.list('pods', 'kube-system').map(pod => pod.metadata.uid));
		const oldVersion = sim.cluster.store.resourceVersion;
		assert.equal(await post(sim.url, '/sim/faults/restart'), 202);
		await eventually(async () => {
			const answer = await get(sim.url, '/api/v1/namespaces/kube-system/pods', 2000).catch(() => 'no answer' as const);
			return answer !== 'no answer' && answer.status === 200 && (JSON.parse(answer.body) as {items: Array<{metadata: {uid: string}}>}).items.every(pod => !oldUids.has(pod.metadata.uid));
		}, 'the new world served at the same address');
		assert.equal(sim.cluster.store.list('pods', 'kube-system').length, oldUids.size);
		const answer = await get(sim.url, `/api/v1/namespaces/kube-system/pods?watch=true&resourceVersion=${oldVersion}`);
		assert.ok(answer !== 'no answer');
		assert.match(answer.body, /"type":"ERROR"/, 'an old world\'s version is refused, not replayed from another history');
	} finally {
		await sim.stop();
	}
});

test('a client that resets a refused exec request does not take the simulator down', async () => {
	const sim = await startFakeSim({forbid: ['create:pods/exec']});
	try {
		const {port} = new URL(sim.url);
		for (let attempt = 0; attempt < 20; attempt++) {
			await new Promise<void>(resolve => {
				const socket = connect(Number(port), '127.0.0.1', () => {
					socket.write([
						'GET /api/v1/namespaces/kube-system/pods/kube-dns-788979dc8f-aaaaa/exec?command=true&container=kubedns&stdout=true HTTP/1.1',
						`Host: 127.0.0.1:${port}`,
						'Connection: Upgrade',
						'Upgrade: websocket',
						'Sec-WebSocket-Version: 13',
						'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
						'Sec-WebSocket-Protocol: v5.channel.k8s.io',
						'',
						'',
					].join('\r\n'));
					socket.resetAndDestroy();
					resolve();
				});
				socket.on('error', () => resolve());
			});
		}

		const answer = await get(sim.url, '/version');
		assert.ok(answer !== 'no answer' && answer.status === 200, 'still answering');
	} finally {
		await sim.stop();
	}
});
