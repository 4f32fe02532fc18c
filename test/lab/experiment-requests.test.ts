import {test} from 'node:test';
import assert from 'node:assert/strict';
import {componentRef} from '../../source/model/component.js';
import {componentChoices, experimentTarget, podRowProblem, questionText, type ActionRequest} from '../../source/lab/experiment-requests.js';

const scope = {contextName: 'gke_demo', namespace: 'kube-system'};
const kubeDns = componentRef('Deployment', 'kube-dns');
const kubeProxy = componentRef('StaticPod', 'kube-proxy');

test('every question names the context, the namespace and exactly what goes', () => {
	const cases: Array<[ActionRequest, string]> = [
		[{kind: 'delete-pod', component: kubeDns, pod: 'kube-dns-7df4-x2v', mirror: false}, 'delete pod kube-dns-7df4-x2v in kube-system on gke_demo?'],
		[{kind: 'delete-pods', component: kubeDns, pods: ['kube-dns-a', 'kube-dns-b']}, 'delete all 2 pods of kube-dns (kube-dns-a, kube-dns-b) in kube-system on gke_demo?'],
		[{kind: 'delete-workload', component: kubeDns, workloadKind: 'Deployment', pods: ['kube-dns-a', 'kube-dns-b']}, 'delete deployment/kube-dns itself (it owns 2 pods: kube-dns-a, kube-dns-b) in kube-system on gke_demo?'],
		[{kind: 'kill-container', component: kubeDns, pod: 'kube-dns-a', container: 'dnsmasq'}, 'kill 1 in container dnsmasq of pod kube-dns-a in kube-system on gke_demo? (the container restarts, the pod stays)'],
		[{kind: 'hammer', component: kubeDns, pods: ['kube-dns-a'], forMs: 30_000}, 'hammer kube-dns for 30 s: delete its 1 pod (kube-dns-a) and again each time a replacement is Ready, in kube-system on gke_demo?'],
	];
	for (const [request, text] of cases) {
		assert.equal(questionText(request, scope), text);
	}
});

test('a mirror pod: the question says what really happens', () => {
	const text = questionText({kind: 'delete-pod', component: kubeProxy, pod: 'kube-proxy-node-a', mirror: true}, scope);
	assert.equal(text, 'delete mirror pod kube-proxy-node-a in kube-system on gke_demo? (static pod: the kubelet recreates the mirror pod at once and the container never stops)');
	assert.match(questionText({kind: 'delete-pods', component: kubeProxy, pods: ['kube-proxy-a']}, scope), /kubelet recreates/);
});

test('D offers the workload object only where there is one', () => {
	assert.deepEqual(componentChoices(kubeDns, ['a', 'b']).map(choice => choice.value), ['pods', 'workload']);
	assert.match(componentChoices(kubeDns, ['a', 'b'])[1]!.label, /the Deployment kube-dns itself/);
	assert.deepEqual(componentChoices(kubeProxy, ['a']).map(choice => choice.value), ['pods']);
	assert.deepEqual(componentChoices(componentRef('Pod', 'debug'), ['debug']).map(choice => choice.value), ['pods']);
});

test('requests become engine options that name the component by key', () => {
	assert.deepEqual(experimentTarget({kind: 'delete-pod', component: kubeProxy, pod: 'kube-proxy-a', mirror: true}), {component: 'static/kube-proxy', mode: 'pod', podName: 'kube-proxy-a'});
	assert.deepEqual(experimentTarget({kind: 'delete-workload', component: kubeDns, workloadKind: 'Deployment', pods: []}), {component: 'deployment/kube-dns', mode: 'workload'});
	assert.deepEqual(experimentTarget({kind: 'hammer', component: kubeDns, pods: [], forMs: 5000}), {component: 'deployment/kube-dns', mode: 'pods', hammerForMs: 5000});
	assert.deepEqual(experimentTarget({kind: 'kill-container', component: kubeDns, pod: 'p', container: 'c'}), {component: 'deployment/kube-dns', mode: 'pod', podName: 'p', containerKill: {pod: 'p', container: 'c'}});
});

test('a pod row that cannot be acted on says why', () => {
	const entry = (extra: object) => ({key: 'u', name: 'web-1', pod: {metadata: {name: 'web-1', namespace: 'kube-system'}}, firstSeenAt: 0, restartCount: 0, ready: true, terminating: false, ...extra});
	assert.match(podRowProblem({type: 'component', key: 'component:deployment/kube-dns', summary: {component: kubeDns, ready: 2, desired: 2, podCount: 2}}, 'kube-system')!, /select a pod first/);
	assert.equal(podRowProblem({type: 'pod', key: 'u', entry: entry({}), component: kubeDns}, 'kube-system'), undefined);
	assert.match(podRowProblem({type: 'pod', key: 'u', entry: entry({goneAt: 5}), component: kubeDns}, 'kube-system')!, /already gone/);
	assert.match(podRowProblem({type: 'pod', key: 'u', entry: entry({pod: {metadata: {name: 'web-1', namespace: 'default'}}}), component: kubeDns}, 'kube-system')!, /acts only in the namespace on screen/);
});
