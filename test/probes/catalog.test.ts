import {test} from 'node:test';
import assert from 'node:assert/strict';
import {functionLayerOf, inDisplayOrder, pathLayers, probeCatalog, probeLayers, shortLayerLabel} from '../../source/probes/catalog.js';

test('the path is the catalog order of the layers a request crosses; function probes are not on it', () => {
	assert.deepEqual(pathLayers, ['frontend-endpoints', 'redis-endpoints', 'dns', 'end-to-end']);
	assert.ok(probeLayers.includes('metrics-api') && !pathLayers.includes('metrics-api'));
});

test('a killed component maps to the probe of its own job, and only that component', () => {
	assert.equal(functionLayerOf('kube-dns'), 'dns');
	assert.equal(functionLayerOf('coredns'), 'dns');
	assert.equal(functionLayerOf('metrics-server-v0.7.1'), 'metrics-api');
	assert.equal(functionLayerOf('kube-dns-autoscaler'), undefined);
	assert.equal(functionLayerOf('kube-proxy'), undefined);
});

test('short labels fit the compact panel\'s 12-character column', () => {
	for (const layer of probeLayers) {
		assert.ok(shortLayerLabel(layer).length <= 12, `${layer}: ${shortLayerLabel(layer)}`);
	}
});

test('only the endpoints layers ask nothing but the API server', () => {
	assert.deepEqual(probeLayers.filter(layer => probeCatalog[layer].asksOnlyApiServer), ['frontend-endpoints', 'redis-endpoints']);
});

test('any set of layers comes back in display order, each once', () => {
	assert.deepEqual(inDisplayOrder(['metrics-api', 'end-to-end', 'dns', 'end-to-end']), ['dns', 'end-to-end', 'metrics-api']);
});
