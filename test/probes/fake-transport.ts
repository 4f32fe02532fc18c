// A ProbeTransport whose answers a test sets, one field at a time.
import {ProbeTransportError, type EndpointsSummary, type ExecAnswer, type ExecRequest, type HttpAnswer, type ProbeTransport, type ServiceProxyRequest} from '../../source/probes/transport.js';

export type FakeTransport = ProbeTransport & {
	endpoints: EndpointsSummary[] | ProbeTransportError;
	execAnswer: (request: ExecRequest) => ExecAnswer | ProbeTransportError;
	proxyAnswer: (request: ServiceProxyRequest) => HttpAnswer | ProbeTransportError;
	getAnswer: (path: string) => HttpAnswer | ProbeTransportError;
	execs: ExecRequest[];
	proxied: ServiceProxyRequest[];
};

export function gkeGuestbookEndpoints(frontendPods = ['frontend-a', 'frontend-b']): EndpointsSummary[] {
	return [
		{name: 'frontend', ready: frontendPods.map((podName, index) => ({ip: `10.0.0.${index + 1}`, podName})), notReadyCount: 0},
		{name: 'redis-leader', ready: [{ip: '10.0.1.1', podName: 'redis-leader-x'}], notReadyCount: 0},
		{name: 'redis-follower', ready: [{ip: '10.0.2.1', podName: 'redis-follower-x'}], notReadyCount: 0},
		{name: 'kubernetes', ready: [{ip: '172.16.0.1'}], notReadyCount: 0},
	];
}

export function fakeTransport(): FakeTransport {
	const transport: FakeTransport = {
		endpoints: gkeGuestbookEndpoints(),
		execAnswer: () => ({stdout: '10.96.0.20 redis-follower.default.svc.cluster.local\n', stderr: '', exitCode: 0}),
		proxyAnswer: () => ({status: 200, body: '{"data": "hello"}'}),
		getAnswer: () => ({status: 200, body: '{"kind":"PodMetricsList","items":[]}'}),
		execs: [],
		proxied: [],
		async listEndpoints() {
			return answerOrThrow(transport.endpoints);
		},
		async exec(request) {
			transport.execs.push(request);
			return answerOrThrow(transport.execAnswer(request));
		},
		async proxyGet(request) {
			transport.proxied.push(request);
			return answerOrThrow(transport.proxyAnswer(request));
		},
		async get(path) {
			return answerOrThrow(transport.getAnswer(path));
		},
	};
	return transport;
}

function answerOrThrow<T>(answer: T | ProbeTransportError): T {
	if (answer instanceof ProbeTransportError) {
		throw answer;
	}

	return answer;
}
