// How the simulated cluster copes with size: start it with N nodes (DaemonSet and static
// pods scale with them: tens of thousands of pods in kube-system at 5000 nodes), then time
// `kubectl get pods -n kube-system` and a client-node list of the same. Prints numbers.
// Run: node --import tsx bench/sim-nodes.ts [nodes…]   (default: 2000 5000)
import {execFile} from 'node:child_process';
import {request} from 'node:http';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {CoreV1Api, KubeConfig} from '@kubernetes/client-node';
import {startSim} from '../source/sim/index.js';

function kubectl(args: string[], env: NodeJS.ProcessEnv): Promise<{ms: number; lines: number; code: number}> {
	const started = performance.now();
	return new Promise(resolve => {
		execFile('kubectl', args, {env, maxBuffer: 1024 * 1024 * 1024}, (error, stdout) => {
			resolve({ms: performance.now() - started, lines: stdout.split('\n').filter(Boolean).length, code: error ? 1 : 0});
		});
	});
}

/** A watch of every pod from resourceVersion 0: how long until all the synthetic ADDED events are in. */
function watchAll(url: string, expected: number): Promise<number> {
	const started = performance.now();
	return new Promise((resolve, reject) => {
		const watch = request(`${url}/api/v1/pods?watch=true&resourceVersion=0`, response => {
			let lines = 0;
			response.on('data', (chunk: Buffer) => {
				for (const byte of chunk) {
					if (byte === 10) {
						lines++;
					}
				}

				if (lines >= expected) {
					resolve(performance.now() - started);
					watch.destroy();
				}
			});
		});
		watch.on('error', error => {
			if (!(error as NodeJS.ErrnoException).code?.includes('RESET')) {
				reject(error);
			}
		});
		watch.end();
	});
}

const sizes = process.argv.slice(2).map(Number).filter(size => size > 0);
for (const nodes of sizes.length > 0 ? sizes : [2000, 5000]) {
	const startedAt = performance.now();
	const sim = await startSim({nodes, port: 0});
	const startupMs = performance.now() - startedAt;
	const directory = mkdtempSync(path.join(tmpdir(), 'knockdown-bench-'));
	const kubeconfigPath = path.join(directory, 'kubeconfig.yaml');
	writeFileSync(kubeconfigPath, sim.kubeconfig);
	const env = {...process.env, KUBECONFIG: kubeconfigPath, KUBECACHEDIR: path.join(directory, 'cache')};
	try {
		const podCount = sim.cluster.store.list('pods', 'kube-system').length;
		const allPods = sim.cluster.store.list('pods').length;
		// The first kubectl call also fills its discovery cache; time the second as well.
		const cold = await kubectl(['get', 'pods', '-n', 'kube-system'], env);
		const warm = await kubectl(['get', 'pods', '-n', 'kube-system'], env);
		// kubectl asks in chunks of 500 and throttles itself past 10 requests (5 per second),
		// as it does against a real cluster; in one piece it is the server's cost alone.
		const unchunked = await kubectl(['get', 'pods', '-n', 'kube-system', '--chunk-size=0'], env);
		const allNamespaces = await kubectl(['get', 'pods', '-A'], env);
		const config = new KubeConfig();
		config.loadFromString(sim.kubeconfig);
		const core = config.makeApiClient(CoreV1Api);
		const listStarted = performance.now();
		const list = await core.listNamespacedPod({namespace: 'kube-system'});
		const listMs = performance.now() - listStarted;
		const delay = monitorEventLoopDelay({resolution: 5});
		delay.enable();
		const watchMs = await watchAll(sim.url, allPods);
		delay.disable();
		const memoryMb = process.memoryUsage().rss / 1024 / 1024;
		console.log(
			`nodes=${nodes} kube-system pods=${podCount} all pods=${allPods} startup_ms=${startupMs.toFixed(0)} `
			+ `kubectl_get_pods_kube_system_ms cold=${cold.ms.toFixed(0)} warm=${warm.ms.toFixed(0)} (rows=${warm.lines - 1}, exit=${warm.code}) chunk_size_0=${unchunked.ms.toFixed(0)} `
			+ `kubectl_get_pods_A_ms=${allNamespaces.ms.toFixed(0)} client_node_list_ms=${listMs.toFixed(0)} (items=${list.items.length}) `
			+ `watch_from_0_all_pods_ms=${watchMs.toFixed(0)} (longest event-loop stall during it: ${(delay.max / 1e6).toFixed(0)} ms) rss_mb=${memoryMb.toFixed(0)}`,
		);
	} finally {
		rmSync(directory, {recursive: true, force: true});
		await sim.stop();
	}
}
