// Keys that must never delete, through the real screen on the simulated cluster: a chunk of
// several keys (a paste, typed ahead, tmux send-keys), a Ctrl- or Alt-modified key. The
// simulator records every DELETE it receives; the only one allowed is the y pressed by
// itself after the question was drawn.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {SimHandle} from '../../source/sim/sim-handle.js';
import {waitForFrame} from '../helpers/frame.js';
import {eventually, startTestSim} from '../helpers/sim.js';
import {openExperimentScreen, type TestScreen} from './experiment-screen.js';

/** The status line: the line above the footer (the last line with text). */
function statusLine(frame: string): string {
	const lines = frame.split('\n').filter(line => line.trim() !== '');
	return lines.at(-2) ?? '';
}

function livePod(sim: SimHandle, prefix: string): string {
	const pod = sim.cluster.store.list('pods', 'kube-system').find(candidate => candidate.metadata.name.startsWith(prefix) && !candidate.metadata.deletionTimestamp);
	assert.ok(pod, `a ${prefix} pod`);
	return pod.metadata.name;
}

const ctrl = (letter: string) => String.fromCodePoint(letter.codePointAt(0)! - 96);

describe('keys that arrive together or with Ctrl never delete', () => {
	let sim: SimHandle;
	let screen: TestScreen;
	let cwd: string;
	let pod: string;
	before(async () => {
		sim = await startTestSim({speed: 20});
		cwd = await mkdtemp(path.join(tmpdir(), 'knockdown-paste-'));
		screen = openExperimentScreen(sim, {}, {cwd});
		await waitForFrame(screen.app, frame => frame.includes('● live'), 'the screen live', 10_000);
		pod = livePod(sim, 'l7-default-backend-');
		screen.select(pod);
	});
	after(async () => {
		await screen.stop();
		await sim.stop();
		await rm(cwd, {recursive: true, force: true});
	});

	test('"dy" in one chunk: the question is drawn and still waits; y was not its answer', async () => {
		screen.app.stdin.write('dy');
		const asked = await waitForFrame(screen.app, frame => statusLine(frame).includes('y/N'), 'the question');
		assert.match(statusLine(asked), new RegExp(`delete pod ${pod} `));
		assert.ok(!asked.includes('▶'), 'no experiment started');
		screen.app.stdin.write('n');
		await waitForFrame(screen.app, frame => statusLine(frame) === 'cancelled', 'cancelled');
	});

	test('a question on screen answered by a paste ("yes") is cancelled', async () => {
		screen.app.stdin.write('d');
		await waitForFrame(screen.app, frame => statusLine(frame).includes('y/N'), 'the question');
		screen.app.stdin.write('yes');
		await waitForFrame(screen.app, frame => statusLine(frame).startsWith('cancelled: keys that arrive together'), 'cancelled: a paste');
	});

	test('Ctrl-Y does not answer; Ctrl-E, Ctrl-T and Ctrl-X do nothing of e, t and x', async () => {
		screen.app.stdin.write(ctrl('d'));
		await waitForFrame(screen.app, frame => statusLine(frame).includes(`delete pod ${pod} `), 'Ctrl-D asks as d does');
		screen.app.stdin.write(ctrl('y'));
		await waitForFrame(screen.app, frame => statusLine(frame) === 'cancelled', 'Ctrl-Y cancels');
		for (const letter of ['e', 't', 'x']) {
			screen.app.stdin.write(ctrl(letter));
		}

		// `?` after them: once its frame is up, the three keys before it were handled.
		screen.app.stdin.write('?');
		const help = await waitForFrame(screen.app, frame => frame.includes('Ctrl-D') && frame.includes('Keys'), 'the help, naming Ctrl-D');
		assert.match(help, /Ctrl-D +as d \(k9s' delete key\), but asks even with --yes/);
		// e would say "nothing to write yet", t "no experiment yet", x ask its question.
		assert.equal(statusLine(help), 'cancelled', 'e, t and x did not run');
		screen.app.stdin.write('?');
		await waitForFrame(screen.app, frame => !frame.includes('Keys'), 'help closed');
		assert.deepEqual(await readdir(cwd), []);
	});

	test('then d, the drawn question, y by itself: exactly one DELETE, of that pod in kube-system', async () => {
		assert.equal(sim.deletes.length, 0, 'nothing was deleted by the keys before');
		screen.app.stdin.write('d');
		await waitForFrame(screen.app, frame => statusLine(frame).includes('y/N'), 'the question');
		screen.app.stdin.write('y');
		await eventually(() => sim.deletes.length > 0, 'the DELETE');
		await waitForFrame(screen.app, frame => frame.includes('■ l7-default-backend'), 'the result', 20_000);
		assert.deepEqual(sim.deletes.map(request => [request.path, request.namespace]), [[`/api/v1/namespaces/kube-system/pods/${pod}`, 'kube-system']]);
	});
});

test('--yes: Ctrl-D still asks (it also ends a shell); d does not', async () => {
	const sim = await startTestSim({speed: 20});
	const screen = openExperimentScreen(sim, {yes: true});
	try {
		await waitForFrame(screen.app, frame => frame.includes('● live'), 'live', 10_000);
		const pod = livePod(sim, 'l7-default-backend-');
		screen.select(pod);
		screen.app.stdin.write(ctrl('d'));
		await waitForFrame(screen.app, frame => statusLine(frame).includes(`delete pod ${pod} `), 'the question');
		screen.app.stdin.write('n');
		await waitForFrame(screen.app, frame => statusLine(frame) === 'cancelled', 'cancelled');
		assert.deepEqual(sim.deletes, []);
	} finally {
		await screen.stop();
		await sim.stop();
	}
});
