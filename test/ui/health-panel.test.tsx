import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import {HealthPanel, formatSince, fullPanelHeight} from '../../source/ui/health-panel.js';
import {pathLayers} from '../../source/probes/catalog.js';
import {initialHealthState, reduceHealth, selectHealthSnapshot, type HealthAction} from '../../source/probes/health-state.js';
import type {ProbeLayer, ProbeResult} from '../../source/probes/types.js';

const t0 = 1_000_000;

function snapshotOf(actions: HealthAction[], now: number, namespace = 'default') {
	const state = actions.reduce(reduceHealth, initialHealthState({namespace, layers: pathLayers}));
	return selectHealthSnapshot(state, now);
}

function probe(layer: ProbeLayer, at: number, outcome: ProbeResult['outcome'], detail?: string): HealthAction {
	return {type: 'probe-result', result: {layer, sentAt: t0 + at, outcome, latencyMs: 12, detail, cause: outcome === 'fail' ? 'answer' : undefined}};
}

const guestbook: HealthAction = {
	type: 'subject',
	subject: {kind: 'guestbook', variant: 'gke', namespace: 'default', frontend: 'frontend', writeService: 'redis-leader', readService: 'redis-follower'},
	at: t0,
};

test('during a DNS outage the panel says DOWN, names the DNS hop in words, and the strip shows when it broke', () => {
	const actions: HealthAction[] = [guestbook];
	for (let at = 0; at < 5000; at += 500) {
		const broken = at >= 3000;
		actions.push(
			probe('frontend-endpoints', at, 'ok'),
			probe('redis-endpoints', at, 'ok'),
			probe('dns', at, broken ? 'fail' : 'ok', broken ? 'redis-follower does not resolve' : undefined),
			probe('end-to-end', at, broken ? 'fail' : 'ok', broken ? 'frontend answered 500' : undefined),
		);
	}

	const {lastFrame, unmount} = render(<HealthPanel snapshot={snapshotOf(actions, t0 + 12_000)} width={60} />);
	const frame = lastFrame() ?? '';
	unmount();
	const lines = frame.split('\n');
	assert.ok(lines.some(line => line.includes('DOWN') && line.includes('DNS: redis-follower does not resolve')), frame);
	const dnsLine = lines.findIndex(line => line.startsWith('DNS'));
	assert.match(lines[dnsLine], /FAILING\s+for 9s/);
	assert.equal(lines[dnsLine + 1].trim(), '▁▁▁▁▁▁████', 'six ok probes, then four failures');
	assert.match(lines[dnsLine + 2], /redis-follower does not resolve/);
	assert.ok(lines.some(line => line.startsWith('frontend endpoints') && /\bok\b/.test(line)));
	assert.ok(lines.every(line => line.length <= 60), 'fits its width');
});

test('no guestbook: the panel says so once, and the install command whole, at the narrowest panel width', () => {
	const frameFor = (namespace: string) => {
		const actions: HealthAction[] = [{type: 'subject', subject: {kind: 'none', namespace}, at: t0}];
		for (const layer of pathLayers) {
			actions.push({type: 'probe-result', result: {layer, sentAt: t0, outcome: 'unknown', latencyMs: 3, cause: 'no-target', detail: `no guestbook in namespace ${namespace}`}});
		}

		const snapshot = snapshotOf(actions, t0 + 100, namespace);
		const {lastFrame, unmount} = render(<HealthPanel snapshot={snapshot} width={42} />);
		const frame = lastFrame() ?? '';
		unmount();
		assert.equal(frame.split('\n').length, fullPanelHeight(snapshot), frame);
		assert.ok(frame.split('\n').every(line => line.length <= 42), frame);
		assert.equal(frame.split('no guestbook').length - 1, 1, `"no guestbook" once:\n${frame}`);
		return frame;
	};

	const inDefault = frameFor('default');
	assert.match(inDefault, /^App health · namespace default$/m);
	assert.match(inDefault, /^ UNKNOWN  no guestbook in default$/m);
	assert.match(inDefault, /^install it with:\n {2}knockdown guestbook install$/m);
	// Elsewhere the flag goes on a continuation line, so the command is whole and pastes as one.
	assert.match(frameFor('shop'), /^install it with:\n {2}knockdown guestbook install \\\n {4}--app-namespace shop$/m);
});

test('exec forbidden shows "unknown" and the reason on the DNS block while the verdict stays UP', () => {
	const snapshot = snapshotOf(
		[guestbook, probe('frontend-endpoints', 0, 'ok'), probe('redis-endpoints', 0, 'ok'), probe('dns', 0, 'unknown', 'exec not permitted'), probe('end-to-end', 0, 'ok')],
		t0 + 100,
	);
	const {lastFrame, unmount} = render(<HealthPanel snapshot={snapshot} />);
	const frame = lastFrame() ?? '';
	unmount();
	assert.match(frame, /^ UP$/m);
	assert.match(frame, /DNS\s+unknown/);
	assert.match(frame, /exec not permitted/);
	assert.match(frame, /\?/);
});

test('time since a change reads short', () => {
	assert.equal(formatSince(8700), '8s');
	assert.equal(formatSince(192_000), '3m12s');
	assert.equal(formatSince(3_840_000), '1h4m');
});
