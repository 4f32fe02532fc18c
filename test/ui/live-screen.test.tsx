// The live screen against the simulated cluster: real HTTP, real client-node informers,
// the world's controllers at speed 20. Asserts what a person at the screen would see.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import {connectionFromString} from '../../source/kube/connect.js';
import type {PodSource} from '../../source/kube/pod-source.js';
import {watchPodSource} from '../../source/kube/watch-pod-source.js';
import type {SimHandle} from '../../source/sim/sim-handle.js';
import {App} from '../../source/ui/app.js';
import {createScreenStore, type ScreenStore} from '../../source/ui/screen-store.js';
import {makeTheme} from '../../source/ui/theme.js';
import {systemClock} from '../../source/time/clock.js';
import {keys, lineWith, waitForFrame} from '../helpers/frame.js';
import {startTestSim} from '../helpers/sim.js';

type Screen = {app: ReturnType<typeof render>; store: ScreenStore; source: PodSource; stop(): Promise<void>};

function openScreen(sim: SimHandle): Screen {
	const connection = connectionFromString(sim.kubeconfig);
	const store = createScreenStore({clock: systemClock()});
	const source = watchPodSource(connection, 'kube-system', {backoff: {initialMs: 100, maxMs: 400}});
	source.start(update => store.feed(update));
	store.start();
	const app = render(
		<App
			store={store}
			info={{contextName: connection.contextName, server: connection.server, namespace: 'kube-system', readOnly: false, demo: true}}
			theme={makeTheme(true)}
			size={{columns: 160, rows: 50}}
			onQuit={() => {}}
		/>,
	);
	return {
		app,
		store,
		source,
		async stop() {
			app.unmount();
			store.stop();
			await source.stop();
		},
	};
}

/** Pod rows of the table (they start with three columns of pointer and marker). */
function podLine(frame: string, name: string): string | undefined {
	return frame.split('\n').find(line => line.slice(3).startsWith(name + ' '));
}

function podsOf(sim: SimHandle, prefix: string): string[] {
	return sim.cluster.store.list('pods', 'kube-system')
		.filter(pod => pod.metadata.name.startsWith(prefix) && !pod.metadata.deletionTimestamp)
		.map(pod => pod.metadata.name)
		.sort();
}

describe('the live screen on the simulated cluster', () => {
	let sim: SimHandle;
	let screen: Screen;
	before(async () => {
		sim = await startTestSim({speed: 20});
		screen = openScreen(sim);
	});
	after(async () => {
		await screen.stop();
		await sim.stop();
	});

	test('the 14 pods of the talk under their components', async () => {
		const frame = await waitForFrame(screen.app, f => f.includes('14 pods · 9 components · ● live'), 'the first list', 10_000);
		for (const [component, kind, counts] of [
			['kube-dns', 'Deployment', '2/2'],
			['kube-dns-autoscaler', 'Deployment', '1/1'],
			['kube-proxy', 'static pod', '3/3'],
			['fluentd-gcp-v3.2.0', 'DaemonSet', '3/3'],
			['fluentd-gcp-scaler', 'Deployment', '1/1'],
			['event-exporter-v0.2.3', 'Deployment', '1/1'],
			['heapster-v1.6.0-beta.1', 'Deployment', '1/1'],
			['metrics-server-v0.2.1', 'Deployment', '1/1'],
			['l7-default-backend', 'Deployment', '1/1'],
		]) {
			assert.ok(frame.includes(` ${component}  ${kind}  ${counts} ready`), `component line for ${component}`);
		}

		// Each pod sits under its component: the rows after a component line, up to the next one.
		const lines = frame.split('\n');
		const dnsAt = lines.findIndex(line => line.includes('  kube-dns  Deployment'));
		assert.deepEqual(
			lines.slice(dnsAt + 1, dnsAt + 3).map(line => line.slice(3).split(' ')[0]),
			podsOf(sim, 'kube-dns-').filter(name => !name.startsWith('kube-dns-autoscaler')),
		);
		for (const name of podsOf(sim, 'kube-proxy-')) {
			assert.match(podLine(frame, name)!, /1\/1 +Running +0 +\d+h\d*m? +gke-demo-/);
		}
	});

	test('a pod deleted in the cluster is marked gone and its replacement new', async () => {
		// On its own simulator at speed 2: a kube-dns pod is Terminating for 1–2 s simulated, only
		// 50–100 ms at speed 20, and on a loaded machine its MODIFIED and DELETED events could reach
		// the screen in one publish, so no frame ever showed it Terminating. At speed 2 it is
		// Terminating for half a second or more.
		const slowSim = await startTestSim({speed: 2});
		const slowScreen = openScreen(slowSim);
		try {
			await waitForFrame(slowScreen.app, f => f.includes('14 pods · 9 components · ● live'), 'live', 10_000);
			const [victim] = podsOf(slowSim, 'kube-dns-').filter(name => !name.startsWith('kube-dns-autoscaler'));
			const before = new Set(podsOf(slowSim, 'kube-dns-'));
			slowSim.cluster.delete('pods', 'kube-system', victim!, {});
			const terminating = await waitForFrame(slowScreen.app, f => /Terminating/.test(podLine(f, victim!) ?? ''), 'the victim terminating');
			assert.match(lineWith(terminating, '  kube-dns  Deployment')!, /1\/2 ready/);
			const frame = await waitForFrame(slowScreen.app, f => /^ ✗ /.test(podLine(f, victim!) ?? ''), 'the victim gone', 10_000);
			assert.match(podLine(frame, victim!)!, / gone /);
			const replacement = podsOf(slowSim, 'kube-dns-').find(name => !before.has(name));
			assert.ok(replacement, 'the ReplicaSet made a replacement');
			assert.match(podLine(frame, replacement)!, /^ \+ /, 'the replacement is marked new');
		} finally {
			await slowScreen.stop();
			await slowSim.stop();
		}
	});

	test('a restart count going up flashes', async () => {
		const [pod] = podsOf(sim, 'l7-default-backend-');
		await waitForFrame(screen.app, f => /1\/1 +Running +0 /.test(podLine(f, pod!) ?? ''), 'the pod running without restarts', 10_000);
		const container = sim.cluster.store.get('pods', 'kube-system', pod!)!.spec.containers[0].name as string;
		await sim.cluster.exec('kube-system', pod!, container, ['kill', '1']);
		const frame = await waitForFrame(screen.app, f => /^ ! .* 1 \(\d+s ago\) /.test(podLine(f, pod!) ?? ''), 'restarts 1, flashing', 10_000);
		assert.ok(podLine(frame, pod!));
	});

	test('the filter and the help overlay', async () => {
		screen.app.stdin.write('/');
		screen.app.stdin.write('proxy');
		let frame = await waitForFrame(screen.app, f => f.includes('3 pods · Enter keeps'), 'three kube-proxy pods match');
		assert.ok(!frame.includes('  kube-dns  Deployment'));
		for (const name of podsOf(sim, 'kube-proxy-')) {
			assert.ok(podLine(frame, name), name);
		}

		screen.app.stdin.write(keys.escape);
		await waitForFrame(screen.app, f => f.includes('  kube-dns  Deployment'), 'the filter cleared');
		screen.app.stdin.write('?');
		frame = await waitForFrame(screen.app, f => f.includes('cycle the sort: component, restarts, age'), 'the help');
		screen.app.stdin.write('?');
		await waitForFrame(screen.app, f => !f.includes('cycle the sort') && f.includes('  kube-dns  Deployment'), 'the help closed');
	});

	test('the API server goes away: reconnecting, last state kept; it comes back: live, and what changed is shown', async () => {
		await waitForFrame(screen.app, f => f.includes('● live'), 'live', 10_000);
		await sim.faults.takeDown();
		let frame = await waitForFrame(screen.app, f => /↻ reconnecting for \d+ s/.test(f), 'reconnecting', 10_000);
		assert.ok(frame.includes('  kube-dns  Deployment'), 'the last known pods stay');
		frame = await waitForFrame(screen.app, f => /reconnecting for [1-9]\d* s/.test(f), 'the time away counting up', 5000);
		const [victim] = podsOf(sim, 'fluentd-gcp-v3.2.0-');
		sim.cluster.delete('pods', 'kube-system', victim!, {gracePeriodSeconds: 0});
		await sim.faults.bringBack();
		frame = await waitForFrame(screen.app, f => f.includes('● live') && /^ ✗ /.test(podLine(f, victim!) ?? ''), 'live again, the pod deleted while away gone', 10_000);
		assert.ok(!frame.includes('reconnecting'));
	});
});
