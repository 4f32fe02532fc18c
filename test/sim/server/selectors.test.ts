import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildMatcher, parseLabelSelector, pinnedName} from '../../../source/sim/server/selectors.js';
import {ApiError} from '../../../source/sim/server/status.js';
import type {KubeObject} from '../../../source/sim/store.js';

function pod(name: string, labels: Record<string, string>, extra: Partial<KubeObject> = {}): KubeObject {
	return {apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace: 'kube-system', labels}, ...extra};
}

const dns = pod('kube-dns-1', {'k8s-app': 'kube-dns', tier: 'node'}, {spec: {nodeName: 'n1'}, status: {phase: 'Running'}});
const proxy = pod('kube-proxy-n1', {component: 'kube-proxy', tier: 'node'}, {spec: {nodeName: 'n2'}, status: {phase: 'Pending'}});

test('label selectors: =, ==, !=, in, notin, exists, !key, and commas inside parentheses', () => {
	const match = (selector: string) => [dns, proxy].filter(buildMatcher('pods', undefined, selector, undefined)).map(object => object.metadata.name);
	assert.deepEqual(match('k8s-app=kube-dns'), ['kube-dns-1']);
	assert.deepEqual(match('k8s-app==kube-dns'), ['kube-dns-1']);
	assert.deepEqual(match('k8s-app!=kube-dns'), ['kube-proxy-n1']);
	assert.deepEqual(match('component in (kube-proxy,other)'), ['kube-proxy-n1']);
	assert.deepEqual(match('component notin (kube-proxy, other),tier=node'), ['kube-dns-1']);
	assert.deepEqual(match('component'), ['kube-proxy-n1']);
	assert.deepEqual(match('!component'), ['kube-dns-1']);
	assert.deepEqual(match(''), ['kube-dns-1', 'kube-proxy-n1']);
	assert.throws(() => parseLabelSelector('a b c'), ApiError);
});

test('field selectors: name, namespace, spec.nodeName, status.phase; unsupported fields are a 400', () => {
	const match = (selector: string) => [dns, proxy].filter(buildMatcher('pods', undefined, undefined, selector)).map(object => object.metadata.name);
	assert.deepEqual(match('metadata.name=kube-proxy-n1'), ['kube-proxy-n1']);
	assert.deepEqual(match('spec.nodeName=n1'), ['kube-dns-1']);
	assert.deepEqual(match('status.phase!=Running'), ['kube-proxy-n1']);
	assert.deepEqual(match('metadata.namespace=default'), []);
	assert.throws(() => buildMatcher('pods', undefined, undefined, 'spec.bogus=1'), (error: unknown) => error instanceof ApiError && error.code === 400 && /field label not supported: spec.bogus/.test(error.message));
	const event: KubeObject = {apiVersion: 'v1', kind: 'Event', metadata: {name: 'e', namespace: 'kube-system'}, involvedObject: {kind: 'Pod', name: 'kube-dns-1'}};
	assert.equal(buildMatcher('events', undefined, undefined, 'involvedObject.name=kube-dns-1,involvedObject.kind=Pod')(event), true);
	assert.equal(buildMatcher('events', undefined, undefined, 'involvedObject.name=other')(event), false);
	assert.equal(pinnedName('metadata.name=x,status.phase=Running'), 'x');
	assert.equal(pinnedName('status.phase=Running'), undefined);
});

test('the namespace of the request is part of the match', () => {
	assert.equal(buildMatcher('pods', 'default', undefined, undefined)(dns), false);
	assert.equal(buildMatcher('pods', 'kube-system', undefined, undefined)(dns), true);
});
