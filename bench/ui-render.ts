// How fast the live screen follows the cluster, with `knockdown sim --nodes N` sized data
// (default 2000 nodes: ~4000 kube-system pods). The simulator runs in its own process, as a
// real API server would; this process is the UI exactly as `knockdown` builds it (informers →
// store → Ink at maxFps 60, the store publishing at most every 33 ms), rendering into an in-memory 160×50 terminal.
//
// Prints:
//   - first sync: start → the first frame that counts every pod;
//   - watch event → frame: a pod deleted through the API; the time from its watch event
//     arriving in the store to the first frame showing it Terminating (and from the DELETE
//     request), over many deletions;
//   - burst: every fluentd pod deleted at once by kubectl (thousands of watch events): publishes,
//     largest batch, longest gap between frames, and when the screen had caught up;
//   - cost of one publish + render at this size (pure: applyActions + selectors + React).
// Run: node --import tsx bench/ui-render.ts [nodes]
import {spawn} from 'node:child_process';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import {EventEmitter} from 'node:events';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import React from 'react';
import {render} from 'ink';
import {CoreV1Api} from '@kubernetes/client-node';
import {connectionFromString} from '../source/kube/connect.js';
import {watchPodSource} from '../source/kube/watch-pod-source.js';
import {App} from '../source/ui/app.js';
import {createScreenStore, type PublishInfo} from '../source/ui/screen-store.js';
import {systemClock} from '../source/time/clock.js';
import {makeTheme} from '../source/ui/theme.js';
import {applyActions, selectCounts, selectWindow} from '../source/model/screen.js';

const nodes = Number(process.argv[2] ?? 2000);
const root = fileURLToPath(new URL('..', import.meta.url));
const directory = mkdtempSync(path.join(tmpdir(), 'knockdown-ui-bench-'));
const kubeconfigPath = path.join(directory, 'kubeconfig.yaml');

// eslint-disable-next-line no-control-regex
const ansi = /\u001B\[[0-9;?]*[ -/]*[@-~]/g;

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

const summary = (values: number[]) =>
	`n=${values.length} median=${percentile(values, 50).toFixed(1)} p95=${percentile(values, 95).toFixed(1)} max=${Math.max(...values).toFixed(1)}`;

async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value !== undefined && value !== false) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise(resolve => setTimeout(resolve, 2));
	}
}

const sim = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'source/cli.tsx'), 'sim', '--nodes', String(nodes), '--write-kubeconfig', kubeconfigPath], {
	stdio: ['ignore', 'pipe', 'inherit'],
});
try {
	await new Promise<void>((resolve, reject) => {
		sim.stdout.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('sim listening on')) {
				resolve();
			}
		});
		sim.on('exit', code => reject(new Error(`knockdown sim exited with ${code}`)));
	});

	const connection = connectionFromString(readFileSync(kubeconfigPath, 'utf8'));
	const core = connection.kubeConfig.makeApiClient(CoreV1Api);

	// An in-memory terminal that remembers when each frame was written.
	const frames: Array<{at: number; text: string}> = [];
	const stdout = Object.assign(new EventEmitter(), {
		columns: 160,
		rows: 50,
		isTTY: false,
		write(chunk: string) {
			frames.push({at: performance.now(), text: chunk.replaceAll(ansi, '')});
			return true;
		},
	});
	const stdin = Object.assign(new EventEmitter(), {
		isTTY: true,
		setRawMode() {},
		setEncoding() {},
		resume() {},
		pause() {},
		ref() {},
		unref() {},
		read: () => null,
	});

	// Stamp when each pod's DELETE-driven watch event reaches the store.
	const arrivals = new Map<string, number>();
	const publishes: PublishInfo[] = [];
	const store = createScreenStore({clock: systemClock(), onPublish: info => publishes.push(info)});
	const source = watchPodSource(connection, 'kube-system');
	// How long the UI's event loop was blocked (keys and frames wait that long).
	let loopDelay = monitorEventLoopDelay({resolution: 10});
	loopDelay.enable();
	const startedAt = performance.now();
	source.start(update => {
		const deleting = (update.type === 'pod-upserted' && update.pod.metadata?.deletionTimestamp) || update.type === 'pod-deleted';
		const name = deleting ? update.pod.metadata?.name : undefined;
		if (name && !arrivals.has(name)) {
			arrivals.set(name, performance.now());
		}

		store.feed(update);
	});
	store.start();
	const ink = render(
		React.createElement(App, {
			store,
			info: {contextName: connection.contextName, server: connection.server, namespace: 'kube-system', readOnly: false},
			theme: makeTheme(true),
			onQuit() {},
		}),
		{stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, exitOnCtrlC: false, patchConsole: false, maxFps: 60},
	);

	const podCount = (await core.listNamespacedPod({namespace: 'kube-system'})).items.length;
	const firstFrame = await waitFor(() => frames.find(frame => frame.text.includes(`${podCount} pods`)), 'the first full frame');
	console.log(`nodes=${nodes} kube-system pods=${podCount} NODE_ENV=${process.env.NODE_ENV ?? '(unset: React development build)'}`);
	loopDelay.disable();
	console.log(`first sync: start → frame with every pod counted ${(firstFrame.at - startedAt).toFixed(0)} ms; event loop blocked at most ${(loopDelay.max / 1e6).toFixed(0)} ms (p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms)`);

	// Watch event → frame, one deletion at a time, the victim filtered onto the screen.
	const victims = (await core.listNamespacedPod({namespace: 'kube-system'})).items
		.map(pod => pod.metadata!.name!)
		.filter(name => name.startsWith('kube-proxy-'))
		.slice(0, 30);
	const eventToFrame: number[] = [];
	const requestToFrame: number[] = [];
	for (const victim of victims) {
		store.dispatch({type: 'filter-set', text: victim});
		await waitFor(() => frames.at(-1)?.text.includes(`filter "${victim}"`) ? true : undefined, 'the filter on screen');
		const sentAt = performance.now();
		const seen = frames.length;
		await core.deleteNamespacedPod({name: victim, namespace: 'kube-system'});
		const frame = await waitFor(
			() => frames.slice(seen).find(candidate => candidate.text.split('\n').some(line => line.includes(victim) && /Terminating|gone/.test(line))),
			`${victim} terminating on screen`,
		);
		const arrivedAt = arrivals.get(victim);
		if (arrivedAt !== undefined) {
			eventToFrame.push(frame.at - arrivedAt);
		}

		requestToFrame.push(frame.at - sentAt);
	}

	console.log(`watch event → frame (ms): ${summary(eventToFrame)}`);
	console.log(`DELETE request → frame (ms): ${summary(requestToFrame)}`);

	// A burst: every fluentd pod deleted at once.
	store.dispatch({type: 'filter-clear'});
	const fluentd = (await core.listNamespacedPod({namespace: 'kube-system'})).items
		.map(pod => pod.metadata!.name!)
		.filter(name => name.startsWith('fluentd-gcp-v'));
	const burstFrom = frames.length;
	const burstPublishFrom = publishes.length;
	loopDelay = monitorEventLoopDelay({resolution: 10});
	loopDelay.enable();
	const burstStarted = performance.now();
	// From another process (kubectl), so the deleting does not load the UI's event loop.
	const kubectlExit = await new Promise<number | null>(resolve => {
		const child = spawn('kubectl', ['delete', 'pods', '-n', 'kube-system', '-l', 'k8s-app=fluentd-gcp', '--wait=false'], {
			env: {...process.env, KUBECONFIG: kubeconfigPath, KUBECACHEDIR: path.join(directory, 'cache')},
			stdio: 'ignore',
		});
		child.on('exit', resolve);
	});
	if (kubectlExit !== 0) {
		console.log(`(kubectl delete exited with ${kubectlExit})`);
	}

	const requestsDone = performance.now();
	await waitFor(() => (fluentd.every(name => arrivals.has(name)) ? true : undefined), 'every deletion to arrive', 120_000);
	const allArrived = performance.now();
	// Caught up: a publish after the last arrival.
	await waitFor(() => (publishes.at(-1)!.publishedAt >= Date.now() - 1000 && store.getState().now >= Date.now() - 1000 ? true : undefined), 'a publish');
	await new Promise(resolve => setTimeout(resolve, 300));
	loopDelay.disable();
	const burstFrames = frames.slice(burstFrom).filter(frame => frame.at <= allArrived + 300);
	const gaps = burstFrames.slice(1).map((frame, index) => frame.at - burstFrames[index]!.at);
	const burstPublishes = publishes.slice(burstPublishFrom);
	console.log(
		`burst: ${fluentd.length} pods deleted by kubectl; kubectl done in ${(requestsDone - burstStarted).toFixed(0)} ms, watch events in ${(allArrived - burstStarted).toFixed(0)} ms; `
		+ `${burstPublishes.length} publishes, largest batch ${Math.max(...burstPublishes.map(p => p.actions))} actions; `
		+ `${burstFrames.length} frames, longest gap between frames ${gaps.length > 0 ? Math.max(...gaps).toFixed(0) : '-'} ms; `
		+ `event loop blocked at most ${(loopDelay.max / 1e6).toFixed(0)} ms (p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms)`,
	);

	// The pure cost of one publish + selectors at this size (no React, no I/O).
	const state = store.getState();
	const pod = [...state.pods.values()].find(entry => entry.goneAt === undefined)!.pod;
	const costs: number[] = [];
	for (let index = 0; index < 50; index++) {
		const started = performance.now();
		// A new object for the same pod, as a watch MODIFIED event brings.
		const next = applyActions(state, [{type: 'pod-upserted', pod: {...pod, status: {...pod.status}}, at: Date.now()}]);
		selectCounts(next);
		selectWindow(next);
		costs.push(performance.now() - started);
	}

	console.log(`one watch event folded + rows regrouped + window, ${state.pods.size} pods (ms): ${summary(costs)}`);

	ink.unmount();
	store.stop();
	await source.stop();
	const memoryMb = process.memoryUsage().rss / 1024 / 1024;
	console.log(`ui process rss ${memoryMb.toFixed(0)} MB`);
} finally {
	sim.kill('SIGTERM');
	rmSync(directory, {recursive: true, force: true});
}

process.exit(0);
