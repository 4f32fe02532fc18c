// What each layer of the guestbook path asks and how its answer becomes ok / fail / unknown.
// Functions of the ProbeTransport port only; slowness and timeouts are the scheduler's.
import type {ProbeTarget} from '../config/config.js';
import type {GuestbookTarget} from './guestbook-detection.js';
import type {LayerReport} from './scheduler.js';
import {ProbeTransportError, type EndpointsSummary, type HttpAnswer, type ProbeTransport} from './transport.js';
import type {ProbeLayer} from './types.js';

/** The container of the guestbook frontend in both variants: it has getent and the app's resolver. */
export const frontendContainer = 'php-redis';

/** frontend-endpoints and redis-endpoints from one Endpoints list. */
export function endpointsReports(guestbook: GuestbookTarget, endpoints: EndpointsSummary[]): LayerReport[] {
	const byName = new Map(endpoints.map(item => [item.name, item]));
	return [
		{layer: 'frontend-endpoints', ...readiness([guestbook.frontend], byName)},
		{layer: 'redis-endpoints', ...readiness([guestbook.writeService, guestbook.readService], byName)},
	];
}

function readiness(services: string[], byName: Map<string, EndpointsSummary>): Omit<LayerReport, 'layer'> {
	const problems: string[] = [];
	const counts: string[] = [];
	for (const service of services) {
		const endpoints = byName.get(service);
		if (!endpoints) {
			problems.push(`service ${service} is missing`);
		} else if (endpoints.ready.length === 0) {
			problems.push(`${service} has no ready endpoints${endpoints.notReadyCount > 0 ? ` (${endpoints.notReadyCount} not ready)` : ''}`);
		} else {
			counts.push(`${service} ${endpoints.ready.length}`);
		}
	}

	if (problems.length > 0) {
		return {outcome: 'fail', cause: 'answer', detail: problems.join('; ')};
	}

	return {outcome: 'ok', detail: `${counts.join(', ')} ready`};
}

export type FrontendPod = {name: string; node?: string};

/** The frontend pods with a ready endpoint, and their nodes (the pods the DNS probe may exec into). */
export function readyFrontendPods(guestbook: GuestbookTarget, endpoints: EndpointsSummary[]): FrontendPod[] {
	const frontend = endpoints.find(item => item.name === guestbook.frontend);
	const pods = new Map<string, FrontendPod>();
	for (const address of frontend?.ready ?? []) {
		if (address.podName && !pods.has(address.podName)) {
			pods.set(address.podName, {name: address.podName, ...(address.nodeName ? {node: address.nodeName} : {})});
		}
	}

	return [...pods.values()];
}

/** Pods on nodes whose kubelet is known not to answer go last: exec reaches a pod only through its node's kubelet. */
export function healthyNodesFirst(pods: FrontendPod[], kubeletDown: (node: string) => boolean): FrontendPod[] {
	return [...pods.filter(pod => !pod.node || !kubeletDown(pod.node)), ...pods.filter(pod => pod.node && kubeletDown(pod.node))];
}

/**
 * DNS from where the app stands: `getent hosts <read service>` in a ready frontend pod. getent
 * exits 2 when the name does not resolve. A pod that went away between the list and the exec is
 * not a DNS fact: the next pod is tried. Nor is a pod whose node's kubelet does not answer (exec
 * goes through it): the next pod, on another node, is tried and the answer says which pod and
 * node it came from; with none left the layer is unknown, never a DNS failure.
 */
export async function probeDns(
	transport: ProbeTransport,
	guestbook: GuestbookTarget,
	pods: FrontendPod[],
	signal: AbortSignal,
	onKubeletDown?: (node: string) => void,
): Promise<LayerReport> {
	const layer: ProbeLayer = 'dns';
	if (pods.length === 0) {
		return {layer, outcome: 'unknown', cause: 'no-target', detail: 'no ready frontend pod to run getent in'};
	}

	const name = guestbook.readService;
	const skipped: FrontendPod[] = [];
	const vantage = (pod: FrontendPod) => (skipped.length === 0 ? '' : ` (from ${pod.name}${pod.node ? ` on ${pod.node}` : ''}; kubelet of ${[...new Set(skipped.map(entry => entry.node ?? entry.name))].join(', ')} not answering)`);
	for (const pod of pods) {
		try {
			const answer = await transport.exec(
				{namespace: guestbook.namespace, pod: pod.name, container: frontendContainer, command: ['getent', 'hosts', name]},
				signal,
			);
			if (answer.exitCode === 0) {
				return {layer, outcome: 'ok', detail: `${name} → ${answer.stdout.trim().split(/\s+/)[0] || '?'}${vantage(pod)}`};
			}

			if (answer.exitCode === 2) {
				return {layer, outcome: 'fail', cause: 'answer', detail: `${name} does not resolve${vantage(pod)}`};
			}

			const said = firstLine(answer.stderr) || firstLine(answer.stdout);
			return {layer, outcome: 'fail', cause: 'answer', detail: `getent ${name} exited ${answer.exitCode}${said ? `: ${said}` : ''}`};
		} catch (error) {
			if (error instanceof ProbeTransportError && error.failure === 'not-found') {
				continue;
			}

			if (error instanceof ProbeTransportError && error.failure === 'kubelet') {
				skipped.push(pod);
				if (pod.node) {
					onKubeletDown?.(pod.node);
				}

				continue;
			}

			return transportReport(layer, error, {forbidden: 'exec not permitted'});
		}
	}

	if (skipped.length > 0) {
		const nodes = [...new Set(skipped.map(pod => pod.node ?? '?'))].join(', ');
		return {layer, outcome: 'unknown', cause: 'no-target', detail: `no frontend pod on a node whose kubelet answers (exec refused on ${nodes})`};
	}

	return {layer, outcome: 'unknown', cause: 'no-target', detail: 'the frontend pods went away before getent ran'};
}

export const guestbookGetPath = 'guestbook.php?cmd=get';

/** The whole path: the app's `get` through the API server's service proxy answers 200 with JSON holding `data`. */
export async function probeGuestbookEndToEnd(
	transport: ProbeTransport,
	guestbook: GuestbookTarget,
	signal: AbortSignal,
): Promise<LayerReport> {
	const layer: ProbeLayer = 'end-to-end';
	let answer: HttpAnswer;
	try {
		answer = await transport.proxyGet({namespace: guestbook.namespace, service: guestbook.frontend, path: guestbookGetPath}, signal);
	} catch (error) {
		return transportReport(layer, error, {forbidden: 'service proxy not permitted'});
	}

	const denied = apiDenial(answer);
	if (denied) {
		return {layer, ...denied};
	}

	if (answer.status !== 200) {
		return {layer, outcome: 'fail', cause: 'answer', detail: `${guestbook.frontend} answered ${answer.status}${snippet(answer.body)}`};
	}

	let body: unknown;
	try {
		body = JSON.parse(answer.body);
	} catch {
		return {layer, outcome: 'fail', cause: 'answer', detail: `${guestbook.frontend} answered 200 without JSON${snippet(answer.body)}`};
	}

	if (typeof body !== 'object' || body === null || !('data' in body)) {
		return {layer, outcome: 'fail', cause: 'answer', detail: `${guestbook.frontend} answered 200 without data${snippet(answer.body)}`};
	}

	return {layer, outcome: 'ok', detail: '200 with data'};
}

/** --probe service/NAME:PORT/PATH: any 2xx is ok. */
export async function probeServiceEndToEnd(
	transport: ProbeTransport,
	namespace: string,
	target: ProbeTarget,
	signal: AbortSignal,
): Promise<LayerReport> {
	const layer: ProbeLayer = 'end-to-end';
	let answer: HttpAnswer;
	try {
		answer = await transport.proxyGet({namespace, service: target.service, port: target.port, path: target.path.replace(/^\//, '')}, signal);
	} catch (error) {
		return transportReport(layer, error, {forbidden: 'service proxy not permitted'});
	}

	const denied = apiDenial(answer);
	if (denied) {
		return {layer, ...denied};
	}

	if (answer.status >= 200 && answer.status < 300) {
		return {layer, outcome: 'ok', detail: String(answer.status)};
	}

	return {layer, outcome: 'fail', cause: 'answer', detail: `${target.service} answered ${answer.status}${snippet(answer.body)}`};
}

// Only metrics-server's own pods' metrics: the answer still goes through the aggregator and
// metrics-server, but stays a few hundred bytes. Every kube-system pod's metrics, twice a
// second, was megabytes at 20,000 pods, and reading them was most of an idle screen's CPU.
export const metricsApiPath = '/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dmetrics-server';

/** The metrics API (what HPA and `kubectl top` use): 200 ok; 503 (no ready backend) and other errors fail; 404 (not installed) unknown. */
export async function probeMetricsApi(transport: ProbeTransport, signal: AbortSignal): Promise<LayerReport> {
	const layer: ProbeLayer = 'metrics-api';
	let answer: HttpAnswer;
	try {
		answer = await transport.get(metricsApiPath, signal);
	} catch (error) {
		return transportReport(layer, error, {forbidden: 'reading pod metrics not permitted'});
	}

	if (answer.status === 200) {
		return {layer, outcome: 'ok', detail: 'metrics served'};
	}

	const denied = apiDenial(answer);
	if (denied) {
		return {layer, ...denied};
	}

	if (answer.status === 503) {
		return {layer, outcome: 'fail', cause: 'answer', detail: 'metrics API unavailable (503)'};
	}

	if (answer.status === 404) {
		// No APIService for metrics.k8s.io at all: nothing to lose, so not an outage.
		return {layer, outcome: 'unknown', cause: 'no-target', detail: 'metrics API not installed (404)'};
	}

	return {layer, outcome: 'fail', cause: 'answer', detail: `metrics API answered ${answer.status}${snippet(answer.body)}`};
}

/** A 401/403 Status from the API server itself (not from the app) means we may not look. */
function apiDenial(answer: HttpAnswer): Omit<LayerReport, 'layer'> | undefined {
	if (answer.status !== 401 && answer.status !== 403) {
		return undefined;
	}

	const status = parseStatus(answer.body);
	if (!status) {
		return undefined;
	}

	return {
		outcome: 'unknown',
		cause: 'forbidden',
		detail: answer.status === 401 ? 'not authorized by the API server' : `forbidden: ${status.message ?? 'RBAC denied the request'}`,
	};
}

function parseStatus(body: string): {message?: string} | undefined {
	try {
		const parsed = JSON.parse(body) as {kind?: string; message?: string};
		return parsed?.kind === 'Status' ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** A transport failure is not an answer about the path: unknown, with why. */
export function transportReport(layer: ProbeLayer, error: unknown, words: {forbidden: string}): LayerReport {
	if (error instanceof ProbeTransportError) {
		switch (error.failure) {
			case 'forbidden': {
				return {layer, outcome: 'unknown', cause: 'forbidden', detail: words.forbidden};
			}

			case 'unauthorized': {
				return {layer, outcome: 'unknown', cause: 'forbidden', detail: 'not authorized by the API server'};
			}

			case 'unreachable': {
				return {layer, outcome: 'unknown', cause: 'unreachable', detail: `API server unreachable: ${error.message}`};
			}

			case 'aborted': {
				// The scheduler already reported the timeout; this is never emitted.
				return {layer, outcome: 'fail', cause: 'timeout', detail: 'aborted'};
			}

			case 'kubelet':
			case 'not-found':
			case 'error': {
				return {layer, outcome: 'unknown', cause: 'error', detail: error.message};
			}
		}
	}

	return {layer, outcome: 'unknown', cause: 'error', detail: error instanceof Error ? error.message : String(error)};
}

function firstLine(text: string): string {
	return text.trim().split('\n')[0]?.trim() ?? '';
}

function snippet(body: string): string {
	let text = body.trim();
	const status = parseStatus(text);
	if (status?.message) {
		text = status.message;
	}

	const line = firstLine(text.replace(/<[^>]+>/g, ' '));
	if (!line) {
		return '';
	}

	return `: ${line.length > 80 ? `${line.slice(0, 79)}…` : line}`;
}
