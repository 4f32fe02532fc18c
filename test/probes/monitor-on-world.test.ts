// The health monitor against the simulated world on one manual clock (the probes' calls
// straight onto the world, test/helpers/sim-ports.ts), with the probe timing of a real
// cluster: what the panel says while DNS is knocked down, asserted against the simulator's
// truth at the simulated moment it happened, the same on any machine under any load. The
// HTTP and WebSocket path of the same probes is guestbook-monitor.test.ts's.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {HealthSnapshot} from '../../source/probes/health-state.js';
import {createMonitor, type GuestbookMonitor, type MonitorOptions} from '../../source/probes/monitor.js';
import type {SimCluster} from '../../source/sim/cluster.js';
import type {KubeObject} from '../../source/sim/store.js';
import {createCluster} from '../../source/sim/world/index.js';
import {manualClock, type ManualClock} from '../../source/time/clock.js';
import {advanceUntilFound} from '../helpers/clock.js';
import {simProbeTransport} from '../helpers/sim-ports.js';

type Seen = {at: number; snapshot: HealthSnapshot};
type Watched = {cluster: SimCluster; clock: ManualClock; monitor: GuestbookMonitor; seen: Seen[]; stop(): void};

/** A world and a monitor on it; every change of the panel's state is kept with its time. */
function watchGuestbook(options: Pick<MonitorOptions, 'intervalMs' | 'timeoutMs' | 'slowMs'>, random = 0.5): Watched {
	const clock = manualClock();
	// A fixed random(): every delay is the same point of its range on every run.
	const cluster = createCluster({clock, random: () => random});
	cluster.start();
	const monitor = createMonitor(simProbeTransport(cluster), {namespace: 'default', clock, ...options});
	const seen: Seen[] = [];
	monitor.onChange(() => seen.push({at: clock.now(), snapshot: monitor.snapshot()}));
	monitor.start();
	return {cluster, clock, monitor, seen, stop() {
		monitor.stop();
		cluster.stop();
	}};
}

const kubeDns = (pod: KubeObject) => pod.metadata.labels?.['k8s-app'] === 'kube-dns';
const isReady = (pod: KubeObject) => (pod.status?.conditions ?? []).some((condition: any) => condition.type === 'Ready' && condition.status === 'True');

/** The first change from `from` on whose verdict matches. */
async function until(watched: Watched, from: number, what: string, match: (snapshot: HealthSnapshot) => boolean, limitMs = 60_000): Promise<Seen> {
	return advanceUntilFound(watched.clock, () => watched.seen.slice(from).find(seen => match(seen.snapshot)), what, limitMs);
}

test('every kube-dns pod deleted: UP → DOWN with DNS as the failing hop, while DNS truly is down → UP once a replacement is ready', async () => {
	// The defaults of a real run: a probe every 500 ms, 2 s to answer.
	const watched = watchGuestbook({intervalMs: 500, timeoutMs: 2000});
	try {
		await until(watched, 0, 'UP before the knock', snapshot => snapshot.verdict.kind === 'UP');
		const victims = watched.cluster.store.list('pods', 'kube-system').filter(kubeDns);
		assert.equal(victims.length, 2);
		const from = watched.seen.length;
		for (const pod of victims) {
			watched.cluster.delete('pods', 'kube-system', pod.metadata.name, {});
		}

		const down = await until(watched, from, 'DOWN at DNS', snapshot => snapshot.verdict.kind === 'DOWN' && snapshot.verdict.reason === 'DNS: redis-follower does not resolve');
		assert.equal(down.snapshot.verdict.layer, 'dns');
		assert.equal(down.snapshot.layers.find(layer => layer.layer === 'end-to-end')!.status, 'failing', 'the app is down too');
		assert.equal(down.snapshot.layers.find(layer => layer.layer === 'frontend-endpoints')!.status, 'ok', 'the hops before DNS still work');
		const up = await until(watched, watched.seen.indexOf(down), 'UP again', snapshot => snapshot.verdict.kind === 'UP');
		const replacements = watched.cluster.store.list('pods', 'kube-system').filter(pod => kubeDns(pod) && !victims.some(victim => victim.metadata.uid === pod.metadata.uid));
		assert.ok(replacements.some(isReady), 'UP only once a replacement kube-dns pod is ready');

		const [dnsDown, ...more] = watched.cluster.truth().dns;
		assert.deepEqual(more, [], 'one DNS outage');
		assert.ok(dnsDown!.startMs <= down.at && down.at < dnsDown!.endMs!, `DOWN at ${down.at}, inside the true outage [${dnsDown!.startMs}, ${dnsDown!.endMs})`);
		// By the first probe sent after it (a slot not sent behind one still waiting out dead servers takes that one's outcome, so up to a timeout).
		assert.ok(dnsDown!.endMs! <= up.at && up.at <= dnsDown!.endMs! + 2000, `UP at ${up.at}: after DNS answered again at ${dnsDown!.endMs}, within a probe timeout`);
	} finally {
		watched.stop();
	}
});

test('one of two kube-dns pods deleted: SLOW (a dead server still programmed), never DOWN', async () => {
	// A query that picks the dead server waits the resolver's 5 s timeout, then the other server
	// answers: SLOW for a client more patient than that (as with --probe-timeout 6s, slow above
	// 1 s). The dead server is programmed for 0.7–1.5 s, so it is probed every 50 ms; random() is
	// 0.25, so a resolver with one of its two servers dead picks the dead one.
	const watched = watchGuestbook({intervalMs: 50, timeoutMs: 6000, slowMs: 1000}, 0.25);
	try {
		await until(watched, 0, 'UP before the knock', snapshot => snapshot.verdict.kind === 'UP');
		const [victim] = watched.cluster.store.list('pods', 'kube-system').filter(kubeDns);
		const from = watched.seen.length;
		watched.cluster.delete('pods', 'kube-system', victim!.metadata.name, {});
		const slow = await until(watched, from, 'SLOW', snapshot => snapshot.verdict.kind === 'SLOW');
		assert.match(slow.snapshot.verdict.reason ?? '', /^DNS: answered in 5s \(redis-follower → /, 'the resolver waited out the dead server');
		await advanceUntilFound(watched.clock, () => !watched.cluster.store.get('pods', 'kube-system', victim!.metadata.name)
			&& watched.cluster.store.list('pods', 'kube-system').filter(pod => kubeDns(pod) && isReady(pod) && !pod.metadata.deletionTimestamp).length === 2, 'replacement kube-dns pod ready', 60_000);
		const settledAt = watched.seen.length;
		await until(watched, settledAt, 'UP after the replacement', snapshot => snapshot.verdict.kind === 'UP');
		const verdicts = new Set(watched.seen.slice(from).map(seen => seen.snapshot.verdict.kind));
		assert.ok(!verdicts.has('DOWN'), `never DOWN (saw ${[...verdicts].join(', ')})`);
	} finally {
		watched.stop();
	}
});
