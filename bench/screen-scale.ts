// The live screen at cluster size, each part in its own process as a person runs them:
// `knockdown sim --nodes N` (default 10,000: ~20,600 kube-system pods) and `knockdown sim`
// (14 pods), the TUI on a 160×50 pseudo-terminal, and the real kubectl beside it.
//
// Measures, against the targets of issue 9:
//   - first full screen (process start → the header counts every pod) vs
//     `kubectl get pods -n kube-system --chunk-size=0` and the default (paged) get;
//   - RSS and CPU while nothing changes (default 500 ms probes, and --probe-interval 60s),
//     frames Ink wrote per minute, at N nodes and at 14 pods;
//   - watch event → on screen under churn: pods of the DaemonSets deleted steadily (their
//     controllers recreate them) while, twice a second, a pod in view is deleted and the time
//     from its watch event to its row showing Terminating is taken;
//   - the longest event-loop block in the TUI while its modules load (start → first frame),
//     during the first list (first frame → full screen) and during churn.
//
// Run: node --import tsx bench/screen-scale.ts [--nodes 10000] [--samples 3]
//        [--idle-seconds 60] [--churn-seconds 30] [--deletes-per-second 40] [--tsx] [--no-small]
//        [--app DIR]
// (--idle-seconds 600 for the "flat over 10 minutes" check; --app measures the knockdown
// checked out in DIR, e.g. an older commit's `git archive` with this node_modules linked.)
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {deletePod, watchPods, type SimApi} from './lib/churn.js';
import {buildEntry, cpuMs, loopBlockMaxMs, rssMb, startSim, startTui, timeKubectl, type Entry, type TuiProcess} from './lib/processes.js';
import {printTable, saveResults, type ResultRow} from './lib/results.js';

const {values: options} = parseArgs({
	options: {
		nodes: {type: 'string', default: '10000'},
		samples: {type: 'string', default: '3'},
		'idle-seconds': {type: 'string', default: '60'},
		'churn-seconds': {type: 'string', default: '30'},
		'deletes-per-second': {type: 'string', default: '40'},
		tsx: {type: 'boolean', default: false},
		'no-small': {type: 'boolean', default: false},
		app: {type: 'string'},
	},
});
const nodes = Number(options.nodes);
const samples = Math.max(1, Number(options.samples));
const idleSeconds = Number(options['idle-seconds']);
const churnSeconds = Number(options['churn-seconds']);
const deletesPerSecond = Number(options['deletes-per-second']);
// After the first list the heap is shrunk by a few garbage collections on V8's helper threads
// (20–30 s at 20,000 pods); measured from 10 s, a 30 s idle window read 2.9 % where the same
// screen uses 1.3 % once they are done. Idle is measured after them, over a minute.
const settleMs = 30_000;

const directory = mkdtempSync(path.join(tmpdir(), 'knockdown-scale-bench-'));
const sleep = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const log = (line: string) => process.stderr.write(`  ${line}\n`);

type LoopBlock = {blockMs: number; cpuMs: number} | undefined;
/** The loop blocks before the first frame (loading modules) and after it (the first list). */
type FirstScreen = {ms: number; loadingBlock: LoopBlock; loopBlock: LoopBlock};

/** Undefined when the screen never counted every pod (within 3 minutes). */
async function firstScreen(tui: TuiProcess, pods: number): Promise<FirstScreen | undefined> {
	try {
		const at = await tui.waitForText(new RegExp(`· ${pods} pods ·`), tui.startedAt, 180_000);
		const firstFrameAt = tui.firstFrameAt() ?? tui.startedAt;
		return {
			ms: at - tui.startedAt,
			loadingBlock: loopBlockMaxMs(tui.loopFile, tui.startedAt, firstFrameAt),
			loopBlock: loopBlockMaxMs(tui.loopFile, firstFrameAt, at),
		};
	} catch {
		return undefined;
	}
}

type Idle = {cpuPercent: number; framesPerMinute: number; kilobytesPerMinute: number; rssMinMb: number; rssMaxMb: number; rssLastMb: number};

async function measureIdle(tui: TuiProcess, seconds: number): Promise<Idle | undefined> {
	await sleep(settleMs);
	const pid = tui.pid();
	const cpuStart = pid === undefined ? undefined : cpuMs(pid);
	if (pid === undefined || cpuStart === undefined) {
		return undefined;
	}

	const framesStart = tui.frames();
	const bytesStart = tui.bytes();
	const started = Date.now();
	const rss: number[] = [];
	while (Date.now() - started < seconds * 1000) {
		await sleep(1000);
		const sample = rssMb(pid);
		if (sample !== undefined) {
			rss.push(sample);
		}
	}

	const elapsed = Date.now() - started;
	return {
		cpuPercent: (100 * (cpuMs(pid)! - cpuStart)) / elapsed,
		framesPerMinute: ((tui.frames() - framesStart) * 60_000) / elapsed,
		kilobytesPerMinute: ((tui.bytes() - bytesStart) * 60) / elapsed,
		rssMinMb: Math.min(...rss),
		rssMaxMb: Math.max(...rss),
		rssLastMb: rss.at(-1)!,
	};
}

type Churn = {eventsPerSecond: number; deletes: number; latencies: number[]; missed: number; loopBlock: LoopBlock; rssMaxMb: number | undefined};

async function measureChurn(tui: TuiProcess, api: SimApi, seconds: number): Promise<Churn> {
	await sleep(settleMs);
	const watch = await watchPods(api);
	const isChurnable = (name: string) => /^(fluentd-gcp-v|kube-proxy-)/.test(name);
	const started = Date.now();
	const eventsAtStart = watch.events();
	let deletes = 0;
	let missed = 0;
	const latencies: number[] = [];
	const waits: Array<Promise<void>> = [];
	const pid = tui.pid();
	let rssMax: number | undefined;
	// Background: random DaemonSet pods, at the asked rate, at most 8 requests in flight (a
	// simulator that cannot keep up slows the churn down rather than queueing timeouts).
	let inFlight = 0;
	const background = setInterval(() => {
		const names = [...watch.pods.values()].filter(pod => !pod.terminating && isChurnable(pod.name));
		for (let index = 0; index < deletesPerSecond / 10 && inFlight < 8; index++) {
			const pod = names[Math.floor(Math.random() * names.length)];
			if (pod) {
				pod.terminating = true;
				deletes++;
				inFlight++;
				void deletePod(api, pod.name).finally(() => inFlight--);
			}
		}
	}, 100);
	// In view: the first fluentd pod by name (the table sorts by component, then name; fluentd is
	// the third component), deleted with a 1 s grace so that rows do not pile up.
	while (Date.now() - started < seconds * 1000) {
		await sleep(500);
		if (pid !== undefined) {
			rssMax = Math.max(rssMax ?? 0, rssMb(pid) ?? 0);
		}

		const target = [...watch.pods.values()]
			.filter(pod => !pod.terminating && pod.name.startsWith('fluentd-gcp-v'))
			.sort((a, b) => (a.name < b.name ? -1 : 1))[0];
		if (!target) {
			continue;
		}

		target.terminating = true;
		const sentAt = Date.now();
		const escaped = target.name.replaceAll('.', '\\.');
		const shown = tui.waitForText(new RegExp(`${escaped}\\s+\\d+/\\d+\\s+Terminat`), sentAt, 10_000);
		void deletePod(api, target.name, 1);
		waits.push(shown.then(
			at => {
				latencies.push(at - (watch.terminatingSeenAt.get(target.name) ?? sentAt));
			},
			() => {
				missed++;
			},
		));
	}

	clearInterval(background);
	const ended = Date.now();
	const events = watch.events() - eventsAtStart;
	await Promise.all(waits);
	watch.stop();
	return {
		eventsPerSecond: (events * 1000) / (ended - started),
		deletes,
		latencies,
		missed,
		loopBlock: loopBlockMaxMs(tui.loopFile, started, ended),
		rssMaxMb: rssMax,
	};
}

function tokenOf(kubeconfigPath: string): string {
	return /token:\s*(\S+)/.exec(readFileSync(kubeconfigPath, 'utf8'))?.[1] ?? '';
}

async function sizeRun(entry: Entry, simNodes: number, label: string, withKubectl: boolean, withChurn: boolean) {
	log(`${label}: starting knockdown sim --nodes ${simNodes}`);
	const sim = await startSim(entry, simNodes, directory);
	try {
		const api: SimApi = {url: sim.url, token: tokenOf(sim.kubeconfigPath), namespace: 'kube-system'};
		const kubectlChunk0: number[] = [];
		const kubectlPaged: number[] = [];
		let pods = 0;
		for (let sample = 0; sample < (withKubectl ? samples : 1); sample++) {
			const run = await timeKubectl(['get', 'pods', '-n', 'kube-system', '--chunk-size=0'], sim.kubeconfigPath);
			kubectlChunk0.push(run.ms);
			pods = run.lines - 1;
		}

		for (let sample = 0; withKubectl && sample < Math.min(2, samples); sample++) {
			kubectlPaged.push((await timeKubectl(['get', 'pods', '-n', 'kube-system'], sim.kubeconfigPath)).ms);
		}

		log(`${label}: ${pods} pods; kubectl --chunk-size=0 ${kubectlChunk0.map(ms => ms.toFixed(0)).join(', ')} ms; paged ${kubectlPaged.map(ms => ms.toFixed(0)).join(', ')} ms`);

		const screens: FirstScreen[] = [];
		const idle: Record<string, Idle | undefined> = {};
		let churn: Churn | undefined;
		const runs: Array<{flags: string[]; then: 'idle-default' | 'idle-probes-off' | 'churn' | 'none'}> = [
			{flags: [], then: 'idle-default'},
			{flags: ['--probe-interval', '60s'], then: 'idle-probes-off'},
		];
		while (withKubectl && runs.length + (withChurn ? 1 : 0) < samples) {
			runs.push({flags: [], then: 'none'});
		}

		// Last: churn changes the pods the next screen would count.
		if (withChurn) {
			runs.push({flags: [], then: 'churn'});
		}

		for (const [index, run] of runs.entries()) {
			const tui = startTui(entry, sim.kubeconfigPath, run.flags, directory, `${simNodes}-${index}`);
			try {
				const screen = await firstScreen(tui, pods);
				if (!screen) {
					log(`${label}: the screen never counted ${pods} pods; skipping its ${run.then}`);
					continue;
				}

				screens.push(screen);
				log(`${label}: first full screen ${screen.ms} ms (loop block max ${screen.loadingBlock?.blockMs ?? '?'} ms loading, ${screen.loopBlock?.blockMs ?? '?'} ms in the list with ${screen.loopBlock?.cpuMs ?? '?'} ms CPU); then ${run.then}`);
				if (run.then === 'churn') {
					churn = await measureChurn(tui, api, churnSeconds);
					log(`${label}: churn ${churn.eventsPerSecond.toFixed(0)} events/s, ${churn.latencies.length} in-view deletes, p99 ${churn.latencies.length > 0 ? percentile(churn.latencies, 99) : '?'} ms`);
				} else if (run.then !== 'none') {
					idle[run.then] = await measureIdle(tui, idleSeconds);
					log(`${label}: ${run.then} ${JSON.stringify(idle[run.then])}`);
				}
			} finally {
				await tui.stop();
			}
		}

		return {pods, kubectlChunk0, kubectlPaged, screens, idle, churn};
	} finally {
		sim.stop();
	}
}

const entry = buildEntry(options.tsx, options.app && path.resolve(options.app));
try {
	const big = await sizeRun(entry, nodes, `${nodes} nodes`, true, churnSeconds > 0);
	const small = options['no-small'] ? undefined : await sizeRun(entry, 3, 'sim (3 nodes)', false, false);

	const rows: ResultRow[] = [];
	const loopRow = (metric: string, blocks: LoopBlock[]): ResultRow => {
		const worst = blocks.reduce<LoopBlock>((max, block) => (block && block.blockMs > (max?.blockMs ?? -1) ? block : max), undefined);
		return {
			metric,
			value: worst?.blockMs,
			unit: 'ms',
			target: '≤ 50',
			ok: worst === undefined ? undefined : worst.blockMs <= 50,
			note: worst ? `${worst.cpuMs} ms of CPU used in the 250 ms probe interval that saw it` : 'no loop probe data',
		};
	};

	const bigPods = big.pods.toLocaleString('en');
	const chunk0 = median(big.kubectlChunk0);
	const screenMs = big.screens.length > 0 ? median(big.screens.map(screen => screen.ms)) : Number.POSITIVE_INFINITY;
	rows.push(
		{metric: `kubectl get pods --chunk-size=0, ${bigPods} pods`, value: chunk0, unit: 'ms', note: `median of ${big.kubectlChunk0.length}`},
		{metric: 'kubectl get pods (default paging)', value: big.kubectlPaged.length > 0 ? median(big.kubectlPaged) : undefined, unit: 'ms', note: `median of ${big.kubectlPaged.length}`},
		{
			metric: `first full screen, ${bigPods} pods`,
			value: screenMs,
			unit: 'ms',
			target: `≤ ${(1.2 * chunk0).toFixed(0)} (1.2× chunk-size=0)`,
			ok: screenMs <= 1.2 * chunk0 && (big.kubectlPaged.length === 0 || screenMs < median(big.kubectlPaged)),
			note: `median of ${big.screens.length}: ${big.screens.map(screen => screen.ms).join(', ')}`,
		},
		loopRow('event-loop block max, start → first frame (loading modules)', big.screens.map(screen => screen.loadingBlock)),
		loopRow('event-loop block max, first frame → full screen (the first list)', big.screens.map(screen => screen.loopBlock)),
	);
	const idleRows = (pods: string, idle: Record<string, Idle | undefined>, rssTarget: number) => {
		for (const [key, label, cpuTarget] of [['idle-probes-off', '--probe-interval 60s', 1], ['idle-default', 'default probes', 3]] as const) {
			const sample = idle[key];
			rows.push(
				{metric: `CPU idle, ${pods} pods, ${label}`, value: sample?.cpuPercent, unit: '%', target: `≤ ${cpuTarget}`, ok: sample ? sample.cpuPercent <= cpuTarget : undefined, note: `${idleSeconds} s window`},
				{metric: `frames written idle, ${pods} pods, ${label}`, value: sample?.framesPerMinute, unit: '/min', note: sample ? `${sample.kilobytesPerMinute.toFixed(0)} kB/min to the terminal` : undefined},
				{
					metric: `RSS idle, ${pods} pods, ${label}`,
					value: sample?.rssLastMb,
					unit: 'MB',
					target: `≤ ${rssTarget}`,
					ok: sample ? sample.rssMaxMb <= rssTarget : undefined,
					note: sample ? `min ${sample.rssMinMb.toFixed(0)}, max ${sample.rssMaxMb.toFixed(0)} over ${idleSeconds} s` : undefined,
				},
			);
		}
	};

	idleRows(bigPods, big.idle, 200);
	if (big.churn) {
		const {churn} = big;
		const p99 = churn.latencies.length > 0 ? percentile(churn.latencies, 99) : undefined;
		rows.push(
			{metric: 'churn: watch events/s (our own watch)', value: churn.eventsPerSecond, unit: '/s', target: '≈ 200', note: `${churn.deletes} background deletes in ${churnSeconds} s`},
			{
				metric: 'watch event → on screen, in-view pod, p99',
				value: p99,
				unit: 'ms',
				target: '≤ 50',
				ok: p99 === undefined ? undefined : p99 <= 50 && churn.missed === 0,
				note: `n=${churn.latencies.length}, median ${churn.latencies.length > 0 ? percentile(churn.latencies, 50) : '?'}, max ${churn.latencies.length > 0 ? Math.max(...churn.latencies) : '?'}, never shown ${churn.missed}`,
			},
			loopRow('event-loop block max during churn', [churn.loopBlock]),
			{metric: 'RSS max during churn', value: churn.rssMaxMb, unit: 'MB', target: '≤ 200', ok: churn.rssMaxMb === undefined ? undefined : churn.rssMaxMb <= 200},
		);
	}

	if (small) {
		idleRows(String(small.pods), small.idle, 150);
	}

	printTable(`screen at scale (${entry.label}, 160×50, ${new Date().toISOString()})`, rows);
	saveResults('screen-scale', {entry: entry.label, nodes, samples, idleSeconds, churnSeconds, deletesPerSecond, rows, raw: {big, small}});
} finally {
	rmSync(directory, {recursive: true, force: true});
}
