import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {GuestbookTarget} from '../../source/probes/guestbook-detection.js';
import {detectGuestbook} from '../../source/probes/guestbook-detection.js';
import {healthyNodesFirst, probeDns, probeGuestbookEndToEnd, probeMetricsApi} from '../../source/probes/layers.js';
import {ProbeTransportError} from '../../source/probes/transport.js';
import {fakeTransport} from './fake-transport.js';

const guestbook: GuestbookTarget = {kind: 'guestbook', variant: 'gke', namespace: 'default', frontend: 'frontend', writeService: 'redis-leader', readService: 'redis-follower'};
const signal = new AbortController().signal;

test('DNS: a frontend pod that went away is skipped for the next one; other exit codes say what getent said', async () => {
	const transport = fakeTransport();
	transport.execAnswer = request => (request.pod === 'gone' ? new ProbeTransportError('not-found', 'pod gone not found') : {stdout: '', stderr: 'getent: weird\n', exitCode: 1});
	const report = await probeDns(transport, guestbook, [{name: 'gone'}, {name: 'frontend-b'}], signal);
	assert.deepEqual(transport.execs.map(exec => exec.pod), ['gone', 'frontend-b']);
	assert.equal(report.outcome, 'fail');
	assert.equal(report.detail, 'getent redis-follower exited 1: getent: weird');

	assert.equal((await probeDns(transport, guestbook, [], signal)).detail, 'no ready frontend pod to run getent in');
});

test('DNS with a kubelet stopped: the pod on that node is skipped, the answer says which pod and node it came from; with none left, unknown and why', async () => {
	const transport = fakeTransport();
	const down = new ProbeTransportError('kubelet', 'exec into frontend-a refused with HTTP 500: its node\'s kubelet is not answering');
	transport.execAnswer = request => (request.pod === 'frontend-a' ? down : {stdout: '10.0.5.7   redis-follower.default.svc.cluster.local\n', stderr: '', exitCode: 0});
	const reported: string[] = [];
	const report = await probeDns(transport, guestbook, [{name: 'frontend-a', node: 'n1'}, {name: 'frontend-b', node: 'n2'}], signal, node => reported.push(node));
	assert.equal(report.outcome, 'ok');
	assert.equal(report.detail, 'redis-follower → 10.0.5.7 (from frontend-b on n2; kubelet of n1 not answering)');
	assert.deepEqual(reported, ['n1']);

	transport.execAnswer = () => down;
	const none = await probeDns(transport, guestbook, [{name: 'frontend-a', node: 'n1'}], signal);
	assert.equal(none.outcome, 'unknown', 'not a DNS failure');
	assert.equal(none.detail, 'no frontend pod on a node whose kubelet answers (exec refused on n1)');
	assert.deepEqual(healthyNodesFirst([{name: 'a', node: 'n1'}, {name: 'b', node: 'n2'}, {name: 'c'}], node => node === 'n1').map(pod => pod.name), ['b', 'c', 'a']);
});

test('end to end: 200 without data fails; an RBAC 403 Status from the API server is unknown, the app\'s own 403 is a failure', async () => {
	const transport = fakeTransport();
	transport.proxyAnswer = () => ({status: 200, body: '<html>It works</html>'});
	assert.match((await probeGuestbookEndToEnd(transport, guestbook, signal)).detail ?? '', /answered 200 without JSON/);

	transport.proxyAnswer = () => ({status: 403, body: '{"kind":"Status","status":"Failure","message":"services \\"frontend\\" is forbidden","reason":"Forbidden","code":403}'});
	const denied = await probeGuestbookEndToEnd(transport, guestbook, signal);
	assert.equal(denied.outcome, 'unknown');
	assert.equal(denied.cause, 'forbidden');

	transport.proxyAnswer = () => ({status: 403, body: 'Forbidden by the app'});
	assert.equal((await probeGuestbookEndToEnd(transport, guestbook, signal)).outcome, 'fail');
});

test('metrics API: 200 ok, 503 fail, 404 (not installed) unknown; it asks for metrics-server\'s own pods, not every pod\'s', async () => {
	const transport = fakeTransport();
	const answers = [200, 503, 404].map(status => ({status, body: ''}));
	const outcomes = [];
	const paths: string[] = [];
	for (const answer of answers) {
		transport.getAnswer = path => {
			paths.push(path);
			return answer;
		};

		outcomes.push((await probeMetricsApi(transport, signal)).outcome);
	}

	assert.deepEqual(outcomes, ['ok', 'fail', 'unknown']);
	const asked = new URL(paths[0]!, 'https://api.invalid');
	assert.equal(asked.pathname, '/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods');
	assert.equal(asked.searchParams.get('labelSelector'), 'k8s-app=metrics-server');
});

test('guestbook detection: GKE, kubernetes/examples with redis-replica, nothing', () => {
	const named = (...names: string[]) => names.map(name => ({name, ready: [], notReadyCount: 0}));
	assert.equal(detectGuestbook('default', named('frontend', 'redis-leader', 'redis-follower'))?.readService, 'redis-follower');
	const examples = detectGuestbook('default', named('frontend', 'redis-master', 'redis-replica'));
	assert.deepEqual([examples?.variant, examples?.writeService, examples?.readService], ['examples', 'redis-master', 'redis-replica']);
	assert.equal(detectGuestbook('default', named('kubernetes', 'shop')), undefined);
});
