// The action keys' logic without a screen or a cluster: a ClusterView and screen state folded
// from hand-made objects, a Deleter that records what it is asked to do.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ClusterView} from '../../source/experiment/cluster-view.js';
import type {Deleter} from '../../source/kube/actions.js';
import {applyActions, initialScreen, selectRows, type ScreenAction, type ScreenState} from '../../source/model/screen.js';
import {createExperimentsController, type ExperimentsController} from '../../source/lab/experiment-controller.js';
import {createLab} from '../../source/lab/lab.js';
import {manualClock} from '../../source/time/clock.js';
import {eventually} from '../helpers/sim.js';
import {fakeDeployment, fakePod, fakeReplicaSet, t0} from '../ui/fake-objects.js';

const pods = [fakePod('web-abc-1', {replicaSet: 'web-abc', containers: 2}), fakePod('web-abc-2', {replicaSet: 'web-abc', containers: 2})];
const owners = [fakeReplicaSet('web-abc', 'web', 2), fakeDeployment('web', 2)];

function setUp(config: {readOnly?: boolean; yes?: boolean} = {}) {
	const calls: string[] = [];
	const deleter: Deleter = {
		namespace: 'kube-system',
		async deletePod(namespace, name) {
			calls.push(`deletePod ${namespace} ${name}`);
		},
		async deletePods(namespace, names) {
			calls.push(`deletePods ${namespace} ${names.join(',')}`);
		},
		async deleteWorkload(namespace, kind, name) {
			calls.push(`deleteWorkload ${namespace} ${kind} ${name}`);
		},
		async killMainProcess(namespace, pod, container) {
			calls.push(`kill ${namespace} ${pod} ${container}`);
		},
	};
	const view = new ClusterView('kube-system');
	for (const owner of owners) {
		view.apply({type: 'owner-upserted', owner});
	}

	for (const pod of pods) {
		view.apply({type: 'pod-upserted', pod});
	}

	view.apply({type: 'pods-synced'});
	let screen: ScreenState = applyActions(initialScreen(t0), [
		...owners.map((owner): ScreenAction => ({type: 'owner-upserted', owner, at: t0})),
		...pods.map((pod): ScreenAction => ({type: 'pod-upserted', pod, at: t0})),
		{type: 'pods-synced', at: t0},
	]);
	const clock = manualClock(t0);
	const controller = createExperimentsController({
		config: {namespace: 'kube-system', readOnly: config.readOnly ?? false, yes: config.yes ?? false, hammerForMs: 30_000},
		contextName: 'ctx',
		screen: () => screen,
		lab: createLab({view, deleter, clock}, {namespace: 'kube-system', timeoutMs: 60_000, settleMs: 1000, probeIntervalMs: 500, probeTimeoutMs: 2000}),
		reports: {cwd: '/nowhere', files: {exists: () => false, writeNew: async file => assert.fail(`${file} written`)}},
		clock,
	});
	const select = (name: string) => {
		const row = selectRows(screen).find(candidate => candidate.key === name || (candidate.type === 'pod' && candidate.entry.name === name));
		screen = applyActions(screen, [{type: 'select', key: row!.key}]);
	};

	return {controller, calls, select, clock};
}

const press = (controller: ExperimentsController, input: string, key: Record<string, boolean> = {}) => controller.captureInput(input, key);

test('a question waits for y; Ctrl-C passes through to quit; anything else cancels', () => {
	const {controller, calls, select} = setUp();
	try {
		select('web-abc-1');
		controller.deletePod();
		const {prompt} = controller.getState();
		assert.equal(prompt?.type === 'question' && prompt.text, 'delete pod web-abc-1 in kube-system on ctx?');
		assert.equal(press(controller, 'c', {ctrl: true}), false, 'Ctrl-C is not taken');
		controller.questionDrawn();
		assert.equal(press(controller, 'n'), true);
		assert.equal(controller.getState().prompt, undefined);
		assert.equal(controller.getState().message?.text, 'cancelled');
		assert.deepEqual(calls, []);
	} finally {
		controller.dispose();
	}
});

test('x: the container menu moves with j/k (wrapping), Enter picks, y kills exactly that container; a second action waits', async () => {
	const {controller, calls, select, clock} = setUp();
	try {
		select('web-abc-1');
		controller.killContainer();
		const menu = () => {
			const {prompt} = controller.getState();
			assert.equal(prompt?.type, 'menu');
			return prompt as Extract<typeof prompt, {type: 'menu'}>;
		};

		assert.deepEqual(menu().items.map(item => item.value), ['c0', 'c1']);
		for (const [key, index] of [['j', 1], ['j', 0], ['k', 1]] as const) {
			press(controller, key);
			assert.equal(menu().index, index);
		}

		assert.equal(press(controller, 'x'), true, 'other keys are swallowed while the menu is open');
		press(controller, '', {return: true});
		const {prompt} = controller.getState();
		assert.equal(prompt?.type === 'question' && prompt.text, 'kill 1 in container c1 of pod web-abc-1 in kube-system on ctx? (the container restarts, the pod stays)');
		controller.questionDrawn();
		press(controller, 'y');
		assert.deepEqual(calls, ['kill kube-system web-abc-1 c1']);
		assert.ok(controller.getState().running);
		await eventually(() => controller.getState().running?.experiment.state().t0 !== undefined, 't0');
		clock.advance(1500);
		controller.deletePod();
		assert.match(controller.getState().message?.text ?? '', /^an experiment is running \(web, \+1\.5 s\); one at a time/);
		assert.equal(controller.getState().prompt, undefined);
	} finally {
		controller.dispose();
	}
});

test('only y pressed by itself once the question is drawn answers: typed ahead, pasted or Ctrl-Y cancel', () => {
	const {controller, calls, select} = setUp();
	try {
		select('web-abc-1');
		const cases: Array<[string, () => void, string]> = [
			['before the frame', () => press(controller, 'y'), 'cancelled: a key pressed before the question was on screen never answers it'],
			['in a chunk', () => {
				controller.questionDrawn();
				controller.captureInput('y', {}, true);
			}, 'cancelled: keys that arrive together (a paste, keys typed ahead) never answer; press y by itself'],
			['Ctrl-Y', () => {
				controller.questionDrawn();
				press(controller, 'y', {ctrl: true});
			}, 'cancelled'],
			['Alt-Y', () => {
				controller.questionDrawn();
				press(controller, 'y', {meta: true});
			}, 'cancelled'],
		];
		for (const [what, answer, message] of cases) {
			controller.deletePod();
			assert.equal(controller.getState().prompt?.type, 'question', what);
			answer();
			assert.equal(controller.getState().prompt, undefined, what);
			assert.equal(controller.getState().message?.text, message, what);
		}

		assert.deepEqual(calls, [], 'nothing deleted');
	} finally {
		controller.dispose();
	}
});

test('Ctrl-D (deletePod alwaysAsk) asks even with --yes; d with --yes does not', () => {
	const {controller, calls, select} = setUp({yes: true});
	try {
		select('web-abc-1');
		controller.deletePod({alwaysAsk: true});
		assert.equal(controller.getState().prompt?.type, 'question');
		assert.deepEqual(calls, []);
		controller.questionDrawn();
		press(controller, 'y');
		assert.deepEqual(calls, ['deletePod kube-system web-abc-1']);
	} finally {
		controller.dispose();
	}
});

test('D: a digit picks the Deployment itself; --yes then deletes it without a question', () => {
	const {controller, calls, select} = setUp({yes: true});
	try {
		select('component:deployment/web');
		controller.deleteComponent();
		const {prompt} = controller.getState();
		assert.deepEqual(prompt?.type === 'menu' && prompt.items.map(item => item.value), ['pods', 'workload']);
		press(controller, '2');
		assert.deepEqual(calls, ['deleteWorkload kube-system Deployment web']);
	} finally {
		controller.dispose();
	}
});

test('read-only refuses every action; Esc closes a menu; e with nothing finished says so', async () => {
	const readOnly = setUp({readOnly: true});
	try {
		readOnly.select('web-abc-2');
		for (const action of ['deletePod', 'deleteComponent', 'killContainer', 'hammer'] as const) {
			readOnly.controller[action]();
			assert.equal(readOnly.controller.getState().message?.text, 'read-only: actions are off');
			assert.equal(readOnly.controller.getState().prompt, undefined);
		}
	} finally {
		readOnly.controller.dispose();
	}

	const {controller, select} = setUp();
	try {
		select('web-abc-2');
		controller.deleteComponent();
		press(controller, '', {escape: true});
		assert.equal(controller.getState().prompt, undefined);
		assert.equal(controller.getState().message?.text, 'cancelled');
		await controller.exportSession();
		assert.equal(controller.getState().message?.text, 'nothing to write yet: no experiment has finished');
		controller.toggleTimeline();
		assert.match(controller.getState().message?.text ?? '', /^no experiment yet/);
	} finally {
		controller.dispose();
	}
});

test('a status message stays for messageMs (10 s) on the clock, then goes; a newer one restarts the wait', () => {
	const {controller, clock} = setUp({readOnly: true});
	try {
		controller.deletePod();
		clock.advance(6000);
		controller.hammer();
		clock.advance(9999);
		assert.equal(controller.getState().message?.text, 'read-only: actions are off', '9.999 s after the second: still there');
		clock.advance(1);
		assert.equal(controller.getState().message, undefined, '10 s after the second: gone');
		controller.deletePod();
		assert.equal(clock.pendingCount, 1, 'the new message\'s timer');
	} finally {
		controller.dispose();
	}

	assert.equal(clock.pendingCount, 0, 'dispose cancelled it');
});
