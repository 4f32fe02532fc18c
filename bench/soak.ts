// A soak with churn: the live screen (`knockdown`, its own process in a tmux terminal, as a
// person runs it) watching a simulated cluster (its own process, speed 4) while a bounded loop
// deletes one kube-system pod at a time — the next only after the previous one's replacement
// has come (or 30 s passed) — for the given time. Samples the screen process's RSS and CPU
// every 10 s and prints them at the start and the end, the largest RSS, and the RSS trend of
// the second half (MB per hour). RSS also holds garbage V8 has not collected yet, so the
// screen process runs with the inspector on a loopback port, and every 2 minutes a full
// collection is asked for and the heap still in use read: that is what must stay flat.
// Then it checks the screen is still live and counting the 14 pods of the talk.
// Run: npm run soak -- [minutes]   (default 60; `npm run bench` leaves it out unless named: npm run bench soak)
import {execFileSync, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {createServer} from 'node:net';
import {CoreV1Api, KubeConfig} from '@kubernetes/client-node';
import WebSocket from 'ws';

const minutes = Number(process.argv[2] ?? 60);
if (!(minutes > 0)) {
	console.error('soak: minutes must be a positive number');
	process.exit(2);
}

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'source', 'cli.tsx');
const directory = mkdtempSync(path.join(tmpdir(), 'knockdown-soak-'));
const kubeconfigPath = path.join(directory, 'kubeconfig.yaml');
const session = `knockdown-soak-${process.pid}`;
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

type Sample = {atMs: number; rssMb: number; cpuSeconds: number};

function sample(pid: number): Sample {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
	// Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const cpuTicks = Number(fields[11]) + Number(fields[12]);
	return {atMs: Date.now(), rssMb: rssKb / 1024, cpuSeconds: cpuTicks / ticksPerSecond};
}

/** CPU use between two samples, in % of one core. */
const cpuPercent = (from: Sample, to: Sample) => ((to.cpuSeconds - from.cpuSeconds) / ((to.atMs - from.atMs) / 1000)) * 100;

/** Least-squares slope of MB over time, in MB per hour, over the second half of the points. */
function trendOfSecondHalf(points: Array<{atMs: number; mb: number}>): number {
	const middle = points[0].atMs + (points.at(-1)!.atMs - points[0].atMs) / 2;
	const half = points.filter(point => point.atMs >= middle);
	const xs = half.map(point => point.atMs / 3_600_000);
	const meanX = xs.reduce((a, b) => a + b, 0) / half.length;
	const meanY = half.reduce((a, point) => a + point.mb, 0) / half.length;
	let covariance = 0;
	let variance = 0;
	for (const [index, point] of half.entries()) {
		covariance += (xs[index] - meanX) * (point.mb - meanY);
		variance += (xs[index] - meanX) ** 2;
	}

	return variance === 0 ? 0 : covariance / variance;
}

async function freePort(): Promise<number> {
	return new Promise(resolve => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			server.close(() => resolve(port));
		});
	});
}

/** Through the inspector: collect garbage, then the heap still in use (MB). */
async function heapAfterGc(inspectPort: number): Promise<number> {
	const targets = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json() as Array<{webSocketDebuggerUrl: string}>;
	const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
	await new Promise((resolve, reject) => {
		socket.once('open', resolve);
		socket.once('error', reject);
	});
	let nextId = 0;
	const call = async (method: string, params: Record<string, unknown> = {}) => new Promise<any>(resolve => {
		const id = ++nextId;
		const onMessage = (data: WebSocket.RawData) => {
			const message = JSON.parse(String(data)) as {id?: number; result?: unknown};
			if (message.id === id) {
				socket.off('message', onMessage);
				resolve(message.result);
			}
		};

		socket.on('message', onMessage);
		socket.send(JSON.stringify({id, method, params}));
	});
	await call('HeapProfiler.collectGarbage');
	await call('HeapProfiler.collectGarbage');
	const result = await call('Runtime.evaluate', {expression: 'process.memoryUsage().heapUsed', returnByValue: true}) as {result: {value: number}};
	socket.close();
	return result.result.value / 1024 / 1024;
}

const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session]).toString();

async function waitFor(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise(resolve => setTimeout(resolve, 200));
	}
}

const sim = spawn(process.execPath, ['--import', 'tsx', cli, 'sim', '--port', '0', '--speed', '4', '--write-kubeconfig', kubeconfigPath], {cwd: root, stdio: ['ignore', 'pipe', 'inherit']});
try {
	await new Promise<void>((resolve, reject) => {
		sim.stdout.on('data', chunk => {
			if (String(chunk).includes('sim listening on')) {
				resolve();
			}
		});
		sim.on('exit', code => reject(new Error(`the simulator exited with ${code}`)));
	});
	const inspectPort = await freePort();
	execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '160', '-y', '50', `exec ${process.execPath} --inspect=127.0.0.1:${inspectPort} --import tsx ${cli} --kubeconfig ${kubeconfigPath} 2>>${path.join(directory, 'screen-stderr.log')}`], {cwd: root});
	const tuiPid = Number(execFileSync('tmux', ['display-message', '-p', '-t', session, '#{pane_pid}']).toString().trim());
	await waitFor(() => /14 pods · 9 components · ● live/.test(screen()), 'the screen live with 14 pods');
	// Let start-up work (first lists, module loading, JIT) settle before the first sample.
	await new Promise(resolve => setTimeout(resolve, 20_000));

	const config = new KubeConfig();
	config.loadFromFile(kubeconfigPath);
	const core = config.makeApiClient(CoreV1Api);
	// The inspector's "Debugger attached" goes to stderr: into a file, not over the screen.
	const heaps = [{atMs: Date.now(), mb: await heapAfterGc(inspectPort)}];
	const samples: Sample[] = [sample(tuiPid)];
	const simStart = sample(sim.pid!);
	const endAt = Date.now() + minutes * 60_000;
	let deletes = 0;
	let lastSampleAt = Date.now();
	while (Date.now() < endAt) {
		const pods = (await core.listNamespacedPod({namespace: 'kube-system'})).items.filter(pod => !pod.metadata?.deletionTimestamp);
		const victim = pods[deletes % pods.length];
		await core.deleteNamespacedPod({namespace: 'kube-system', name: victim.metadata!.name!});
		deletes++;
		// Bounded: the next delete waits for the namespace to be whole again (14 pods Ready), or 30 s.
		const deadline = Date.now() + 30_000;
		for (;;) {
			await new Promise(resolve => setTimeout(resolve, 500));
			const now = (await core.listNamespacedPod({namespace: 'kube-system'})).items;
			const ready = now.filter(pod => !pod.metadata?.deletionTimestamp && pod.status?.conditions?.some(condition => condition.type === 'Ready' && condition.status === 'True'));
			if ((ready.length >= 14 && now.length === 14) || Date.now() > deadline) {
				break;
			}
		}

		if (Date.now() - lastSampleAt >= 10_000) {
			samples.push(sample(tuiPid));
			lastSampleAt = Date.now();
		}

		if (Date.now() - heaps.at(-1)!.atMs >= 120_000) {
			heaps.push({atMs: Date.now(), mb: await heapAfterGc(inspectPort)});
		}
	}

	samples.push(sample(tuiPid));
	heaps.push({atMs: Date.now(), mb: await heapAfterGc(inspectPort)});
	const simEnd = sample(sim.pid!);
	const first = samples[0];
	const last = samples.at(-1)!;
	const minuteIn = samples.find(s => s.atMs - first.atMs >= 60_000) ?? last;
	const minuteBeforeEnd = [...samples].reverse().find(s => last.atMs - s.atMs >= 60_000) ?? first;
	const live = /14 pods · 9 components · ● live/.test(screen());
	console.log(
		`soak minutes=${minutes} deletes=${deletes} samples=${samples.length}\n`
		+ `  screen process heap_in_use_after_gc_mb start=${heaps[0].mb.toFixed(1)} end=${heaps.at(-1)!.mb.toFixed(1)} `
		+ `every_2_min=[${heaps.map(heap => heap.mb.toFixed(1)).join(' ')}] trend_second_half_mb_per_h=${trendOfSecondHalf(heaps).toFixed(1)}\n`
		+ `  screen process rss_mb start=${first.rssMb.toFixed(1)} end=${last.rssMb.toFixed(1)} max=${Math.max(...samples.map(s => s.rssMb)).toFixed(1)} `
		+ `trend_second_half_mb_per_h=${trendOfSecondHalf(samples.map(s => ({atMs: s.atMs, mb: s.rssMb}))).toFixed(1)}\n`
		+ `  screen process cpu_pct first_minute=${cpuPercent(first, minuteIn).toFixed(1)} last_minute=${cpuPercent(minuteBeforeEnd, last).toFixed(1)} whole_run=${cpuPercent(first, last).toFixed(1)}\n`
		+ `  simulator rss_mb start=${simStart.rssMb.toFixed(1)} end=${simEnd.rssMb.toFixed(1)} cpu_pct=${cpuPercent(simStart, simEnd).toFixed(1)}\n`
		+ `  screen at the end: ${live ? 'live, 14 pods' : 'NOT live with 14 pods'}`,
	);
	if (!live) {
		console.log(screen());
		process.exitCode = 1;
	}
} finally {
	try {
		execFileSync('tmux', ['kill-session', '-t', session], {stdio: 'ignore'});
	} catch {}

	sim.kill('SIGTERM');
	rmSync(directory, {recursive: true, force: true});
}
