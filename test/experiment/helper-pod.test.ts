// The helper pod and its command, built as pure values: the undo is scheduled on the host
// before anything is stopped, and the stop runs only if scheduling worked.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {defaultManifestFile, helperPod, helperScript, manualUndo, parkedManifestPath} from '../../source/experiment/helper-pod.js';

test('kubelet: schedule `systemctl start` on the host with a transient timer, then stop the unit', () => {
	assert.equal(
		helperScript({kind: 'kubelet', node: 'n1', forMs: 60_000, unit: 'kubelet'}, 'k1'),
		'nsenter -t 1 -m -u -i -n -p -- systemd-run --unit=knockdown-undo-k1 --on-active=60s systemctl start kubelet && nsenter -t 1 -m -u -i -n -p -- systemctl stop kubelet',
	);
	assert.match(helperScript({kind: 'kubelet', node: 'n1', forMs: 1500, unit: 'k3s-agent'}, 'k1'), /--on-active=2s systemctl start k3s-agent && .* systemctl stop k3s-agent$/);
});

test('static pod: schedule moving the manifest back, then move it out beside the manifest directory', () => {
	const stop = {kind: 'static-pod', node: 'n1', forMs: 20_000, component: 'kube-proxy', manifestDir: '/etc/kubernetes/manifests/', manifestFile: 'kube-proxy.manifest'} as const;
	assert.equal(parkedManifestPath(stop), '/etc/kubernetes/kube-proxy.manifest.knockdown');
	assert.equal(
		helperScript(stop, 's1'),
		'nsenter -t 1 -m -u -i -n -p -- systemd-run --unit=knockdown-undo-s1 --on-active=20s mv /etc/kubernetes/kube-proxy.manifest.knockdown /etc/kubernetes/manifests/kube-proxy.manifest && nsenter -t 1 -m -u -i -n -p -- mv /etc/kubernetes/manifests/kube-proxy.manifest /etc/kubernetes/kube-proxy.manifest.knockdown',
	);
	assert.equal(manualUndo(stop), 'mv /etc/kubernetes/kube-proxy.manifest.knockdown /etc/kubernetes/manifests/kube-proxy.manifest');
	assert.equal(defaultManifestFile('kube-proxy'), 'kube-proxy.manifest');
	assert.equal(defaultManifestFile('kube-apiserver'), 'kube-apiserver.yaml');
});

test('the pod: pinned by nodeName, hostPID, privileged, tolerating every taint, never restarted', () => {
	const pod = helperPod({kind: 'kubelet', node: 'n1', forMs: 60_000, unit: 'kubelet'}, {namespace: 'kube-system', image: 'docker.io/library/alpine:3.20', stamp: 'k1'});
	assert.equal(pod.metadata.name, 'knockdown-helper-k1');
	assert.equal(pod.metadata.namespace, 'kube-system');
	assert.equal(pod.spec.nodeName, 'n1');
	assert.equal(pod.spec.hostPID, true);
	assert.equal(pod.spec.restartPolicy, 'Never');
	assert.deepEqual(pod.spec.tolerations, [{operator: 'Exists'}]);
	assert.equal(pod.spec.containers[0].securityContext.privileged, true);
	assert.equal(pod.spec.containers[0].image, 'docker.io/library/alpine:3.20');
	assert.deepEqual(pod.spec.containers[0].command.slice(0, 2), ['sh', '-c']);
	assert.equal(pod.spec.containers[0].terminationMessagePolicy, 'FallbackToLogsOnError');
});
