// The real kubectl watching the simulated nodes while knockdown's helper pod (created with
// kubectl itself) stops a kubelet: `get nodes -w` shows the node NotReady and Ready again, and
// exec into a pod on it fails as against a real node whose kubelet is stopped.
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {helperPod} from '../../../source/experiment/helper-pod.js';
import {kubectlFor} from '../../helpers/kubectl.js';
import {startTestSim} from '../../helpers/sim.js';

const node = 'gke-demo-default-pool-0dacde9e-gc4m';

test('kubectl get nodes -w: NotReady after the grace period, Ready when the helper\'s timer starts the kubelet again', async () => {
	const sim = await startTestSim();
	const kubectl = kubectlFor(sim.kubeconfig);
	try {
		const watch = kubectl.stream(['get', 'nodes', '-w']);
		await watch.waitForLine(line => line.startsWith(node) && /\sReady\s/.test(line));
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'knockdown-helper-')), 'helper.json');
		writeFileSync(file, JSON.stringify(helperPod({kind: 'kubelet', node, forMs: 60_000, unit: 'kubelet'}, {namespace: 'kube-system', image: 'docker.io/library/alpine:3.20', stamp: 'kubectl1'})));
		const created = await kubectl.run(['create', '-f', file]);
		assert.equal(created.code, 0, created.stderr);
		await watch.waitForLine(line => line.startsWith(node) && /\sNotReady\s/.test(line));
		const onNode = sim.cluster.store.list('pods', 'kube-system').find(pod => pod.spec.nodeName === node && pod.metadata.name.startsWith('fluentd-gcp-v3.2.0-'))!;
		const exec = await kubectl.run(['exec', '-n', 'kube-system', onNode.metadata.name, '-c', 'fluentd-gcp', '--', 'true']);
		assert.notEqual(exec.code, 0);
		assert.match(exec.stderr, /^Error from server: error dialing backend: dial tcp [\d.]+:10250: connect: connection refused/m);
		const readyAgain = watch.lines.length;
		await watch.waitForLine(line => watch.lines.indexOf(line) >= readyAgain && line.startsWith(node) && /\sReady\s/.test(line));
		await watch.stop();
	} finally {
		await kubectl.cleanup();
		await sim.stop();
	}
});
