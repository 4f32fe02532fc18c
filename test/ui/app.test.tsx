// The screen against a store fed by hand: layout, keys, markers. (Against the simulated
// cluster, over real HTTP and client-node: live-screen.test.tsx.)
import {afterEach, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {cleanup, render} from 'ink-testing-library';
import {App, type ScreenExtensions} from '../../source/ui/app.js';
import {createScreenStore, type ScreenStore} from '../../source/ui/screen-store.js';
import {makeTheme} from '../../source/ui/theme.js';
import {systemClock} from '../../source/time/clock.js';
import type {TerminalSize} from '../../source/ui/layout.js';
import {keys, lineWith, waitForFrame} from '../helpers/frame.js';
import {fakeDaemonSet, fakeDeployment, fakeEvent, fakePod, fakeReplicaSet, t0} from './fake-objects.js';

let clock = t0;

function mount(options: {size?: TerminalSize; extensions?: ScreenExtensions; readOnly?: boolean} = {}) {
	clock = t0;
	// The wall clock's timers (the frames are awaited), the time this test sets.
	const store = createScreenStore({clock: {...systemClock(), now: () => clock}, publishMs: 0});
	let quits = 0;
	const app = render(
		<App
			store={store}
			info={{contextName: 'knockdown-sim', server: 'http://127.0.0.1:6443', namespace: 'kube-system', readOnly: options.readOnly ?? false, demo: true}}
			theme={makeTheme(true)}
			size={options.size ?? {columns: 100, rows: 30}}
			extensions={options.extensions}
			onQuit={() => {
				quits++;
			}}
		/>,
	);
	return {app, store, quits: () => quits};
}

function seed(store: ScreenStore): void {
	store.feed({type: 'connection', state: {phase: 'live'}});
	store.feed({type: 'owner-upserted', owner: fakeReplicaSet('kube-dns-7df4cb66cb', 'kube-dns', 2)});
	store.feed({type: 'owner-upserted', owner: fakeDeployment('kube-dns', 2)});
	store.feed({type: 'owner-upserted', owner: fakeDaemonSet('fluentd-gcp-v3.2.0', 3)});
	for (const pod of [
		fakePod('kube-dns-7df4cb66cb-9ft98', {replicaSet: 'kube-dns-7df4cb66cb', containers: 4, node: 'gke-demo-default-pool-0dacde9e-dvbd'}),
		fakePod('kube-dns-7df4cb66cb-wvhpz', {replicaSet: 'kube-dns-7df4cb66cb', containers: 4, restarts: 2}),
		fakePod('kube-proxy-gke-demo-default-pool-0dacde9e-dvbd', {mirrorOn: 'gke-demo-default-pool-0dacde9e-dvbd'}),
		...['6gq6r', '8h5hp', 'pb44f'].map(suffix => fakePod(`fluentd-gcp-v3.2.0-${suffix}`, {daemonSet: 'fluentd-gcp-v3.2.0', containers: 2})),
	]) {
		store.feed({type: 'pod-upserted', pod});
	}

	store.feed({type: 'pods-synced'});
	store.feed({type: 'event-seen', event: fakeEvent('kube-dns-7df4cb66cb-9ft98.1', 'Scheduled', t0 - 65_000, 'Successfully assigned kube-system/kube-dns-7df4cb66cb-9ft98 to node-a')});
	store.feed({type: 'event-seen', event: fakeEvent('kube-dns-7df4cb66cb-9ft98.2', 'Started', t0 - 5000, 'Started container kubedns')});
}

afterEach(() => {
	cleanup();
});

describe('what the screen shows', () => {
	test('header, component lines with kind, ready/desired and role, pods with kubectl columns, events newest first', async () => {
		const {app, store} = mount();
		seed(store);
		const frame = await waitForFrame(app, f => f.includes('kube-dns-7df4cb66cb-wvhpz'), 'the pods');
		const lines = frame.split('\n');
		assert.match(lines[0]!, /^knockdown {2}knockdown-sim \(demo\) · http:\/\/127\.0\.0\.1:6443 +\d\d:\d\d:\d\d$/);
		assert.match(lines[1]!, /ns kube-system · 6 pods · 3 components · ● live/);
		assert.match(lineWith(frame, 'kube-dns  Deployment')!, /kube-dns {2}Deployment {2}2\/2 ready {2}· DNS inside the cluster/);
		assert.match(lineWith(frame, 'fluentd-gcp-v3.2.0  DaemonSet')!, /3\/3 ready {2}· ships container logs to Stackdriver Logging/);
		assert.match(lineWith(frame, 'kube-proxy  static pod')!, /1\/1 ready {2}· manages network traffic/);
		assert.match(lineWith(frame, 'NAME')!, /NAME +READY +STATUS +RESTARTS +AGE +NODE/);
		assert.match(lineWith(frame, 'kube-dns-7df4cb66cb-wvhpz')!, /kube-dns-7df4cb66cb-wvhpz +4\/4 +Running +2 +60m +node-a/);
		const events = frame.slice(frame.indexOf('Events'));
		assert.ok(events.indexOf('Started') < events.indexOf('Scheduled'), 'newest first');
		assert.match(lineWith(events, 'Scheduled')!, /^ *65s Scheduled +pod\/kube-dns-7df4cb66cb-9ft98: Successfully assigned/);
		assert.ok(!frame.includes('read-only'));
	});

	test('--read-only is in the header', async () => {
		const {app, store} = mount({readOnly: true});
		seed(store);
		await waitForFrame(app, f => /· \[read-only\] ● live/.test(f), 'the read-only mark');
	});

	test('markers read without colour: + new, ! restart went up, ✗ gone', async () => {
		const {app, store} = mount();
		seed(store);
		await waitForFrame(app, f => f.includes('kube-dns-7df4cb66cb-wvhpz'), 'the pods');
		clock = t0 + 1000;
		store.feed({type: 'pod-upserted', pod: fakePod('kube-dns-7df4cb66cb-newer', {replicaSet: 'kube-dns-7df4cb66cb', createdAt: t0 + 900, ready: false})});
		store.feed({type: 'pod-deleted', pod: fakePod('kube-dns-7df4cb66cb-9ft98', {replicaSet: 'kube-dns-7df4cb66cb', containers: 4})});
		store.feed({type: 'pod-upserted', pod: fakePod('kube-dns-7df4cb66cb-wvhpz', {replicaSet: 'kube-dns-7df4cb66cb', containers: 4, restarts: 3})});
		const frame = await waitForFrame(app, f => f.includes('kube-dns-7df4cb66cb-newer'), 'the new pod');
		assert.match(lineWith(frame, 'kube-dns-7df4cb66cb-newer')!, /^ \+ kube-dns-7df4cb66cb-newer/);
		assert.match(lineWith(frame, 'kube-dns-7df4cb66cb-9ft98')!, /^ ✗ kube-dns-7df4cb66cb-9ft98 +4\/4 +gone/);
		assert.match(lineWith(frame, 'kube-dns-7df4cb66cb-wvhpz')!, /^ ! kube-dns-7df4cb66cb-wvhpz .* 3 /);
		assert.match(lineWith(frame, 'kube-dns  Deployment')!, /1\/2 ready/);
		assert.match(frame, /· 6 pods ·/, 'the gone pod is not counted, the new one is');
	});

	test('80×24: every line fits, the frame leaves the last terminal line free, the table scrolls', async () => {
		const {app, store} = mount({size: {columns: 80, rows: 24}});
		seed(store);
		for (let index = 0; index < 40; index++) {
			store.feed({type: 'pod-upserted', pod: fakePod(`kube-proxy-node-${String(index).padStart(2, '0')}`, {mirrorOn: `node-${String(index).padStart(2, '0')}`})});
		}

		const frame = await waitForFrame(app, f => f.includes('46 pods'), 'all pods counted');
		const lines = frame.split('\n');
		assert.equal(lines.length, 23);
		for (const line of lines) {
			assert.ok(line.length <= 80, `too long: ${line}`);
		}

		assert.match(frame, /rows 1–\d+ of 49 ↓/, 'says there is more below');
		app.stdin.write('G');
		const last = await waitForFrame(app, f => f.includes('kube-proxy-node-39'), 'the last row after G');
		assert.match(lineWith(last, 'kube-proxy-node-39')!, /^›/);
		assert.ok(!last.includes('kube-dns  Deployment'), 'scrolled away from the top');
	});

	test('160×50: events beside the table', async () => {
		const {app, store} = mount({size: {columns: 160, rows: 50}});
		seed(store);
		const frame = await waitForFrame(app, f => f.includes('kube-dns-7df4cb66cb-wvhpz'), 'the pods');
		const lines = frame.split('\n');
		assert.equal(lines.length, 49, frame);
		const titleLine = lineWith(frame, 'NAME')!;
		assert.match(titleLine, /NODE +Events/, 'events in the right-hand column');
		// A narrow column gives each event two lines: reason and pod, then the message.
		const startedAt = lines.findIndex(line => /5s Started kube-dns-7df4cb66cb-9ft98$/.test(line));
		assert.ok(startedAt > 0, frame);
		assert.match(lines[startedAt + 1]!, / {6}Started container kubedns$/);
		for (const line of lines) assert.ok(line.length <= 160, `${line.length}: ${line}`);
		// The node column has room for a whole GKE node name.
		assert.match(frame, /^ {3}kube-dns-7df4cb66cb-9ft98 .* gke-demo-default-pool-0dacde9e-dvbd/m);
	});
});

describe('keys', () => {
	test('↓/j and ↑/k move the selection; g goes back to the first row', async () => {
		const {app, store} = mount();
		seed(store);
		await waitForFrame(app, f => /^› fluentd-gcp-v3\.2\.0 {2}DaemonSet/m.test(f), 'the first row selected');
		app.stdin.write(keys.down);
		await waitForFrame(app, f => /^› {2}fluentd-gcp-v3\.2\.0-6gq6r/m.test(f), 'down');
		app.stdin.write('j');
		await waitForFrame(app, f => /^› {2}fluentd-gcp-v3\.2\.0-8h5hp/m.test(f), 'j');
		app.stdin.write('k');
		await waitForFrame(app, f => /^› {2}fluentd-gcp-v3\.2\.0-6gq6r/m.test(f), 'k');
		app.stdin.write(keys.pageDown);
		await waitForFrame(app, f => !/^› {2}fluentd-gcp-v3\.2\.0-6gq6r/m.test(f), 'page down moved');
		app.stdin.write('g');
		await waitForFrame(app, f => /^› fluentd-gcp-v3\.2\.0 {2}DaemonSet/m.test(f), 'g');
	});

	test('/ filters by name as you type, Enter keeps it, Esc clears it', async () => {
		const {app, store} = mount();
		seed(store);
		await waitForFrame(app, f => f.includes('fluentd-gcp-v3.2.0-6gq6r'), 'the pods');
		app.stdin.write('/');
		app.stdin.write('wv');
		let frame = await waitForFrame(app, f => !f.includes('fluentd-gcp-v3.2.0-6gq6r'), 'the filter applied');
		assert.match(frame, /^ {3}kube-dns-7df4cb66cb-wvhpz/m);
		assert.doesNotMatch(frame, /^ {3}kube-dns-7df4cb66cb-9ft98/m);
		assert.match(frame, /^\/wv {4}1 pod · Enter keeps · Esc clears/m);
		app.stdin.write(keys.enter);
		frame = await waitForFrame(app, f => f.includes('filter "wv": 1 pod (Esc clears)'), 'the filter kept');
		// Keys work on the table again: s is a sort, not text.
		app.stdin.write('s');
		await waitForFrame(app, f => f.includes('sort: restarts'), 'sort while filtered');
		app.stdin.write(keys.escape);
		frame = await waitForFrame(app, f => f.includes('fluentd-gcp-v3.2.0-6gq6r'), 'the filter cleared');
		assert.ok(!frame.includes('filter "'));
	});

	test('s cycles the sort: component, restarts, age', async () => {
		const {app, store} = mount();
		seed(store);
		await waitForFrame(app, f => f.includes('sort: component'), 'the default sort');
		app.stdin.write('s');
		const frame = await waitForFrame(app, f => f.includes('sort: restarts'), 'restarts');
		// kube-dns has the pod with the most restarts: it comes first.
		assert.ok(frame.indexOf('kube-dns  Deployment') < frame.indexOf('fluentd-gcp-v3.2.0  DaemonSet'));
		app.stdin.write('s');
		await waitForFrame(app, f => f.includes('sort: age'), 'age');
		app.stdin.write('s');
		await waitForFrame(app, f => f.includes('sort: component'), 'back to component');
	});

	test('? shows every key, added ones too, and Esc closes it', async () => {
		let deleted = 0;
		const {app, store} = mount({
			extensions: {bindings: [{keys: ['d'], label: 'delete', help: 'delete the selected pod (asks first)', run: () => deleted++}]},
		});
		seed(store);
		let frame = await waitForFrame(app, f => f.includes('kube-dns-7df4cb66cb-wvhpz'), 'the pods');
		assert.match(frame.split('\n').at(-1)!, /d delete .*\? help {2}q quit$/);
		app.stdin.write('?');
		frame = await waitForFrame(app, f => f.includes('Keys'), 'the help overlay');
		for (const text of ['move the selection up and down', 'move a page up or down', 'first or the last row', 'filter pods by name', 'cycle the sort: component, restarts, age', 'show or hide this help', 'quit (Ctrl-C too)', 'delete the selected pod (asks first)', '+ new pod']) {
			assert.ok(frame.includes(text), `help lists: ${text}`);
		}

		assert.ok(!frame.includes('kube-dns-7df4cb66cb-wvhpz'), 'the overlay replaces the table');
		app.stdin.write(keys.escape);
		await waitForFrame(app, f => f.includes('kube-dns-7df4cb66cb-wvhpz') && !f.includes('show or hide this help'), 'the table again');
		app.stdin.write('d');
		assert.equal(deleted, 1, 'an added key runs');
	});

	test('at 80×24 the help still lists every key when later features add six', async () => {
		const added = ['d', 'D', 'x', 'H', 't', 'e'].map(key => ({keys: [key], label: `do-${key}`, help: `does ${key} things`, run() {}}));
		const {app, store} = mount({size: {columns: 80, rows: 24}, extensions: {bindings: added}});
		seed(store);
		await waitForFrame(app, f => f.includes('kube-dns  Deployment'), 'the table');
		app.stdin.write('?');
		const frame = await waitForFrame(app, f => f.includes('Keys'), 'the help');
		assert.equal(frame.split('\n').length, 23);
		for (const text of ['does d things', 'does D things', 'does x things', 'does H things', 'does t things', 'does e things', 'quit (Ctrl-C too)', 'Esc or ? closes this help.']) {
			assert.ok(frame.includes(text), `help lists: ${text}\n${frame}`);
		}
	});

	test('a feature that captures the keyboard gets keys first', async () => {
		const captured: string[] = [];
		const {app, store} = mount({extensions: {captureInput: input => {
			captured.push(input);
			return input === 'y';
		}}});
		seed(store);
		await waitForFrame(app, f => f.includes('sort: component'), 'the screen');
		app.stdin.write('y');
		app.stdin.write('s');
		await waitForFrame(app, f => f.includes('sort: restarts'), 's still sorts');
		assert.deepEqual(captured, ['y', 's']);
	});

	test('q and Ctrl-C quit', async () => {
		const {app, store, quits} = mount();
		seed(store);
		await waitForFrame(app, f => f.includes('sort: component'), 'the screen');
		app.stdin.write('q');
		app.stdin.write(keys.ctrlC);
		assert.equal(quits(), 2);
	});
});

describe('connection', () => {
	test('reconnecting for N s, with the last known pods kept, then live', async () => {
		const {app, store} = mount();
		seed(store);
		await waitForFrame(app, f => f.includes('● live'), 'live');
		clock = t0 + 10_000;
		store.feed({type: 'connection', state: {phase: 'reconnecting', since: t0 + 10_000, reason: 'connection refused'}});
		await waitForFrame(app, f => f.includes('↻ reconnecting for 0 s (connection refused)'), 'reconnecting');
		clock = t0 + 17_500;
		store.dispatch({type: 'tick', at: clock});
		const frame = await waitForFrame(app, f => f.includes('reconnecting for 7 s'), 'the time away counting');
		assert.ok(frame.includes('kube-dns-7df4cb66cb-wvhpz'), 'last known state kept');
		store.feed({type: 'connection', state: {phase: 'live'}});
		await waitForFrame(app, f => f.includes('● live'), 'live again');
	});
});

test('keys that arrive in one chunk are pressed one after the other: "/dns" then Enter', async () => {
	const {app, store} = mount();
	seed(store);
	await waitForFrame(app, f => f.includes('fluentd-gcp-v3.2.0-6gq6r'), 'the pods');
	app.stdin.write('/wvh\r');
	const frame = await waitForFrame(app, f => f.includes('filter "wvh": 1 pod (Esc clears)'), 'the filter typed and kept');
	assert.doesNotMatch(frame, /^ {3}fluentd-gcp-v3\.2\.0-6gq6r/m);
	app.stdin.write('jk');
	await waitForFrame(app, f => /^› kube-dns {2}Deployment/m.test(f), 'j then k: back on the first row');
	cleanup();
});
