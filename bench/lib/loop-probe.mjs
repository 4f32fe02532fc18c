// Preloaded into the TUI by the bench (`node --import …/loop-probe.mjs`): every 250 ms it
// appends "<epoch ms> <longest event-loop delay since the last line, ms> <CPU ms used since
// the last line>" to the file named by KNOCKDOWN_BENCH_LOOP_FILE, so the bench can read how
// long the loop was blocked in any window (the first list, churn) without the app knowing it
// is measured. The CPU column tells a block of work from a process waiting for a core on a
// loaded machine (a 2 s delay with 200 ms of CPU was mostly waiting).
import {appendFileSync} from 'node:fs';
import {monitorEventLoopDelay} from 'node:perf_hooks';

const file = process.env.KNOCKDOWN_BENCH_LOOP_FILE;
if (file) {
	const histogram = monitorEventLoopDelay({resolution: 10});
	histogram.enable();
	let cpu = process.cpuUsage();
	const timer = setInterval(() => {
		const used = process.cpuUsage(cpu);
		cpu = process.cpuUsage();
		appendFileSync(file, `${Date.now()} ${(histogram.max / 1e6).toFixed(1)} ${((used.user + used.system) / 1000).toFixed(0)}\n`);
		histogram.reset();
	}, 250);
	timer.unref();
}
