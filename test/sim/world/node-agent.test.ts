// The kubelet stopped on a node and a static pod's manifest moved out, on the manual clock:
// every timing of docs/simulator.md asserted to the millisecond (random() = 0.5, so the
// endpoints controller takes 750 ms, a container start 1500 ms, a stop 1500 + 100 ms).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {helperPod, type NodeStop} from '../../../source/experiment/helper-pod.js';
import type {KubeObject} from '../../../source/sim/store.js';
import type {World} from '../../../source/sim/world/world.js';
import {deploymentPods, isReady, notReadyAddresses, readyAddresses, startMs, testWorld} from './helpers.js';

const T0 = startMs;

function nodeReady(world: World, name: string): string | undefined {
	return world.store.get('nodes', undefined, name)?.status.conditions.find((condition: any) => condition.type === 'Ready')?.status;
}

function taints(world: World, name: string): string[] {
	return (world.store.get('nodes', undefined, name)?.spec?.taints ?? []).map((taint: any) => `${taint.key}:${taint.effect}`);
}

function leaderSetup() {
	const {cluster, clock} = testWorld();
	const world = cluster as unknown as World;
	const [leader] = deploymentPods(cluster, 'default', 'redis-leader');
	const node: string = leader.spec.nodeName;
	return {world, clock, leader, node};
}

test('kubelet stopped: the node is Ready until the 40 s grace period, then Unknown and tainted; its pods go not ready and leave the endpoints', () => {
	const {world, clock, leader, node} = leaderSetup();
	assert.equal(world.nodeAgent.stopKubelet(node), true);
	assert.equal(world.nodeAgent.stopKubelet(node), false, 'already stopped');
	clock.advance(39_999);
	assert.equal(nodeReady(world, node), 'True');
	assert.ok(isReady(world.store.get('pods', 'default', leader.metadata.name)), 'containers keep running and the pod stays Ready meanwhile');
	assert.deepEqual(readyAddresses(world, 'default', 'redis-leader'), [leader.metadata.name]);
	clock.advance(1); // +40 s
	assert.equal(nodeReady(world, node), 'Unknown');
	const ready = world.store.get('nodes', undefined, node)!.status.conditions.find((condition: any) => condition.type === 'Ready');
	assert.equal(ready.reason, 'NodeStatusUnknown');
	assert.equal(ready.message, 'Kubelet stopped posting node status.');
	assert.deepEqual(taints(world, node), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
	const marked = world.store.get('pods', 'default', leader.metadata.name)!;
	assert.equal(isReady(marked), false, 'the node controller marks its pods Ready=False');
	assert.ok(marked.status.containerStatuses[0].state.running, 'the container still runs');
	clock.advance(749);
	assert.deepEqual(readyAddresses(world, 'default', 'redis-leader'), [leader.metadata.name]);
	clock.advance(1); // endpoints controller
	assert.deepEqual(readyAddresses(world, 'default', 'redis-leader'), []);
	assert.deepEqual(notReadyAddresses(world, 'default', 'redis-leader'), [leader.metadata.name]);
	assert.deepEqual(world.truth().nodesNotReady, {[node]: [{startMs: T0 + 40_000}]});
});

test('kubelet stopped: exec and logs to its pods fail; deletes hang Terminating; a pod bound there does not start', async () => {
	const {world, clock, leader, node} = leaderSetup();
	world.nodeAgent.stopKubelet(node);
	await assert.rejects(world.exec('default', leader.metadata.name, undefined, ['true']), /error dialing backend: dial tcp [\d.]+:10250: connect: connection refused/);
	assert.match(world.kubeletUnreachable(node)!, /10250/);
	world.delete('pods', 'default', leader.metadata.name, {});
	world.create('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'bound-there', namespace: 'default'}, spec: {nodeName: node, containers: [{name: 'c', image: 'busybox'}]}});
	clock.advance(200_000);
	const hanging = world.store.get('pods', 'default', leader.metadata.name)!;
	assert.ok(hanging.metadata.deletionTimestamp, 'still there, Terminating');
	assert.ok(hanging.status.containerStatuses[0].state.running, 'nobody stopped its container');
	assert.equal(world.store.get('pods', 'default', 'bound-there')!.status?.containerStatuses, undefined, 'not started');
	world.nodeAgent.startKubelet(node);
	clock.advance(1999);
	assert.ok(world.store.get('pods', 'default', leader.metadata.name));
	clock.advance(1); // the kubelet's first status: it finishes the deletion and starts the new pod
	clock.advance(1500 + 100);
	assert.equal(world.store.get('pods', 'default', leader.metadata.name), undefined, 'the pending deletion completed');
	clock.advance(20);
	assert.equal(world.store.get('pods', 'default', 'bound-there')!.status.phase, 'Running');
});

test('kubelet stopped while it was terminating a pod: the deletion stops where it was and finishes when the kubelet is back', () => {
	const {world, clock, leader, node} = leaderSetup();
	world.delete('pods', 'default', leader.metadata.name, {});
	clock.advance(10); // the kubelet has begun: SIGTERM sent, containers stopping
	world.nodeAgent.stopKubelet(node);
	clock.advance(200_000);
	assert.ok(world.store.get('pods', 'default', leader.metadata.name)?.metadata.deletionTimestamp, 'still Terminating while the kubelet is away');
	world.nodeAgent.startKubelet(node);
	clock.advance(2000 + 1500 + 100);
	assert.equal(world.store.get('pods', 'default', leader.metadata.name), undefined, 'finished once it is back');
});

test('kubelet stopped 6 min: pods without a toleration are evicted 300 s after NotReady and stay Terminating; tolerating pods stay; all comes back when it starts', () => {
	const {world, clock, leader, node} = leaderSetup();
	const onNode = (prefix: string) => world.store.list('pods', 'kube-system').find(pod => pod.spec.nodeName === node && pod.metadata.name.startsWith(prefix))!;
	const fluentd = onNode('fluentd-gcp-v3.2.0-');
	const proxy = onNode('kube-proxy-');
	world.nodeAgent.stopKubelet(node);
	clock.advance(40_000 + 299_999);
	assert.equal(world.store.get('pods', 'default', leader.metadata.name)!.metadata.deletionTimestamp, undefined);
	clock.advance(1); // 340 s: the taint manager evicts
	const evicted = world.store.get('pods', 'default', leader.metadata.name)!;
	assert.ok(evicted.metadata.deletionTimestamp, 'marked for deletion');
	assert.ok(world.store.list('events', 'default').some(event => event.reason === 'TaintManagerEviction' && (event.involvedObject as any).name === leader.metadata.name));
	assert.equal(world.store.get('pods', 'kube-system', fluentd.metadata.name)!.metadata.deletionTimestamp, undefined, 'fluentd tolerates NoExecute');
	assert.equal(world.store.get('pods', 'kube-system', proxy.metadata.name)!.metadata.deletionTimestamp, undefined, 'kube-proxy tolerates NoExecute');
	clock.advance(200 + 100); // the ReplicaSet's replacement, scheduled away from the tainted node
	const replacement = deploymentPods(world, 'default', 'redis-leader').find(pod => pod.metadata.uid !== leader.metadata.uid)!;
	assert.ok(replacement.spec.nodeName && replacement.spec.nodeName !== node);
	clock.advance(20 + 1500 + 1000);
	assert.ok(isReady(world.store.get('pods', 'default', replacement.metadata.name)));
	clock.advance(750);
	assert.deepEqual(readyAddresses(world, 'default', 'redis-leader'), [replacement.metadata.name]);
	clock.advance(360_000 - 340_000 - 300 - 2520 - 750); // 6 min after the stop
	assert.ok(world.store.get('pods', 'default', leader.metadata.name), 'still Terminating while the kubelet is away');
	world.nodeAgent.startKubelet(node);
	clock.advance(2000);
	assert.equal(nodeReady(world, node), 'True');
	assert.deepEqual(taints(world, node), []);
	assert.ok(isReady(world.store.get('pods', 'kube-system', fluentd.metadata.name)), 'its pods report Ready again');
	clock.advance(1600);
	assert.equal(world.store.get('pods', 'default', leader.metadata.name), undefined, 'the eviction completes');
	assert.deepEqual(world.truth().nodesNotReady, {[node]: [{startMs: T0 + 40_000, endMs: T0 + 362_000}]});
});

test('kubelet back within the grace period: the node never goes NotReady', () => {
	const {world, clock, node} = leaderSetup();
	world.nodeAgent.stopKubelet(node);
	clock.advance(30_000);
	world.nodeAgent.startKubelet(node);
	clock.advance(60_000);
	assert.equal(nodeReady(world, node), 'True');
	assert.deepEqual(world.truth().nodesNotReady, {});
});

function runHelper(world: World, stop: NodeStop, stamp = 'abc'): KubeObject {
	return world.create('pods', helperPod(stop, {namespace: 'kube-system', image: 'docker.io/library/alpine:3.20', stamp}) as KubeObject);
}

test('the helper pod stops the kubelet after scheduling its restart on the host; the pod is reported Succeeded when the kubelet is back', () => {
	const {world, clock, node} = leaderSetup();
	const pod = runHelper(world, {kind: 'kubelet', node, forMs: 60_000, unit: 'kubelet'});
	clock.advance(20 + 1499);
	assert.equal(world.kubeletUnreachable(node), undefined);
	clock.advance(1); // Running: the command runs
	assert.match(world.kubeletUnreachable(node)!, /connection refused/);
	assert.equal(world.store.get('pods', 'kube-system', pod.metadata.name)!.status.phase, 'Running', 'nobody reports its exit yet');
	clock.advance(40_000);
	assert.equal(nodeReady(world, node), 'Unknown');
	clock.advance(20_000 - 1); // the systemd timer: 60 s after it was set
	assert.ok(world.kubeletUnreachable(node));
	clock.advance(1);
	assert.equal(world.kubeletUnreachable(node), undefined, 'systemctl start kubelet ran on the host');
	clock.advance(2000);
	assert.equal(nodeReady(world, node), 'True');
	assert.equal(world.store.get('pods', 'kube-system', pod.metadata.name)!.status.phase, 'Succeeded');
});

test('the undo runs on the host even when the helper pod is deleted at once (knockdown killed mid-experiment)', () => {
	const {world, clock, node} = leaderSetup();
	const pod = runHelper(world, {kind: 'kubelet', node, forMs: 60_000, unit: 'kubelet'});
	clock.advance(1520);
	world.delete('pods', 'kube-system', pod.metadata.name, {gracePeriodSeconds: 0});
	assert.equal(world.store.get('pods', 'kube-system', pod.metadata.name), undefined);
	clock.advance(60_000 + 2000);
	assert.equal(nodeReady(world, node), 'True');
	assert.equal(world.kubeletUnreachable(node), undefined);
});

test('the helper fails and stops nothing with a unit the node does not have, or without privileges', () => {
	const {world, clock, node} = leaderSetup();
	const wrongUnit = runHelper(world, {kind: 'kubelet', node, forMs: 60_000, unit: 'k3s-agent'}, 'a');
	const unprivileged = helperPod({kind: 'kubelet', node, forMs: 60_000, unit: 'kubelet'}, {namespace: 'kube-system', image: 'alpine', stamp: 'b'});
	unprivileged.spec.containers[0].securityContext = {};
	world.create('pods', unprivileged as KubeObject);
	clock.advance(1520);
	assert.equal(world.kubeletUnreachable(node), undefined);
	const failed = world.store.get('pods', 'kube-system', wrongUnit.metadata.name)!;
	assert.equal(failed.status.phase, 'Failed');
	assert.equal(failed.status.containerStatuses[0].state.terminated.exitCode, 5);
	assert.match(failed.status.containerStatuses[0].state.terminated.message, /Unit k3s-agent.service not loaded/);
	const refused = world.store.get('pods', 'kube-system', unprivileged.metadata.name)!;
	assert.match(refused.status.containerStatuses[0].state.terminated.message, /Permission denied/);
});

test('static pod manifest moved out: the kubelet stops kube-proxy and removes its mirror pod; the node\'s rules freeze until it is moved back', () => {
	const {world, clock, node} = leaderSetup();
	const name = `kube-proxy-${node}`;
	const before = world.store.get('pods', 'kube-system', name)!;
	runHelper(world, {kind: 'static-pod', node, forMs: 30_000, component: 'kube-proxy', manifestDir: '/etc/kubernetes/manifests', manifestFile: 'kube-proxy.manifest'});
	clock.advance(1520);
	assert.equal(world.kubeProxyRunning(node), true);
	clock.advance(1500); // the kubelet stops the container, then deletes the mirror pod
	assert.equal(world.store.get('pods', 'kube-system', name), undefined);
	assert.equal(world.kubeProxyRunning(node), false);
	clock.advance(10_000);
	assert.equal(world.store.get('pods', 'kube-system', name), undefined, 'no mirror pod while the manifest is out');
	clock.advance(30_000 - 1500 - 10_000); // the timer moves it back
	clock.advance(20 + 1500 + 1000);
	const after = world.store.get('pods', 'kube-system', name)!;
	assert.notEqual(after.metadata.uid, before.metadata.uid, 'a new mirror pod');
	assert.ok(isReady(after));
	assert.equal(world.kubeProxyRunning(node), true);
});

test('the frozen kube-proxy keeps its old rules: an endpoint change made while its manifest is out is not seen on that node', () => {
	const {world, clock, node} = leaderSetup();
	const other = world.nodeNames.find(name => name !== node)!;
	runHelper(world, {kind: 'static-pod', node, forMs: 60_000, component: 'kube-proxy', manifestDir: '/etc/kubernetes/manifests', manifestFile: 'kube-proxy.manifest'});
	clock.advance(1520 + 1500);
	const programmedBefore = world.network.programmedOn(node, 'default/redis-leader').map(address => address.podName);
	const [leader] = deploymentPods(world, 'default', 'redis-leader');
	world.delete('pods', 'default', leader.metadata.name, {});
	clock.advance(10_000);
	const replacement = deploymentPods(world, 'default', 'redis-leader').find(pod => pod.metadata.uid !== leader.metadata.uid)!;
	assert.deepEqual(world.network.programmedOn(other, 'default/redis-leader').map(address => address.podName), [replacement.metadata.name]);
	assert.deepEqual(world.network.programmedOn(node, 'default/redis-leader').map(address => address.podName), programmedBefore, 'frozen');
});
