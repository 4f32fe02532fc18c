// GET pods/NAME/log: the container's log as its simulated program writes it (a few lines
// stamped from its start), the previous instance's with ?previous, and with ?follow a stream
// that stays open while this instance runs.
import type {ResourceHandler} from '../exchange.js';
import {queryBool, queryInt} from '../query.js';
import {ApiError, notFound} from '../status.js';

export const log: ResourceHandler = (api, exchange, target) => {
	const namespace = target.namespace!;
	const name = target.name!;
	const {query, response} = exchange;
	const pod = api.cluster.store.get('pods', namespace, name);
	if (!pod) {
		throw notFound(target.info, name);
	}

	const containers: string[] = (pod.spec?.containers ?? []).map((container: {name: string}) => container.name);
	const container = query.get('container') ?? (containers.length === 1 ? containers[0] : undefined);
	if (!container) {
		throw new ApiError(400, `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
	}

	if (!containers.includes(container)) {
		throw new ApiError(400, `container ${container} is not valid for pod ${name}`);
	}

	// Logs come from the node's kubelet: with it stopped, the API server cannot reach them.
	const unreachable = api.cluster.kubeletUnreachable(pod.spec?.nodeName);
	if (unreachable) {
		const address = unreachable.match(/tcp (\S+):10250/)?.[1] ?? '';
		throw new ApiError(500, `Get "https://${address}:10250/containerLogs/${namespace}/${name}/${container}": dial tcp ${address}:10250: connect: connection refused`, '');
	}

	const status = (pod.status?.containerStatuses ?? []).find((entry: {name: string}) => entry.name === container);
	const previous = queryBool(query, 'previous');
	const startedAt: string | undefined = previous ? status?.lastState?.terminated?.startedAt : status?.state?.running?.startedAt ?? status?.state?.terminated?.startedAt;
	if (!startedAt) {
		throw previous
			? new ApiError(400, `previous terminated container "${container}" in pod "${name}" not found`)
			: new ApiError(400, `container "${container}" in pod "${name}" is waiting to start: ${status?.state?.waiting?.reason ?? 'ContainerCreating'}`);
	}

	const start = Date.parse(startedAt);
	const stamp = (offsetMs: number) => {
		const date = new Date(start + offsetMs);
		const pad = (value: number, width = 2) => String(value).padStart(width, '0');
		return `I${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}000       1`;
	};

	const lines = [
		`${stamp(0)} main.go:74] Starting ${container} (pod ${namespace}/${name})`,
		`${stamp(120)} main.go:91] Configuration loaded`,
		`${stamp(480)} server.go:212] Serving`,
	];
	if (previous) {
		lines.push(`${stamp(600)} main.go:120] Received signal terminated, shutting down`);
	}

	const tail = queryInt(query, 'tailLines');
	const shown = tail === undefined ? lines : lines.slice(-Math.max(0, tail));
	const text = shown.map(line => line + '\n').join('');
	if (!queryBool(query, 'follow') || previous) {
		response.writeHead(200, {'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text)});
		response.end(text);
		return;
	}

	// `kubectl logs -f`: the stream stays open while this container instance runs (the
	// simulated programs print nothing more), and ends when it stops or the pod goes.
	response.writeHead(200, {'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked'});
	response.write(text);
	const uid = pod.metadata.uid;
	const unsubscribe = api.cluster.store.subscribe(event => {
		if (event.resource !== 'pods' || event.object.metadata.uid !== uid) {
			return;
		}

		const now = (event.object.status?.containerStatuses ?? []).find((entry: {name: string}) => entry.name === container);
		if (event.type === 'DELETED' || now?.state?.running?.startedAt !== startedAt) {
			unsubscribe();
			exchange.answer(() => response.end());
		}
	});
	response.on('close', unsubscribe);
};
