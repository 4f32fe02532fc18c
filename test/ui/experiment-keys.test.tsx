// The action keys on the live screen against the simulated cluster (speed 20, real HTTP):
// what is asked, what is deleted, what is refused, and what the screen shows while the
// kube-dns pods are gone and after. Every wait is for a frame or a cluster state.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {SimHandle} from '../../source/sim/sim-handle.js';
import {keys, waitForFrame} from '../helpers/frame.js';
import {eventually, startTestSim} from '../helpers/sim.js';
import {openExperimentScreen, type TestScreen} from './experiment-screen.js';

function livePods(sim: SimHandle, prefix: string): string[] {
	return sim.cluster.store.list('pods', 'kube-system')
		.filter(pod => pod.metadata.name.startsWith(prefix) && !pod.metadata.deletionTimestamp)
		.map(pod => pod.metadata.name)
		.sort();
}

function exists(sim: SimHandle, name: string): boolean {
	const pod = sim.cluster.store.get('pods', 'kube-system', name);
	return Boolean(pod && !pod.metadata.deletionTimestamp);
}

/** The status line: the line above the footer (the last line with text). */
function statusLine(frame: string): string {
	const lines = frame.split('\n').filter(line => line.trim() !== '');
	return lines.at(-2) ?? '';
}

/** The health panel's verdict line (under its title, beside the table) says UP. */
const panelUp = /App health[^\n]*\n[^\n]*\sUP(\s|$)/;

/** The banner's text (between the header's two lines and the table's column titles), wrapped lines joined. */
function bannerText(frame: string): string {
	const lines = frame.split('\n');
	const table = lines.findIndex(line => line.startsWith('   NAME '));
	return lines.slice(2, table).map(line => line.trim()).join(' ');
}

const kubeDnsPods = (sim: SimHandle) => livePods(sim, 'kube-dns-').filter(name => !name.startsWith('kube-dns-autoscaler'));

describe('action keys on the simulated cluster', () => {
	let sim: SimHandle;
	let screen: TestScreen;
	let cwd: string;
	before(async () => {
		// Speed 2, not 20: the kube-dns outage then lasts ~2.8 s of wall clock (about 28 probes)
		// instead of ~0.3 s, which a loaded 2-core machine could pass through without a probe
		// answering in it; probes time out at the product's 2 s so a stalled process is not an outage.
		sim = await startTestSim({speed: 2});
		cwd = await mkdtemp(path.join(tmpdir(), 'knockdown-ui-'));
		screen = openExperimentScreen(sim, {probeTimeout: '2s'}, {cwd});
		await waitForFrame(screen.app, frame => frame.includes('● live') && /App health/.test(frame), 'the screen live with its health panel', 10_000);
	});
	after(async () => {
		await screen.stop();
		await sim.stop();
		await rm(cwd, {recursive: true, force: true});
	});

	test('d then n: asked in one line naming the pod, namespace and context; nothing deleted; "cancelled"', async () => {
		const [pod] = livePods(sim, 'l7-default-backend-');
		screen.select(pod!);
		screen.app.stdin.write('d');
		const asked = await waitForFrame(screen.app, frame => statusLine(frame).includes('y/N'), 'the question');
		assert.match(statusLine(asked), new RegExp(`delete pod ${pod} in kube-system on ${screen.context.connection.contextName}\\? +y/N`));
		screen.app.stdin.write('n');
		await waitForFrame(screen.app, frame => statusLine(frame).includes('cancelled'), '"cancelled"');
		assert.ok(exists(sim, pod!), 'the pod is still there');
	});

	test('a mirror pod: the question says the kubelet recreates it and the container never stops', async () => {
		const [pod] = livePods(sim, 'kube-proxy-');
		screen.select(pod!);
		screen.app.stdin.write('d');
		const asked = await waitForFrame(screen.app, frame => statusLine(frame).includes('y/N'), 'the question');
		assert.match(statusLine(asked), new RegExp(`delete mirror pod ${pod} in kube-system`));
		// Too long for one status line at 160 columns: the whole question stands above the table too.
		assert.match(asked.replaceAll('\n', ' '), /\? delete mirror pod .* \(static pod: the kubelet recreates the mirror pod at once +and the container never stops\)/);
		screen.app.stdin.write(keys.escape);
		await waitForFrame(screen.app, frame => statusLine(frame).includes('cancelled'), 'cancelled by Esc');
		assert.ok(exists(sim, pod!));
	});

	test('d then y deletes the pod; the result line stays', async () => {
		const [pod] = livePods(sim, 'fluentd-gcp-v3.2.0-');
		screen.select(pod!);
		screen.app.stdin.write('d');
		await waitForFrame(screen.app, frame => statusLine(frame).includes(`delete pod ${pod}`), 'the question');
		screen.app.stdin.write('y');
		await eventually(() => !exists(sim, pod!), `${pod} deleted in the cluster`);
		// The verdict is the engine's (tested there); under a loaded test machine a 50 ms probe may time out.
		const result = await waitForFrame(screen.app, frame => /■ fluentd-gcp-v3\.2\.0 · 1 pod deleted · /.test(frame), 'the result line', 20_000);
		assert.match(bannerText(result), /^■ fluentd-gcp-v3\.2\.0 · 1 pod deleted · .* recovered \+\d+\.\d s/);
	});

	test('D on kube-dns, all pods, y: the banner counts the OUTAGE, lists the replacements with their steps, the panel says DOWN, then the result', async () => {
		const victims = kubeDnsPods(sim);
		assert.equal(victims.length, 2);
		screen.select('component:deployment/kube-dns');
		await waitForFrame(screen.app, frame => panelUp.test(frame), 'the guestbook UP before');
		screen.app.stdin.write('D');
		const menu = await waitForFrame(screen.app, frame => frame.includes('delete kube-dns: what goes?'), 'the menu');
		assert.match(menu, /❯ all pods \(2: /);
		assert.match(menu, /the Deployment kube-dns itself/);
		screen.app.stdin.write(keys.enter);
		const asked = await waitForFrame(screen.app, frame => statusLine(frame).includes('y/N'), 'the question');
		assert.match(statusLine(asked), new RegExp(`delete all 2 pods of kube-dns \\(${victims.join(', ')}\\) in kube-system on ${screen.context.connection.contextName}\\?`));
		screen.app.stdin.write('y');

		// 160×50 has room for the big clock: OUTAGE over the seconds in block digits.
		const outage = await waitForFrame(screen.app, frame => /OUTAGE(?: · [^\n]+?)? *\n[^\n]*██/.test(frame), 'OUTAGE counting in block digits', 15_000);
		assert.match(outage, /▶ kube-dns · t0 \+\d+\.\d s · 2 pods deleted/);
		// At speed 20 the outage lasts a few probes; which hop fails first is health-on-screen.test's.
		await waitForFrame(screen.app, frame => /App health[^\n]*\n[^\n]*\sDOWN\b/.test(frame), 'the panel DOWN', 10_000);
		// The replacement, linked to the experiment with its steps from t0.
		const linked = await waitForFrame(screen.app, frame => /\+ kube-dns-\S+ +created \+\d\.\d · sched(uled)? \+\d\.\d · run(ning)? \+\d\.\d · ready \+\d\.\d/.test(frame), 'a replacement ready, with its steps', 15_000);
		const replacement = /\+ (kube-dns-\S+) +created/.exec(linked)![1]!;
		assert.ok(!victims.includes(replacement), 'a new pod, not a victim');
		assert.ok(kubeDnsPods(sim).includes(replacement), 'the replacement is in the cluster');
		for (const victim of victims) {
			assert.match(linked, new RegExp(`✕ ${victim} +(gone|terminating) \\+\\d\\.\\d`));
		}

		const result = await waitForFrame(screen.app, frame => frame.includes('■ kube-dns · 2 pods deleted · service outage'), 'the result line', 20_000);
		// A probe slower than its threshold (a busy machine) is measured and said, as a slow clause.
		assert.match(bannerText(result), /service outage \d+\.\d s ± \d+\.\d s( in \d windows)?( \((DNS|end-to-end)\))?( · slow: [^·]+)? · first replacement ready \+\d+\.\d s · recovered \+\d+\.\d s/);
		await waitForFrame(screen.app, frame => panelUp.test(frame), 'the panel UP again', 10_000);
	});

	test('t shows the last experiment on a time axis; t closes it', async () => {
		screen.app.stdin.write('t');
		try {
			const chart = await waitForFrame(screen.app, frame => frame.includes('timeline kube-dns'), 'the timeline');
			assert.match(chart, /^end-to-end +│[─█]*█[─█]*│/m, 'the end-to-end row shows the failure');
			assert.match(chart, /^\+ kube-dns-\S+ +│ *·*░*█+│/m, 'a replacement row ends ready');
			assert.match(chart, /└\+0 s/);
		} finally {
			screen.app.stdin.write('t');
		}

		await waitForFrame(screen.app, frame => !frame.includes('timeline kube-dns') && frame.includes('■ kube-dns'), 'the timeline closed, the result back');
	});

	test('e writes the session (both experiments) as Markdown, JSON, SVG and HTML and names the files', async () => {
		screen.app.stdin.write('e');
		const frame = await waitForFrame(screen.app, f => statusLine(f).includes('written:'), 'the paths');
		const files = (await readdir(cwd)).sort();
		assert.equal(files.length, 4);
		assert.match(files[0]!, /^knockdown-report-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.html$/);
		const base = files[0]!.replace(/\.html$/, '');
		assert.deepEqual(files, ['.html', '.json', '.md', '.svg'].map(extension => base + extension));
		assert.ok(statusLine(frame).includes(`written: ${base}.md, .json, .svg and .html in ${cwd}`), statusLine(frame));
		const svg = await readFile(path.join(cwd, `${base}.svg`), 'utf8');
		assert.match(svg, /data-lane="probe:end-to-end"/);
		assert.equal((svg.match(/<svg /g) ?? []).length, 3, 'one picture holding one per experiment');
		const json = JSON.parse(await readFile(path.join(cwd, `${base}.json`), 'utf8'));
		assert.deepEqual(json.experiments.map((experiment: {component: string; action: string}) => [experiment.component, experiment.action]), [
			['fluentd-gcp-v3.2.0', 'delete-pod'],
			['kube-dns', 'delete-pods'],
		]);
		assert.equal(json.experiments[1].verdict, 'service-impact');
		const markdown = await readFile(path.join(cwd, `${base}.md`), 'utf8');
		assert.match(markdown, /- kube-dns · 2 pods deleted · service outage/);
	});

	test('one experiment at a time: a second action while one runs is refused with a reason', async () => {
		const [pod] = livePods(sim, 'heapster-v1.6.0-beta.1-');
		screen.select(pod!);
		screen.app.stdin.write('d');
		await waitForFrame(screen.app, frame => statusLine(frame).includes('y/N'), 'the question');
		screen.app.stdin.write('y');
		await waitForFrame(screen.app, frame => frame.includes('▶ heapster'), 'the experiment running');
		const [other] = livePods(sim, 'l7-default-backend-');
		screen.select(other!);
		screen.app.stdin.write('d');
		await waitForFrame(screen.app, frame => /an experiment is running \(heapster-v1\.6\.0-beta\.1/.test(statusLine(frame)), 'refused');
		assert.ok(exists(sim, other!));
		await waitForFrame(screen.app, frame => frame.includes('■ heapster-v1.6.0-beta.1 · 1 pod deleted'), 'its result', 20_000);
	});

	test('x on a pod with several containers: pick one, y: kill 1 restarts it in place', async () => {
		const [pod] = livePods(sim, 'heapster-v1.6.0-beta.1-');
		const containers = (sim.cluster.store.get('pods', 'kube-system', pod!)!.spec.containers as Array<{name: string}>).map(container => container.name);
		assert.ok(containers.length > 1);
		screen.select(pod!);
		screen.app.stdin.write('x');
		const menu = await waitForFrame(screen.app, frame => frame.includes(`kill 1 in which container of ${pod}?`), 'the container menu');
		for (const name of containers) {
			assert.match(menu, new RegExp(`^(❯| ) ${name}$`, 'm'));
		}

		screen.app.stdin.write('j');
		await waitForFrame(screen.app, frame => new RegExp(`^❯ ${containers[1]}$`, 'm').test(frame), 'the second container highlighted');
		screen.app.stdin.write(keys.enter);
		await waitForFrame(screen.app, frame => statusLine(frame).includes(`kill 1 in container ${containers[1]} of pod ${pod} in kube-system`), 'the question');
		screen.app.stdin.write('y');
		const restarts = () => (sim.cluster.store.get('pods', 'kube-system', pod!)!.status.containerStatuses as Array<{name: string; restartCount: number}>)
			.find(status => status.name === containers[1])?.restartCount ?? 0;
		await eventually(() => restarts() === 1, `${containers[1]} restarted once`);
		assert.ok(exists(sim, pod!), 'the pod stays');
		await waitForFrame(screen.app, frame => bannerText(frame).startsWith(`■ heapster-v1.6.0-beta.1 · kill 1 in ${pod}`), 'the result', 20_000);
	});
});

describe('--yes', () => {
	test('d deletes at once, without the question', async () => {
		const sim = await startTestSim({speed: 20});
		const screen = openExperimentScreen(sim, {yes: true});
		try {
			await waitForFrame(screen.app, frame => frame.includes('● live'), 'live', 10_000);
			const [pod] = livePods(sim, 'l7-default-backend-');
			screen.select(pod!);
			screen.app.stdin.write('d');
			await eventually(() => !exists(sim, pod!), `${pod} deleted`);
			await waitForFrame(screen.app, frame => frame.includes('▶ l7-default-backend') || frame.includes('■ l7-default-backend'), 'the experiment on screen');
			assert.ok(!screen.app.frames.some(frame => frame.includes('y/N')), 'never asked');
		} finally {
			await screen.stop();
			await sim.stop();
		}
	});
});

describe('refusals', () => {
	test('--read-only: every action key says so and nothing is asked or deleted', async () => {
		const sim = await startTestSim({speed: 20});
		const screen = openExperimentScreen(sim, {readOnly: true});
		try {
			await waitForFrame(screen.app, frame => frame.includes('● live'), 'live', 10_000);
			const [pod] = livePods(sim, 'l7-default-backend-');
			screen.select(pod!);
			for (const key of ['d', 'D', 'x', 'H']) {
				screen.app.stdin.write(key);
				const frame = await waitForFrame(screen.app, f => statusLine(f).includes('read-only: actions are off'), `read-only for ${key}`);
				assert.ok(!frame.includes('y/N') && !frame.includes('what goes?'), `${key} asks nothing`);
			}

			assert.ok(exists(sim, pod!));
		} finally {
			await screen.stop();
			await sim.stop();
		}
	});

	test('a forbidden delete (RBAC 403) is one clear sentence in the status line, and the screen stays', async () => {
		const sim = await startTestSim({speed: 20, forbid: ['delete:pods']});
		const screen = openExperimentScreen(sim);
		try {
			await waitForFrame(screen.app, frame => frame.includes('● live'), 'live', 10_000);
			const [pod] = livePods(sim, 'l7-default-backend-');
			screen.select(pod!);
			screen.app.stdin.write('d');
			await waitForFrame(screen.app, frame => statusLine(frame).includes('y/N'), 'the question');
			screen.app.stdin.write('y');
			const frame = await waitForFrame(screen.app, f => /^forbidden: /.test(statusLine(f)), 'forbidden in the status line', 15_000);
			assert.match(statusLine(frame), /forbidden: .*delete.*pods/);
			assert.ok(frame.includes('● live'), 'the screen is still live');
			assert.ok(exists(sim, pod!));
			// The next action is not blocked by the failed one.
			screen.app.stdin.write('d');
			await waitForFrame(screen.app, f => statusLine(f).includes('y/N'), 'asked again');
			screen.app.stdin.write('n');
		} finally {
			await screen.stop();
			await sim.stop();
		}
	});
});
