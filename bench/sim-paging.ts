// How the simulator pages a big list: `knockdown sim --nodes N` in its own process (as a real
// API server would be), then, side by side, kubectl's default paged get of kube-system (500
// pods a request) and its `--chunk-size=0` get (one request), alternating, several times.
// kubectl itself waits between requests (client-go's client-side rate limit: 5 requests a
// second after a burst of 10, "Waited for … due to client-side throttling" at -v=3); a -v=6 run
// shows how much of the paged get that wait is, and what each page cost the server. Then the
// server's cost of one page at the start, middle and end of the list, against the whole list,
// and of pages while pods are deleted between them.
// Prints numbers. Run: node --import tsx bench/sim-paging.ts [nodes] [rounds]   (default 10000 3)
import {execFile, spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const nodes = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 3);
const root = fileURLToPath(new URL('..', import.meta.url));
const directory = mkdtempSync(path.join(tmpdir(), 'knockdown-paging-bench-'));
const kubeconfigPath = path.join(directory, 'kubeconfig.yaml');
const env = {...process.env, KUBECONFIG: kubeconfigPath, KUBECACHEDIR: path.join(directory, 'cache'), HOME: directory};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function kubectl(args: string[]): Promise<{ms: number; rows: number; stderr: string; code: number}> {
	const started = performance.now();
	return new Promise(resolve => {
		execFile('kubectl', args, {env, maxBuffer: 1024 * 1024 * 1024}, (error, stdout, stderr) => {
			resolve({ms: performance.now() - started, rows: stdout.split('\n').filter(Boolean).length - 1, stderr, code: error ? 1 : 0});
		});
	});
}

const simulator = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'source/cli.tsx'), 'sim', '--nodes', String(nodes), '--port', '0', '--write-kubeconfig', kubeconfigPath], {
	cwd: root,
	stdio: ['ignore', 'pipe', 'inherit'],
});

try {
	const startedAt = performance.now();
	const url = await new Promise<string>((resolve, reject) => {
		let output = '';
		simulator.stdout.setEncoding('utf8');
		simulator.stdout.on('data', (chunk: string) => {
			output += chunk;
			const match = /listening on (\S+)/.exec(output);
			if (match) {
				resolve(match[1]);
			}
		});
		simulator.on('exit', code => reject(new Error(`knockdown sim exited (${code}) before listening`)));
	});
	const startupMs = performance.now() - startedAt;

	// Discovery fills kubectl's cache once, outside the timed runs.
	const warm = await kubectl(['get', 'pods', '-n', 'kube-system', '--chunk-size=0']);
	const paged: number[] = [];
	const whole: number[] = [];
	for (let round = 0; round < rounds; round++) {
		const a = await kubectl(['get', 'pods', '-n', 'kube-system']);
		const b = await kubectl(['get', 'pods', '-n', 'kube-system', '--chunk-size=0']);
		if (a.code !== 0 || b.code !== 0 || a.rows !== warm.rows || b.rows !== warm.rows) {
			throw new Error(`kubectl failed or printed another number of pods: paged ${a.rows} (exit ${a.code}), whole ${b.rows} (exit ${b.code}), expected ${warm.rows}\n${a.stderr}${b.stderr}`);
		}

		paged.push(a.ms);
		whole.push(b.ms);
	}

	// One paged get at -v=6: its requests, the server's time for each, and kubectl's own waits.
	const traced = await kubectl(['get', 'pods', '-n', 'kube-system', '-v=6']);
	const requests = [...traced.stderr.matchAll(/pods\?(?:\S*)limit=500 200 OK in (\d+) milliseconds/g)].map(match => Number(match[1]));
	const throttledMs = [...traced.stderr.matchAll(/Waited for ([\d.]+)(ms|s) due to client-side throttling/g)].reduce((sum, match) => sum + Number(match[1]) * (match[2] === 's' ? 1000 : 1), 0);

	// The server alone: one 500-row Table page at the start, middle and end of kube-system, and the whole list.
	const accept = {accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'};
	const timed = async (query: string) => {
		const started = performance.now();
		const response = await fetch(`${url}/api/v1/namespaces/kube-system/pods?${query}`, {headers: accept});
		const body = (await response.json()) as {rows: unknown[]; metadata: {continue?: string}};
		return {ms: performance.now() - started, body};
	};

	const pageMs: number[] = [];
	let token: string | undefined;
	let page = 0;
	const pageCount = Math.ceil(warm.rows / 500);
	const sampled = new Set([0, Math.floor(pageCount / 2), pageCount - 1]);
	do {
		const {ms, body} = await timed(`limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
		if (sampled.has(page)) {
			pageMs.push(ms);
		}

		token = body.metadata.continue;
		page++;
	} while (token);
	const wholeListMs = (await timed('')).ms;

	// The same walk while the cluster changes: before each page, one fluentd pod not yet listed
	// (the last ones in key order) is deleted, and its DaemonSet makes another; the pages must
	// still add up to the first page's snapshot.
	const rowName = (row: unknown) => (row as {object: {metadata: {name: string}}}).object.metadata.name;
	const snapshotNames = (await timed('')).body.rows.map(row => rowName(row));
	const churnMs: number[] = [];
	const churnNames: string[] = [];
	token = undefined;
	const victims = snapshotNames.filter(name => name.startsWith('fluentd-gcp-v3')).reverse();
	do {
		if (token) {
			const victim = victims.shift()!;
			await fetch(`${url}/api/v1/namespaces/kube-system/pods/${victim}?gracePeriodSeconds=0`, {method: 'DELETE'});
		}

		const {ms, body} = await timed(`limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
		churnMs.push(ms);
		churnNames.push(...body.rows.map(row => rowName(row)));
		token = body.metadata.continue;
	} while (token);
	const consistent = churnNames.length === snapshotNames.length && churnNames.every((name, index) => name === snapshotNames[index]);

	const pagedMedian = median(paged);
	const wholeMedian = median(whole);
	console.log(`nodes=${nodes} kube-system pods=${warm.rows} sim_startup_ms=${startupMs.toFixed(0)} rounds=${rounds}`);
	console.log(`kubectl_get_pods_kube_system_ms paged(default, 500/request) median=${pagedMedian.toFixed(0)} [${paged.map(ms => ms.toFixed(0)).join(' ')}]  chunk_size_0 median=${wholeMedian.toFixed(0)} [${whole.map(ms => ms.toFixed(0)).join(' ')}]  ratio=${(pagedMedian / wholeMedian).toFixed(2)}x`);
	console.log(`paged get at -v=6: ${traced.ms.toFixed(0)} ms, ${requests.length} requests, server ${requests.reduce((a, b) => a + b, 0)} ms in all (max ${Math.max(...requests)} ms a request), kubectl's client-side throttling waits ${throttledMs.toFixed(0)} ms; without those waits ${(traced.ms - throttledMs).toFixed(0)} ms = ${((traced.ms - throttledMs) / wholeMedian).toFixed(2)}x chunk_size_0`);
	console.log(`server, one 500-row Table page (first, middle, last): ${pageMs.map(ms => ms.toFixed(1)).join(' ')} ms; the whole ${warm.rows}-row list: ${wholeListMs.toFixed(0)} ms`);
	console.log(`server, 500-row pages with a pod deleted before each: median ${median(churnMs).toFixed(1)} ms, max ${Math.max(...churnMs).toFixed(1)} ms; pages ${consistent ? 'equal' : 'DIFFER FROM'} the snapshot of the first (${churnNames.length} rows)`);
} finally {
	simulator.kill();
	rmSync(directory, {recursive: true, force: true});
}
