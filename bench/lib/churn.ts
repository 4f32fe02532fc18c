// Churn against the simulator, as kubectl would cause it: pods of the big DaemonSets deleted
// at a steady rate (their controllers recreate them: several watch events each), counted by
// a watch of our own; and now and then a pod that is on screen deleted, to time how long its
// watch event takes to show as "Terminating" in the TUI.
import {request} from 'node:http';

export type SimApi = {url: string; token: string; namespace: string};

type PodSummary = {name: string; terminating: boolean};

async function call(api: SimApi, method: string, path: string): Promise<{status: number; body: string}> {
	const response = await fetch(api.url + path, {method, headers: {authorization: `Bearer ${api.token}`}});
	return {status: response.status, body: await response.text()};
}

/** The namespace's pods as a watch of our own sees them; counts events and remembers when each name turned terminating. */
export async function watchPods(api: SimApi): Promise<{
	pods: Map<string, PodSummary>;
	events(): number;
	terminatingSeenAt: Map<string, number>;
	stop(): void;
}> {
	const list = JSON.parse((await call(api, 'GET', `/api/v1/namespaces/${api.namespace}/pods`)).body) as {
		metadata: {resourceVersion: string};
		items: Array<{metadata: {name: string; deletionTimestamp?: string}}>;
	};
	const pods = new Map<string, PodSummary>();
	for (const item of list.items) {
		pods.set(item.metadata.name, {name: item.metadata.name, terminating: Boolean(item.metadata.deletionTimestamp)});
	}

	const terminatingSeenAt = new Map<string, number>();
	let events = 0;
	let buffered = '';
	const watch = request(`${api.url}/api/v1/namespaces/${api.namespace}/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`, {
		headers: {authorization: `Bearer ${api.token}`},
	}, response => {
		response.setEncoding('utf8');
		response.on('data', (chunk: string) => {
			const at = Date.now();
			buffered += chunk;
			const lines = buffered.split('\n');
			buffered = lines.pop()!;
			for (const line of lines) {
				if (!line) {
					continue;
				}

				const event = JSON.parse(line) as {type: string; object: {metadata: {name: string; deletionTimestamp?: string}}};
				if (event.type === 'BOOKMARK') {
					continue;
				}

				events++;
				const {name, deletionTimestamp} = event.object.metadata;
				if (event.type === 'DELETED') {
					pods.delete(name);
					continue;
				}

				pods.set(name, {name, terminating: Boolean(deletionTimestamp)});
				if (deletionTimestamp && !terminatingSeenAt.has(name)) {
					terminatingSeenAt.set(name, at);
				}
			}
		});
	});
	watch.on('error', () => {});
	watch.end();
	return {pods, events: () => events, terminatingSeenAt, stop: () => watch.destroy()};
}

/** The HTTP status, or 0 when the request failed (an overloaded simulator times out). */
export async function deletePod(api: SimApi, name: string, gracePeriodSeconds?: number): Promise<number> {
	const query = gracePeriodSeconds === undefined ? '' : `?gracePeriodSeconds=${gracePeriodSeconds}`;
	try {
		return (await call(api, 'DELETE', `/api/v1/namespaces/${api.namespace}/pods/${encodeURIComponent(name)}${query}`)).status;
	} catch {
		return 0;
	}
}
