// The health panel on the live screen: the room it gets decides how much of it shows (the
// full panel at 160×50, a compact one at 80×24), and against the simulated cluster it goes
// UP → DOWN (DNS) → UP when every kube-dns pod is deleted; with no guestbook it says so once,
// with the whole command that installs one, at every width.
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import {connectionFromString} from '../../source/kube/connect.js';
import {uninstallGuestbook} from '../../source/kube/guestbook.js';
import {initialHealthState, reduceHealth, selectHealthSnapshot, type HealthAction} from '../../source/probes/health-state.js';
import type {ProbeLayer, ProbeResult} from '../../source/probes/types.js';
import {makeTheme} from '../../source/ui/theme.js';
import {FittedHealthPanel} from '../../source/ui/fitted-health-panel.js';
import {fullPanelHeight} from '../../source/ui/health-panel.js';
import {waitForFrame} from '../helpers/frame.js';
import {startTestSim} from '../helpers/sim.js';
import {openExperimentScreen} from './experiment-screen.js';

const t0 = 1_000_000;
const layers: ProbeLayer[] = ['frontend-endpoints', 'redis-endpoints', 'dns', 'end-to-end', 'metrics-api'];

function probe(layer: ProbeLayer, at: number, outcome: ProbeResult['outcome'], detail?: string): HealthAction {
	return {type: 'probe-result', result: {layer, sentAt: t0 + at, outcome, latencyMs: 12, detail, cause: outcome === 'fail' ? 'answer' : undefined}};
}

/** Six rounds ok, then DNS and end to end failing for four. */
function dnsOutage() {
	const actions: HealthAction[] = [{
		type: 'subject',
		subject: {kind: 'guestbook', variant: 'gke', namespace: 'default', frontend: 'frontend', writeService: 'redis-leader', readService: 'redis-follower'},
		at: t0,
	}];
	for (let at = 0; at < 5000; at += 500) {
		const broken = at >= 3000;
		for (const layer of layers) {
			const failing = broken && (layer === 'dns' || layer === 'end-to-end');
			actions.push(probe(layer, at, failing ? 'fail' : 'ok', failing ? (layer === 'dns' ? 'redis-follower does not resolve' : 'frontend answered 500') : undefined));
		}
	}

	const state = actions.reduce(reduceHealth, initialHealthState({namespace: 'default', layers, intervalMs: 500}));
	return selectHealthSnapshot(state, t0 + 5000);
}

function draw(width: number, height: number): string[] {
	const {lastFrame, unmount} = render(<FittedHealthPanel snapshot={dnsOutage()} width={width} height={height} theme={makeTheme(true)}/>);
	const lines = (lastFrame() ?? '').split('\n');
	unmount();
	return lines;
}

describe('the panel in the room it gets', () => {
	test('enough room: the full panel (a block per layer, the legend)', () => {
		const snapshot = dnsOutage();
		const lines = draw(60, fullPanelHeight(snapshot));
		assert.ok(lines.some(line => line.startsWith('App health · ')));
		assert.ok(lines.some(line => /^DNS\s+FAILING/.test(line)));
		assert.ok(lines.some(line => line.includes('▁ ok  ▄ slow  █ fail')), 'the legend');
		assert.ok(lines.length <= fullPanelHeight(snapshot));
	});

	test('one line per layer when that fits: label, state, strip', () => {
		const lines = draw(42, 6);
		assert.match(lines[0]!, /^App +DOWN +DNS: redis-follower does not r…$/, 'the reason cut to the width');
		assert.deepEqual(lines.slice(1).map(line => line.split(/\s+/).slice(0, 2).join(' ')), ['frontend ok', 'redis ok', 'DNS FAILING', 'e2e FAILING', 'metrics ok']);
		assert.match(lines[3]!, /▁▁▁▁▁▁████$/, 'the strip: six ok, four failing');
		assert.ok(lines.every(line => line.length <= 42));
	});

	test('80×24 (four lines): the verdict, every layer in words, and the strips of the broken layers', () => {
		const lines = draw(80, 4);
		assert.equal(lines.length, 4);
		assert.match(lines[0]!, /^App +DOWN +DNS: redis-follower does not resolve/);
		assert.equal(lines[1], 'frontend ok · redis ok · DNS FAILING · e2e FAILING · metrics ok');
		assert.match(lines[2]!, /^DNS +FAILING +▁▁▁▁▁▁████$/);
		assert.match(lines[3]!, /^e2e +FAILING +▁▁▁▁▁▁████$/);
	});

	test('one line only: the verdict', () => {
		assert.deepEqual(draw(80, 1).map(line => line.trimEnd()), ['App  DOWN  DNS: redis-follower does not resolve']);
	});
});

describe('on the screen, against the simulated cluster', () => {
	test('80×24: the compact panel fits, and says UP → DOWN (DNS) → UP when every kube-dns pod is deleted', async () => {
		// Speed 2: DNS is down ~2.8 s of wall clock, long enough for many probes on a loaded machine.
		const sim = await startTestSim({speed: 2});
		const screen = openExperimentScreen(sim, {probeTimeout: '2s'}, {size: {columns: 80, rows: 24}});
		try {
			// One summary line (`frontend ok · redis ok · …`) or a line per layer, as the room allows.
			const layerOk = (frame: string, layer: string) => new RegExp(`(^|· )${layer} +ok`, 'm').test(frame);
			const allOk = (frame: string) => ['frontend', 'redis', 'DNS', 'e2e', 'metrics'].every(layer => layerOk(frame, layer));
			const up = await waitForFrame(screen.app, frame => /^App +UP /m.test(frame) && allOk(frame) && frame.includes('● live'), 'the panel UP, every layer ok', 10_000);
			const lines = up.split('\n');
			assert.ok(lines.length <= 23, `the frame fits 24 rows (${lines.length} lines)`);
			assert.ok(lines.every(line => line.length <= 80), 'every line fits 80 columns');

			for (const pod of sim.cluster.store.list('pods', 'kube-system').filter(pod => pod.metadata.labels?.['k8s-app'] === 'kube-dns')) {
				sim.cluster.delete('pods', 'kube-system', pod.metadata.name, {});
			}

			// Which hop the headline names first is the reducer's (tested there); on a loaded machine an
			// endpoints list can time out in the same moment. What the screen must show: DOWN, DNS failing.
			const down = await waitForFrame(screen.app, frame => /^App +DOWN /m.test(frame) && /(^|· )DNS +FAILING/m.test(frame), 'DOWN with DNS failing', 15_000);
			assert.match(down, /(^|· )e2e +FAILING/m);
			await waitForFrame(screen.app, frame => /^App +UP /m.test(frame), 'UP again once a replacement is ready', 20_000);
		} finally {
			await screen.stop();
			await sim.stop();
		}
	});
});

describe('no guestbook, on the screen against the simulated cluster', () => {
	test('from 80 to 200 columns, tall and short: "no guestbook" once and `knockdown guestbook install` whole', async () => {
		const sim = await startTestSim();
		try {
			await uninstallGuestbook(connectionFromString(sim.kubeconfig).kubeConfig, 'default');
			// Narrow (panel below the table, full or compact), wide with the side column at its
			// narrowest (42 columns, full or compact) and at its widest (72).
			const sizes = [[80, 24], [80, 50], [100, 30], [120, 24], [120, 50], [140, 40], [160, 24], [160, 50], [200, 24], [200, 50]] as const;
			for (const [columns, rows] of sizes) {
				const screen = openExperimentScreen(sim, {}, {size: {columns, rows}});
				try {
					const frame = await waitForFrame(screen.app, frame => frame.includes('● live') && frame.includes('no guestbook in default'), `${columns}×${rows}: no guestbook`, 10_000);
					const lines = frame.split('\n');
					const where = `at ${columns}×${rows}:\n${frame}`;
					assert.equal(frame.split('no guestbook').length - 1, 1, `"no guestbook" once ${where}`);
					assert.equal(lines.filter(line => /(^|\s)knockdown guestbook install$/.test(line.trimEnd())).length, 1, `the whole command on one line ${where}`);
					assert.ok(lines.length < rows && lines.every(line => line.length <= columns), `the frame fits ${where}`);
				} finally {
					await screen.stop();
				}
			}
		} finally {
			await sim.stop();
		}
	});
});

test('no guestbook in the compact panel: the command whole even when only two lines are left', () => {
	const actions: HealthAction[] = [{type: 'subject', subject: {kind: 'none', namespace: 'default'}, at: t0}];
	const snapshot = selectHealthSnapshot(actions.reduce(reduceHealth, initialHealthState({namespace: 'default', layers, intervalMs: 500})), t0);
	const drawn = (width: number, height: number) => {
		const {lastFrame, unmount} = render(<FittedHealthPanel snapshot={snapshot} width={width} height={height} theme={makeTheme(true)}/>);
		const lines = (lastFrame() ?? '').split('\n').map(line => line.trimEnd());
		unmount();
		return lines;
	};

	assert.deepEqual(drawn(42, 2), ['App  UNKNOWN  no guestbook in default', '  knockdown guestbook install']);
	assert.deepEqual(drawn(42, 3), ['App  UNKNOWN  no guestbook in default', 'install it with:', '  knockdown guestbook install']);
	assert.deepEqual(drawn(80, 2), ['App  UNKNOWN  no guestbook in default', 'install it with: knockdown guestbook install']);
});
