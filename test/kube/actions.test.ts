import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ActionError, kubeDeleter} from '../../source/kube/actions.js';
import {connectionFromString} from '../../source/kube/connect.js';
import {serveCluster} from '../../source/sim/server/index.js';
import {createFakeCluster} from '../helpers/fake-cluster.js';

// client-node 1.x refuses plain http unless the cluster says insecure-skip-tls-verify.
function reachable(kubeconfig: string): string {
	return kubeconfig.includes('insecure-skip-tls-verify') ? kubeconfig : kubeconfig.replace(/^(\s+)server: (.*)$/m, '$1server: $2\n$1insecure-skip-tls-verify: true');
}

async function served(forbid: string[] = []) {
	const cluster = createFakeCluster();
	const handle = await serveCluster(cluster, {forbid});
	return {cluster, handle, deleter: kubeDeleter(connectionFromString(reachable(handle.kubeconfig)), 'kube-system')};
}

test('deletes pods and workloads through the API, in its own namespace only', async () => {
	const {cluster, handle, deleter} = await served();
	try {
		await deleter.deletePods('kube-system', ['kube-dns-788979dc8f-aaaaa', 'kube-dns-788979dc8f-bbbbb']);
		for (const name of ['kube-dns-788979dc8f-aaaaa', 'kube-dns-788979dc8f-bbbbb']) {
			assert.ok(cluster.store.get('pods', 'kube-system', name)?.metadata.deletionTimestamp, `${name} is terminating`);
		}

		await deleter.deleteWorkload('kube-system', 'Deployment', 'kube-dns');
		assert.equal(cluster.store.get('deployments', 'kube-system', 'kube-dns'), undefined);

		await assert.rejects(deleter.deletePod('default', 'frontend-abc-xxxxx'), (error: unknown) =>
			error instanceof ActionError && /refusing to act in namespace "default"/.test(error.message));
		assert.equal(cluster.store.get('pods', 'default', 'frontend-abc-xxxxx')?.metadata.deletionTimestamp, undefined, 'nothing happened outside kube-system');
	} finally {
		await handle.stop();
	}
});

test('a forbidden delete is one sentence starting with "forbidden:"', async () => {
	const {cluster, handle, deleter} = await served(['delete:pods']);
	try {
		await assert.rejects(deleter.deletePod('kube-system', 'kube-proxy-node-a'), (error: unknown) => {
			assert.ok(error instanceof ActionError);
			assert.match(error.message, /^forbidden: /);
			assert.doesNotMatch(error.message, /\n/);
			return true;
		});
		assert.equal(cluster.store.get('pods', 'kube-system', 'kube-proxy-node-a')?.metadata.deletionTimestamp, undefined);
	} finally {
		await handle.stop();
	}
});

test('kill 1 goes to the container through exec, and a failure says so', async () => {
	const {cluster, handle, deleter} = await served();
	try {
		// The fake cluster's images know no `kill`: exit code 127.
		await assert.rejects(deleter.killMainProcess('kube-system', 'kube-dns-788979dc8f-aaaaa', 'dnsmasq'), /kill 1 in kube-dns-788979dc8f-aaaaa\/dnsmasq failed/);
		assert.deepEqual(cluster.execCalls.at(-1), {namespace: 'kube-system', pod: 'kube-dns-788979dc8f-aaaaa', container: 'dnsmasq', command: ['kill', '1']});
	} finally {
		await handle.stop();
	}
});
