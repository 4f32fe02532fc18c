import {test} from 'node:test';
import assert from 'node:assert/strict';
import {shortPodName, stopwatchText} from '../../source/ui/experiment-banner.js';

test('small formats: the OUTAGE clock, short pod names', () => {
	assert.equal(stopwatchText(7400), '00:07.4');
	assert.equal(stopwatchText(61_050), '01:01.0');
	assert.equal(shortPodName('kube-dns-7df4cb66cb-9ft98', 'kube-dns'), 'kube-dns-…-9ft98');
	assert.equal(shortPodName('kube-proxy-node-a', 'kube-proxy'), 'kube-proxy-…-a');
	assert.equal(shortPodName('other', 'kube-dns'), 'other');
});
