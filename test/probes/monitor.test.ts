import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createMonitor, type MonitorOptions} from '../../source/probes/monitor.js';
import {ProbeTransportError} from '../../source/probes/transport.js';
import type {ProbeResult} from '../../source/probes/types.js';
import {manualClock} from '../../source/time/clock.js';
import {advanceSettled} from '../helpers/clock.js';
import {fakeTransport, type FakeTransport} from './fake-transport.js';

function monitorOn(transport: FakeTransport, options: Partial<MonitorOptions> = {}) {
	const clock = manualClock(1_000_000);
	const monitor = createMonitor(transport, {namespace: 'default', intervalMs: 500, timeoutMs: 2000, clock, ...options});
	const results: ProbeResult[] = [];
	monitor.subscribe(result => results.push(result));
	monitor.start();
	return {clock, monitor, results};
}

test('a healthy GKE guestbook: every layer ok, UP, DNS asked about redis-follower inside php-redis', async () => {
	const transport = fakeTransport();
	const {clock, monitor, results} = monitorOn(transport);
	await advanceSettled(clock, 1000);
	monitor.stop();

	assert.deepEqual(new Set(results.map(result => result.layer)), new Set(['frontend-endpoints', 'redis-endpoints', 'dns', 'end-to-end']));
	assert.ok(results.every(result => result.outcome === 'ok'));
	assert.equal(monitor.snapshot().verdict.kind, 'UP');
	assert.deepEqual(transport.execs[0], {namespace: 'default', pod: 'frontend-a', container: 'php-redis', command: ['getent', 'hosts', 'redis-follower']});
	assert.equal(transport.execs[1].pod, 'frontend-b', 'takes turns among ready frontend pods');
	assert.deepEqual(transport.proxied[0], {namespace: 'default', service: 'frontend', path: 'guestbook.php?cmd=get'});
});

test('getent exit 2 → DNS fails "redis-follower does not resolve" and the verdict is DOWN at DNS', async () => {
	const transport = fakeTransport();
	transport.execAnswer = () => ({stdout: '', stderr: '', exitCode: 2});
	transport.proxyAnswer = () => ({status: 500, body: 'php_network_getaddresses: getaddrinfo failed'});
	const {clock, monitor} = monitorOn(transport);
	await advanceSettled(clock, 10);
	monitor.stop();
	const snapshot = monitor.snapshot();
	assert.equal(snapshot.verdict.kind, 'DOWN');
	assert.equal(snapshot.verdict.reason, 'DNS: redis-follower does not resolve');
	const e2e = snapshot.layers.find(layer => layer.layer === 'end-to-end')!;
	assert.match(e2e.detail ?? '', /frontend answered 500: php_network_getaddresses/);
});

test('exec forbidden → DNS unknown "exec not permitted", the other layers keep running', async () => {
	const transport = fakeTransport();
	transport.execAnswer = () => new ProbeTransportError('forbidden', 'exec into frontend-a not permitted');
	const {clock, monitor, results} = monitorOn(transport);
	await advanceSettled(clock, 1000);
	monitor.stop();
	const dns = results.filter(result => result.layer === 'dns');
	assert.ok(dns.length >= 2);
	assert.ok(dns.every(result => result.outcome === 'unknown' && result.detail === 'exec not permitted'));
	assert.ok(results.filter(result => result.layer === 'end-to-end').every(result => result.outcome === 'ok'));
	assert.equal(monitor.snapshot().verdict.kind, 'UP');
});

test('kubernetes/examples guestbook: redis-master and redis-slave are recognised', async () => {
	const transport = fakeTransport();
	transport.endpoints = [
		{name: 'frontend', ready: [{ip: '10.0.0.1', podName: 'frontend-a'}], notReadyCount: 0},
		{name: 'redis-master', ready: [{ip: '10.0.1.1'}], notReadyCount: 0},
		{name: 'redis-slave', ready: [], notReadyCount: 2},
	];
	transport.proxyAnswer = () => ({status: 500, body: 'Connection refused'});
	const {clock, monitor} = monitorOn(transport);
	await advanceSettled(clock, 10);
	monitor.stop();
	const snapshot = monitor.snapshot();
	assert.equal(snapshot.subjectText, 'guestbook (kubernetes/examples) in default');
	assert.deepEqual(transport.execs[0].command, ['getent', 'hosts', 'redis-slave']);
	assert.equal(snapshot.verdict.reason, 'redis endpoints: redis-slave has no ready endpoints (2 not ready)');
});

test('no guestbook → every layer unknown, UNKNOWN with how to install one; found once it appears', async () => {
	const transport = fakeTransport();
	transport.endpoints = [{name: 'kubernetes', ready: [{ip: '172.16.0.1'}], notReadyCount: 0}];
	const {clock, monitor} = monitorOn(transport, {namespace: 'default'});
	await advanceSettled(clock, 10);
	let snapshot = monitor.snapshot();
	assert.equal(snapshot.verdict.kind, 'UNKNOWN');
	assert.equal(snapshot.verdict.reason, 'no guestbook in default');
	assert.equal(snapshot.installCommand, 'knockdown guestbook install');
	assert.equal(transport.execs.length, 0);
	assert.equal(transport.proxied.length, 0);

	transport.endpoints = fakeTransport().endpoints;
	await advanceSettled(clock, 1000);
	monitor.stop();
	snapshot = monitor.snapshot();
	assert.equal(snapshot.verdict.kind, 'UP');
	assert.equal(snapshot.installCommand, undefined);
});

test('API server refusing connections → UNKNOWN (transport failed), not DOWN', async () => {
	const transport = fakeTransport();
	const refused = new ProbeTransportError('unreachable', 'connection refused');
	const {clock, monitor} = monitorOn(transport);
	await advanceSettled(clock, 10);
	assert.equal(monitor.snapshot().verdict.kind, 'UP');
	transport.endpoints = refused;
	transport.execAnswer = () => refused;
	transport.proxyAnswer = () => refused;
	await advanceSettled(clock, 500);
	monitor.stop();
	const verdict = monitor.snapshot().verdict;
	assert.equal(verdict.kind, 'UNKNOWN');
	assert.equal(verdict.reason, 'API server unreachable: connection refused');
});

test('--probe service/NAME:PORT/PATH probes only that service, end to end', async () => {
	const transport = fakeTransport();
	transport.proxyAnswer = request => (request.service === 'shop' ? {status: 204, body: ''} : {status: 404, body: ''});
	const {clock, monitor, results} = monitorOn(transport, {target: {service: 'shop', port: '8080', path: '/healthz'}});
	await advanceSettled(clock, 600);
	monitor.stop();
	assert.deepEqual(new Set(results.map(result => result.layer)), new Set(['end-to-end']));
	assert.deepEqual(transport.proxied[0], {namespace: 'default', service: 'shop', port: '8080', path: 'healthz'});
	const snapshot = monitor.snapshot();
	assert.equal(snapshot.verdict.kind, 'UP');
	assert.equal(snapshot.layers.length, 1);
	assert.equal(transport.execs.length, 0);
});

test('metrics API function probe: 503 fails its own row, the path verdict stays UP', async () => {
	const transport = fakeTransport();
	transport.getAnswer = () => ({status: 503, body: '{"kind":"Status","message":"service unavailable"}'});
	const {clock, monitor} = monitorOn(transport, {metricsApi: true});
	await advanceSettled(clock, 10);
	monitor.stop();
	const snapshot = monitor.snapshot();
	const metrics = snapshot.layers.find(layer => layer.layer === 'metrics-api')!;
	assert.equal(metrics.status, 'failing');
	assert.equal(metrics.detail, 'metrics API unavailable (503)');
	assert.equal(snapshot.verdict.kind, 'UP');
});
