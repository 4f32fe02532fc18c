// Preloaded into the TUI by the bench (`node --import …/loop-probe.mjs`): every 250 ms it
// appends "<epoch ms> <longest event-loop delay since the last line, ms>" to the file named
// by KNOCKDOWN_BENCH_LOOP_FILE, so the bench can read how long the loop was blocked in any
// window (the first list, churn) without the app knowing it is measured.
import {appendFileSync} from 'node:fs';
import {monitorEventLoopDelay} from 'node:perf_hooks';

const file = process.env.KNOCKDOWN_BENCH_LOOP_FILE;
if (file) {
	const histogram = monitorEventLoopDelay({resolution: 10});
	histogram.enable();
	const timer = setInterval(() => {
		appendFileSync(file, `${Date.now()} ${(histogram.max / 1e6).toFixed(1)}\n`);
		histogram.reset();
	}, 250);
	timer.unref();
}
