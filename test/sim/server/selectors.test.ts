import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildMatcher, parseFieldSelector, parseLabelSelector, pinnedName} from '../../../source/sim/server/selectors.js';
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
	assert.equal(pinnedName('pods', 'metadata.name=x,status.phase=Running'), 'x');
	assert.equal(pinnedName('pods', 'metadata.name!=x'), undefined);
	assert.equal(pinnedName('pods', 'status.phase=Running'), undefined);
});

test('the namespace of the request is part of the match', () => {
	assert.equal(buildMatcher('pods', 'default', undefined, undefined)(dns), false);
	assert.equal(buildMatcher('pods', 'kube-system', undefined, undefined)(dns), true);
});

const badRequest = (message: string | RegExp) => (error: unknown) =>
	error instanceof ApiError && error.code === 400 && error.reason === 'BadRequest' && (typeof message === 'string' ? error.message === message : message.test(error.message));

test('label selectors: gt and lt compare integer values; keywords as values; whitespace anywhere between tokens', () => {
	const numbered = [pod('a', {rank: '3'}), pod('b', {rank: '10'}), pod('c', {rank: 'x'}), pod('d', {})];
	const match = (selector: string) => numbered.filter(buildMatcher('pods', undefined, selector, undefined)).map(object => object.metadata.name);
	assert.deepEqual(match('rank>5'), ['b']);
	assert.deepEqual(match('rank < 5'), ['a']);
	assert.deepEqual(match('rank>0,rank<4'), ['a']);
	assert.deepEqual(match('rank notin (3, 10)'), ['c', 'd']);
	assert.deepEqual(match('  rank  =  x  '), ['c']);
	assert.deepEqual(match('rank='), []);
	assert.deepEqual(match('rank in (in,notin)'), []);
	assert.deepEqual(match('rank in ()'), []);
	assert.deepEqual(match('rank notin ()'), ['a', 'b', 'c', 'd']);
});

test('label selector errors carry the messages of the real parser, as 400 BadRequest', () => {
	assert.throws(() => parseLabelSelector('a b c'), badRequest("unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"));
	// A label value, even one compared as a number, must be a valid label value.
	assert.throws(() => parseLabelSelector('rank>-1'), badRequest(/^unable to parse requirement: values\[0\]\[rank\]: Invalid value: "-1"/));
	assert.throws(() => parseLabelSelector('x=a,'), badRequest("found '', expected: identifier after ','"));
	assert.throws(() => parseLabelSelector('=a'), badRequest("found '=', expected: !, identifier, or 'end of string'"));
	assert.throws(() => parseLabelSelector('a in b'), badRequest("unable to parse requirement: found 'b' expected: '('"));
	assert.throws(() => parseLabelSelector('a in (b'), badRequest("unable to parse requirement: found '', expected: ',' or ')'"));
	assert.throws(() => parseLabelSelector('a>b'), badRequest(/^unable to parse requirement: values\[0\]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer/));
	assert.throws(() => parseLabelSelector('-a=b'), badRequest(/^unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters/));
	assert.throws(() => parseLabelSelector('Example.com/a=b'), badRequest(/^unable to parse requirement: <nil>: Invalid value: "Example.com\/a": prefix part a lowercase RFC 1123 subdomain/));
	assert.throws(() => parseLabelSelector('a=b c'), badRequest("found 'c', expected: ',' or 'end of string'"));
	assert.throws(() => parseLabelSelector('a=-b'), badRequest(/^unable to parse requirement: values\[0\]\[a\]: Invalid value: "-b": a valid label must be an empty string/));
	assert.throws(() => parseLabelSelector('a=>1'), badRequest("unable to parse requirement: found '>', expected: identifier"));
	assert.throws(() => parseLabelSelector('a!'), badRequest("unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"));
	assert.deepEqual(parseLabelSelector('example.com/role in (a,,b)'), [{op: 'in', key: 'example.com/role', values: new Set(['a', '', 'b'])}]);
});

test('field selectors: escapes, no trimming, the first operator from the left, per-resource field labels', () => {
	const named = (name: string) => pod(name, {});
	const match = (selector: string) => [named('a,b'), named('a=b'), named('plain')].filter(buildMatcher('pods', undefined, undefined, selector)).map(object => object.metadata.name);
	assert.deepEqual(match('metadata.name=a\\,b'), ['a,b']);
	assert.deepEqual(match('metadata.name==a\\=b'), ['a=b']);
	assert.deepEqual(match('metadata.name!=plain,'), ['a,b', 'a=b']);
	assert.throws(() => parseFieldSelector('pods', 'metadata.name = plain'), badRequest('field label not supported: metadata.name '));
	assert.throws(() => parseFieldSelector('pods', 'metadata.name=a=b'), badRequest('invalid field selector: unescaped character in value: 61'));
	assert.throws(() => parseFieldSelector('pods', 'metadata.name=a\\b'), badRequest('invalid field selector: invalid escape sequence: \\b'));
	assert.throws(() => parseFieldSelector('pods', 'metadata.name'), badRequest("invalid selector: 'metadata.name'; can't understand 'metadata.name'"));
	assert.deepEqual(parseFieldSelector('pods', 'spec.host=n1'), [{path: 'spec.nodeName', value: 'n1', negate: false}]);
	assert.deepEqual(parseFieldSelector('services', 'spec.type=ClusterIP'), [{path: 'spec.type', value: 'ClusterIP', negate: false}]);
	assert.throws(() => parseFieldSelector('deployments', 'spec.replicas=1'), badRequest('"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'));
	assert.throws(() => parseFieldSelector('nodes', 'metadata.namespace=x'), badRequest('field label not supported: metadata.namespace'));
});
