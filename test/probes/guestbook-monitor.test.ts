// The health monitor against the simulated cluster, over real HTTP and WebSocket through
// client-node, with the simulator's clock sped up: what the path through the API server
// decides (RBAC, a missing guestbook, the API server away, a service probe). The DNS outage
// and the SLOW answer, held to the simulated moment they happen, run on the manual clock:
// monitor-on-world.test.ts.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {connectionFromString} from '../../source/kube/connect.js';
import {installGuestbook} from '../../source/kube/guestbook.js';
import {createGuestbookMonitor, type GuestbookMonitor, type MonitorOptions} from '../../source/probes/guestbook-monitor.js';
import type {HealthSnapshot} from '../../source/probes/health-state.js';
import type {SimHandle, SimOptions} from '../../source/sim/sim-handle.js';
import type {KubeObject} from '../../source/sim/store.js';
import {eventually, startTestSim} from '../helpers/sim.js';

type Watched = {sim: SimHandle; monitor: GuestbookMonitor; snapshots: HealthSnapshot[]; stop(): Promise<void>};

/** A sim and a monitor on it; every change of the panel's state is kept as a snapshot. */
async function watchGuestbook(simOptions: SimOptions, monitorOptions: Partial<MonitorOptions> = {}): Promise<Watched> {
	const sim = await startTestSim(simOptions);
	const monitor = createGuestbookMonitor(connectionFromString(sim.kubeconfig), {
		namespace: 'default',
		intervalMs: 50,
		timeoutMs: 2000,
		...monitorOptions,
	});
	const snapshots: HealthSnapshot[] = [];
	monitor.onChange(() => snapshots.push(monitor.snapshot()));
	monitor.start();
	return {
		sim,
		monitor,
		snapshots,
		async stop() {
			monitor.stop();
			await sim.stop();
		},
	};
}

const isReady = (pod: KubeObject) => (pod.status?.conditions ?? []).some((condition: any) => condition.type === 'Ready' && condition.status === 'True');

function pods(sim: SimHandle, namespace: string, match: (pod: KubeObject) => boolean): KubeObject[] {
	return sim.cluster.store.list('pods', namespace).filter(match);
}

async function untilVerdict(watched: Watched, kind: string, what: string, timeoutMs = 10_000) {
	return eventually(() => watched.snapshots.at(-1)?.verdict.kind === kind && watched.snapshots.at(-1), what, timeoutMs, 10);
}

test('a deleted fluentd pod: UP throughout', async () => {
	const watched = await watchGuestbook({speed: 20});
	try {
		await untilVerdict(watched, 'UP', 'the guestbook UP before the knock');
		const [victim] = pods(watched.sim, 'kube-system', pod => pod.metadata.name.startsWith('fluentd-gcp-v3.2.0-'));
		assert.ok(victim, 'a fluentd pod to delete');
		const from = watched.snapshots.length;
		watched.sim.cluster.delete('pods', 'kube-system', victim.metadata.name, {});
		await eventually(
			() =>
				!watched.sim.cluster.store.get('pods', 'kube-system', victim.metadata.name)
				&& pods(watched.sim, 'kube-system', pod => pod.metadata.name.startsWith('fluentd-gcp-v3.2.0-') && pod.spec?.nodeName === victim.spec?.nodeName && isReady(pod)).length === 1,
			'the fluentd replacement ready on the same node',
			20_000,
		);
		// A few more rounds of probes after the replacement.
		const after = watched.snapshots.length;
		await eventually(() => watched.snapshots.length > after + 20, 'more probe results');
		const verdicts = watched.snapshots.slice(from).map(snapshot => snapshot.verdict.kind);
		assert.ok(verdicts.length > 20);
		assert.deepEqual([...new Set(verdicts)], ['UP']);
	} finally {
		await watched.stop();
	}
});

test('exec forbidden by RBAC: DNS is "unknown: exec not permitted" and the other layers keep running', async () => {
	const watched = await watchGuestbook({speed: 20, forbid: ['create:pods/exec']});
	try {
		const snapshot = await eventually(() => {
			const latest = watched.snapshots.at(-1);
			const dns = latest?.layers.find(layer => layer.layer === 'dns');
			const endToEnd = latest?.layers.find(layer => layer.layer === 'end-to-end');
			return dns?.status === 'unknown' && endToEnd?.status === 'ok' && latest;
		}, 'DNS unknown with end to end ok');
		const dns = snapshot.layers.find(layer => layer.layer === 'dns')!;
		assert.equal(dns.detail, 'exec not permitted');
		assert.equal(snapshot.verdict.kind, 'UP');
		assert.ok(snapshot.layers.filter(layer => layer.layer !== 'dns').every(layer => layer.status === 'ok'));
	} finally {
		await watched.stop();
	}
});

test('a namespace without a guestbook says so; once one is installed it comes UP', async () => {
	const watched = await watchGuestbook({speed: 20}, {namespace: 'shop'});
	try {
		watched.sim.cluster.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shop'}});
		const none = await eventually(() => watched.snapshots.find(snapshot => snapshot.verdict.reason === 'no guestbook in shop'), 'no guestbook');
		assert.equal(none.installCommand, 'knockdown guestbook install --app-namespace shop');
		await installGuestbook(connectionFromString(watched.sim.kubeconfig).kubeConfig, 'shop');
		const up = await untilVerdict(watched, 'UP', 'the installed guestbook UP', 20_000);
		assert.equal(up.subjectText, 'guestbook (GKE tutorial) in shop');
	} finally {
		await watched.stop();
	}
});

test('API server away: UNKNOWN (transport failed), not DOWN; back to UP when it returns', async () => {
	const watched = await watchGuestbook({speed: 20});
	try {
		await untilVerdict(watched, 'UP', 'UP before');
		const from = watched.snapshots.length;
		await watched.sim.faults.takeDown();
		const unknown = await untilVerdict(watched, 'UNKNOWN', 'UNKNOWN while the API server is away');
		assert.match(unknown.verdict.reason ?? '', /API server unreachable/);
		await watched.sim.faults.bringBack();
		await untilVerdict(watched, 'UP', 'UP after');
		assert.ok(!watched.snapshots.slice(from).some(snapshot => snapshot.verdict.kind === 'DOWN'), 'never DOWN');
	} finally {
		await watched.stop();
	}
});

test('--probe service/frontend:80/: only the end-to-end layer, on that service', async () => {
	const watched = await watchGuestbook({speed: 20}, {target: {service: 'frontend', port: '80', path: '/'}});
	try {
		const up = await untilVerdict(watched, 'UP', 'UP on the probed service');
		assert.deepEqual(up.layers.map(layer => layer.layer), ['end-to-end']);
		assert.equal(up.subjectText, 'service/frontend:80/ in default');
		// Deleting the Service: the proxy answers 404, the probe fails.
		const from = watched.snapshots.length;
		watched.sim.cluster.delete('services', 'default', 'frontend', {});
		const down = await eventually(() => watched.snapshots.slice(from).find(snapshot => snapshot.verdict.kind === 'DOWN'), 'DOWN once the service is gone');
		assert.match(down.verdict.reason ?? '', /^end-to-end: frontend answered 404/);
	} finally {
		await watched.stop();
	}
});
