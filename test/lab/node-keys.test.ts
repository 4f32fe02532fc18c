// K (stop the selected pod's node's kubelet) and D's "stop for real" of a static pod, without a
// screen or a cluster: the question names what is at stake, nothing happens without `y`, keys
// that arrive together are not an answer, and read-only turns it off.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ClusterView} from '../../source/experiment/cluster-view.js';
import type {Deleter} from '../../source/kube/actions.js';
import type {NodeActor} from '../../source/kube/node-actions.js';
import {applyActions, initialScreen, selectRows, type ScreenAction, type ScreenState} from '../../source/model/screen.js';
import {createExperimentsController} from '../../source/lab/experiment-controller.js';
import {createLab} from '../../source/lab/lab.js';
import {manualClock} from '../../source/time/clock.js';
import {eventually} from '../helpers/sim.js';
import {fakePod, t0} from '../ui/fake-objects.js';

const pods = [fakePod('kube-proxy-node-a', {mirrorOn: 'node-a'}), fakePod('fluentd-x', {node: 'node-a', daemonSet: 'fluentd'})];
const nodeStop = {forMs: 60_000, helperImage: 'docker.io/library/alpine:3.20', kubeletUnit: 'kubelet', manifestDir: '/etc/kubernetes/manifests'};

function setUp(readOnly = false) {
	const calls: string[] = [];
	const actor: NodeActor = {
		namespace: 'kube-system',
		async readNode() {
			return 'True';
		},
		async listNodeNames() {
			return ['node-a'];
		},
		async podsOnNode(node) {
			calls.push(`podsOnNode ${node}`);
			return [{namespace: 'kube-system', name: 'fluentd-x'}, {namespace: 'default', name: 'redis-leader-1'}, {namespace: 'default', name: 'frontend-2'}];
		},
		async helperPods() {
			return [];
		},
		async createHelperPod(namespace, pod) {
			calls.push(`createHelperPod ${namespace} ${pod.spec.nodeName} ${pod.spec.containers[0].command[2]}`);
		},
		async deleteHelperPod(namespace, name) {
			calls.push(`deleteHelperPod ${namespace} ${name}`);
		},
		watchNode(_node, listener) {
			setImmediate(() => {
				listener({type: 'node', ready: 'True'});
				listener({type: 'synced'});
			});
			return {stop: async () => undefined};
		},
	};
	const deleter = {namespace: 'kube-system'} as Deleter;
	const view = new ClusterView('kube-system');
	for (const pod of pods) {
		view.apply({type: 'pod-upserted', pod});
	}

	view.apply({type: 'pods-synced'});
	let screen: ScreenState = applyActions(initialScreen(t0), [
		...pods.map((pod): ScreenAction => ({type: 'pod-upserted', pod, at: t0})),
		{type: 'pods-synced', at: t0},
	]);
	const clock = manualClock(t0);
	const controller = createExperimentsController({
		config: {namespace: 'kube-system', readOnly, yes: false, hammerForMs: 30_000, nodeStop, appNamespace: 'default'},
		contextName: 'ctx',
		screen: () => screen,
		lab: createLab({view, deleter, nodeActor: actor, clock}, {namespace: 'kube-system', timeoutMs: 60_000, settleMs: 1000, probeIntervalMs: 500, probeTimeoutMs: 2000, nodeStop}),
		reports: {cwd: '/nowhere', files: {exists: () => false, writeNew: async file => assert.fail(`${file} written`)}},
		clock,
	});
	const select = (name: string) => {
		const row = selectRows(screen).find(candidate => candidate.key === name || (candidate.type === 'pod' && candidate.entry.name === name));
		screen = applyActions(screen, [{type: 'select', key: row!.key}]);
	};

	return {controller, calls, select};
}

test('K asks first, naming the node, how many pods run on it, the app\'s among them and the duration; y starts the helper on that node', async () => {
	const {controller, calls, select} = setUp();
	try {
		select('fluentd-x');
		await controller.stopKubelet();
		const {prompt} = controller.getState();
		assert.equal(prompt?.type === 'question' && prompt.text, 'stop the kubelet of node-a for 60 s? 3 pods run on it (the app\'s in default: frontend-2, redis-leader-1) (a privileged helper pod in kube-system on ctx; the node undoes it by itself after 60 s)');
		assert.deepEqual(calls, ['podsOnNode node-a'], 'nothing created before the answer');
		// The screen reports the frame that showed the question; only a key after it answers.
		controller.questionDrawn();
		controller.captureInput('y', {});
		await eventually(() => calls.some(call => call.startsWith('createHelperPod')), 'the helper pod created', 5000);
		assert.match(calls.find(call => call.startsWith('createHelperPod'))!, /^createHelperPod kube-system node-a nsenter .* systemctl start kubelet && .* systemctl stop kubelet$/);
	} finally {
		controller.dispose();
	}
});

test('a paste "Ky": the y arrives before the question and answers nothing', async () => {
	const {controller, calls, select} = setUp();
	try {
		select('fluentd-x');
		const asking = controller.stopKubelet();
		assert.equal(controller.captureInput('y', {}), false, 'no question yet: the y is not taken as an answer');
		await asking;
		assert.equal(controller.getState().prompt?.type, 'question');
		assert.ok(!calls.some(call => call.startsWith('createHelperPod')));
	} finally {
		controller.dispose();
	}
});

test('read-only: K does nothing and says so', async () => {
	const {controller, calls, select} = setUp(true);
	try {
		select('fluentd-x');
		await controller.stopKubelet();
		assert.equal(controller.getState().prompt, undefined);
		assert.equal(controller.getState().message?.text, 'read-only: actions are off');
		assert.deepEqual(calls, []);
	} finally {
		controller.dispose();
	}
});

test('D on a static pod offers stopping it for real; the question names the node and the manifest', () => {
	const {controller, calls, select} = setUp();
	try {
		select('kube-proxy-node-a');
		controller.deleteComponent();
		const {prompt} = controller.getState();
		assert.equal(prompt?.type, 'menu');
		assert.deepEqual(prompt?.type === 'menu' && prompt.items.map(item => item.value), ['pods', 'stop']);
		controller.captureInput('2', {});
		const question = controller.getState().prompt;
		assert.equal(question?.type === 'question' && question.text, 'stop kube-proxy for real on node-a for 60 s: move kube-proxy-node-a\'s manifest out of the kubelet\'s directory? (a privileged helper pod in kube-system on ctx; the node undoes it by itself after 60 s)');
		assert.deepEqual(calls, []);
	} finally {
		controller.dispose();
	}
});
