// pods/exec over WebSocket, as kubectl 1.32 (client-go's websocket executor) and client-node
// speak it: the server echoes the best channel protocol offered (v5, else v4, …), sends the
// output as binary frames whose first byte is the channel (1 stdout, 2 stderr), then a
// Status on channel 3 (v4/v5: JSON; older: the error text), then closes.
import type {IncomingMessage} from 'node:http';
import type {Duplex} from 'node:stream';
import {WebSocketServer, type WebSocket} from 'ws';
import type {SimCluster} from '../cluster.js';
import {queryBool} from './query.js';
import type {FreezeGate} from './freeze-gate.js';
import {ApiError, toApiError} from './status.js';

export const channelProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

const stdoutChannel = 1;
const stderrChannel = 2;
const statusChannel = 3;
const closeChannel = 255;

export type ExecRequest = {
	namespace: string;
	pod: string;
	container: string;
	command: string[];
	stdout: boolean;
	stderr: boolean;
};

export function pickProtocol(offered: Set<string>): string | undefined {
	return channelProtocols.find(protocol => offered.has(protocol));
}

/** Validate an exec request against the pod before the upgrade, so errors are plain HTTP Status replies. */
export function resolveExec(cluster: SimCluster, namespace: string, pod: string, query: URLSearchParams): ExecRequest {
	const object = cluster.store.get('pods', namespace, pod);
	if (!object) {
		throw new ApiError(404, `pods "${pod}" not found`, 'NotFound', {name: pod, kind: 'pods'});
	}

	const containers: string[] = (object.spec?.containers ?? []).map((container: {name: string}) => container.name);
	let container = query.get('container') ?? undefined;
	if (!container) {
		if (containers.length !== 1) {
			throw new ApiError(400, `a container name must be specified for pod ${pod}, choose one of: [${containers.join(' ')}]`);
		}

		container = containers[0];
	}

	if (!containers.includes(container)) {
		throw new ApiError(400, `container ${container} is not valid for pod ${pod}`);
	}

	// What the kubelet refuses before the stream starts, so it reaches the client as the
	// upgrade's HTTP error rather than as a status on an open stream.
	if (!object.spec?.nodeName) {
		throw new ApiError(400, `pod ${pod} does not have a host assigned`);
	}

	// The API server dials the node's kubelet (port 10250) for the stream: refused when it is stopped.
	const unreachable = cluster.kubeletUnreachable(object.spec.nodeName);
	if (unreachable) {
		throw new ApiError(500, unreachable, '');
	}

	const status = (object.status?.containerStatuses ?? []).find((entry: {name: string}) => entry.name === container);
	if (!status?.state?.running) {
		throw new ApiError(400, `unable to upgrade connection: container not found ("${container}")`);
	}

	const command = query.getAll('command');
	if (command.length === 0) {
		throw new ApiError(400, 'you must specify at least 1 command');
	}

	return {namespace, pod, container, command, stdout: queryBool(query, 'stdout'), stderr: queryBool(query, 'stderr')};
}

function frame(channel: number, data: string | Buffer): Buffer {
	const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
	return Buffer.concat([Buffer.from([channel]), body]);
}

export class ExecEndpoint {
	private readonly sockets = new Set<WebSocket>();
	private readonly server = new WebSocketServer({
		noServer: true,
		handleProtocols: offered => pickProtocol(offered) ?? false,
	});

	constructor(
		private readonly cluster: SimCluster,
		private readonly gate: FreezeGate,
	) {}

	upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, exec: ExecRequest): void {
		this.server.handleUpgrade(request, socket, head, ws => {
			this.sockets.add(ws);
			ws.on('close', () => this.sockets.delete(ws));
			ws.on('error', () => ws.terminate());
			// Channel 0 (stdin) and the v5 close signal (255, 0) are accepted and dropped: the
			// simulated commands read no input.
			ws.on('message', (data: Buffer, isBinary) => {
				if (isBinary && data[0] === closeChannel) {
					return;
				}
			});
			void this.run(ws, exec);
		});
	}

	private async run(ws: WebSocket, exec: ExecRequest): Promise<void> {
		const modern = ws.protocol === 'v4.channel.k8s.io' || ws.protocol === 'v5.channel.k8s.io';
		let status: unknown;
		let legacyError = '';
		try {
			const result = await this.cluster.exec(exec.namespace, exec.pod, exec.container, exec.command);
			// A frozen API server relays nothing of the command's output until it is thawed.
			await this.thawed();
			if (exec.stdout && result.stdout) {
				send(ws, frame(stdoutChannel, result.stdout));
			}

			if (exec.stderr && result.stderr) {
				send(ws, frame(stderrChannel, result.stderr));
			}

			if (result.exitCode === 0) {
				status = {metadata: {}, status: 'Success'};
			} else {
				const message = `command terminated with non-zero exit code: error executing command [${exec.command.join(' ')}], exit code ${result.exitCode}`;
				legacyError = message;
				status = {
					metadata: {},
					status: 'Failure',
					message,
					reason: 'NonZeroExitCode',
					details: {causes: [{reason: 'ExitCode', message: String(result.exitCode)}]},
				};
			}
		} catch (error) {
			const apiError = toApiError(error);
			legacyError = apiError.message;
			status = {metadata: {}, status: 'Failure', message: apiError.message, reason: apiError.reason, code: apiError.code};
		}

		await this.thawed();
		if (modern) {
			send(ws, frame(statusChannel, JSON.stringify(status)));
		} else if (legacyError) {
			send(ws, frame(statusChannel, legacyError));
		}

		if (ws.readyState === ws.OPEN) {
			ws.close(1000);
		}
	}

	private async thawed(): Promise<void> {
		await new Promise<void>(resolve => {
			this.gate.pass(resolve);
		});
	}

	/** Cut every exec stream at once (the server is going away). */
	terminateAll(): void {
		for (const ws of this.sockets) {
			ws.terminate();
		}

		this.sockets.clear();
	}
}

function send(ws: WebSocket, data: Buffer): void {
	if (ws.readyState === ws.OPEN) {
		ws.send(data, {binary: true});
	}
}
