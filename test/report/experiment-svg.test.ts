import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {ExperimentRecord} from '../../source/experiment/engine.js';
import {componentRef} from '../../source/model/component.js';
import {foldMeasurement, type MeasurementEvent} from '../../source/model/measurement.js';
import {experimentJson} from '../../source/report/experiment-report.js';
import {experimentLanes, experimentLegend, experimentSvg, experimentsSvg, nodeEventsOf, type PictureExperiment} from '../../source/report/experiment-svg.js';
import {allElements, numberAttribute, parseXml, withAttribute, type XmlElement} from '../helpers/xml.js';
import {fluentdRecord, kubeDnsRecord, pod, probes, t0, ticks} from './records.js';

/** kube-dns with two end-to-end windows: probes failing from +0.5 s to +6.0 s (5.5 s) and at +9.0 s (0.5 s); DNS slow from +12 s to +13 s. */
function twoWindowsRecord(): ExperimentRecord {
	const a = pod('a', 'kube-dns-7df4cb66cb-9ft98');
	const b = pod('b', 'kube-dns-7df4cb66cb-wvhpz');
	const slow: MeasurementEvent[] = [12_000, 12_500].map(at => ({type: 'probe-result', at: t0 + at + 1500, result: {layer: 'dns', sentAt: t0 + at, outcome: 'slow', latencyMs: 1500}}));
	const dns = probes('dns', -2000, 20_000, 500, [[500, 5500]]).filter(event => event.type !== 'probe-result' || ![12_000, 12_500].includes(event.result.sentAt - t0));
	const events: MeasurementEvent[] = [
		{type: 'experiment-started', at: t0, component: 'kube-dns', action: {kind: 'delete-pods'}, pods: [a, b], victims: ['a', 'b'], limits: {timeoutMs: 180_000, settleMs: 5000}},
		{type: 'pod-seen', at: t0 + 20, pod: {...a, terminating: true}},
		{type: 'pod-seen', at: t0 + 21, pod: {...b, terminating: true}},
		{type: 'pod-seen', at: t0 + 200, pod: pod('c', 'kube-dns-7df4cb66cb-x1', {ready: false, phase: 'Pending', scheduled: false, nodeName: undefined})},
		{type: 'pod-seen', at: t0 + 250, pod: pod('d', 'kube-dns-7df4cb66cb-x2', {ready: false})},
		{type: 'pod-seen', at: t0 + 300, pod: pod('c', 'kube-dns-7df4cb66cb-x1', {ready: false, phase: 'Pending'})},
		{type: 'pod-deleted', at: t0 + 2000, uid: 'a', name: a.name},
		{type: 'pod-seen', at: t0 + 2000, pod: pod('c', 'kube-dns-7df4cb66cb-x1', {ready: false})},
		{type: 'pod-deleted', at: t0 + 2100, uid: 'b', name: b.name},
		{type: 'pod-seen', at: t0 + 4100, pod: pod('c', 'kube-dns-7df4cb66cb-x1')},
		{type: 'pod-seen', at: t0 + 5300, pod: pod('d', 'kube-dns-7df4cb66cb-x2')},
		...probes('end-to-end', -2000, 20_000, 500, [[500, 6000], [9000, 9500]]),
		...dns,
		...slow,
		...ticks(20_000),
	];
	const measurement = foldMeasurement(events.sort((x, y) => x.at - y.at));
	return {namespace: 'kube-system', component: componentRef('Deployment', 'kube-dns'), mode: 'pods', podCount: 2, measurement, interrupted: false};
}

function lane(svg: XmlElement, key: string): XmlElement {
	const [found] = withAttribute(svg, 'data-lane', key);
	assert.ok(found, `a lane ${key}`);
	return found;
}

function width(element: XmlElement): number {
	return numberAttribute(element, 'width');
}

test('the SVG is well-formed XML, self-contained: no script, no external file or font, every pattern it uses defined', () => {
	for (const record of [kubeDnsRecord(), fluentdRecord(), twoWindowsRecord()]) {
		const text = experimentSvg(experimentJson(record));
		const svg = parseXml(text);
		assert.equal(svg.name, 'svg');
		assert.equal(svg.attributes.xmlns, 'http://www.w3.org/2000/svg');
		const elements = allElements(svg);
		assert.ok(!elements.some(element => element.name === 'script' || element.name === 'image' || element.name === 'foreignObject'));
		assert.ok(!elements.some(element => Object.keys(element.attributes).some(name => name.startsWith('on') || name.endsWith('href'))), 'no handlers, no links');
		assert.doesNotMatch(text, /@import|@font-face|url\((?!#)/, 'no external style, font or image');
		const ids = new Set(elements.map(element => element.attributes.id).filter(Boolean));
		const used = [...text.matchAll(/url\(#([^)]+)\)/g)].map(match => match[1]);
		assert.ok(used.length > 0);
		for (const id of used) {
			assert.ok(ids.has(id), `pattern ${id} is defined`);
		}
	}
});

test('every victim and every replacement has its lane, and every probed layer', () => {
	const json = experimentJson(kubeDnsRecord());
	const svg = parseXml(experimentSvg(json));
	const lanes = allElements(svg).map(element => element.attributes['data-lane']).filter(Boolean);
	assert.deepEqual(lanes, [
		'victim:kube-dns-7df4cb66cb-9ft98',
		'victim:kube-dns-7df4cb66cb-wvhpz',
		'replacement:kube-dns-7df4cb66cb-x1',
		'replacement:kube-dns-7df4cb66cb-x2',
		'probe:dns',
		'probe:end-to-end',
	]);
	// A replacement shows each step: pending, scheduled, running (not Ready), Ready, with a mark each.
	const x1 = lane(svg, 'replacement:kube-dns-7df4cb66cb-x1');
	assert.deepEqual(allElements(x1).map(element => element.attributes['data-kind']).filter(Boolean), [
		'pending', 'scheduled', 'starting', 'ready', 'mark-created', 'mark-scheduled', 'mark-running', 'mark-ready',
	]);
	// A victim: running until terminating, terminating until gone.
	const victim = lane(svg, 'victim:kube-dns-7df4cb66cb-9ft98');
	assert.deepEqual(allElements(victim).map(element => element.attributes['data-kind']).filter(Boolean), ['victim-running', 'terminating', 'mark-terminating', 'mark-gone']);
});

test('geometry follows the data: a 5.5 s window is 11× as wide as a 0.5 s one on the same axis; the band spans [L1 − max, L1]', () => {
	const json = experimentJson(twoWindowsRecord());
	const endToEnd = json.outages.filter(outage => outage.layer === 'end-to-end');
	assert.deepEqual(endToEnd.map(outage => outage.durationMs), [5500, 500]);
	const svg = parseXml(experimentSvg(json));
	const path = lane(svg, 'probe:end-to-end');
	const [long, short] = withAttribute(path, 'data-kind', 'failing');
	assert.ok(Math.abs((width(long) / width(short)) - 11) < 0.01, `${width(long)} / ${width(short)}`);
	const pxPerMs = width(long) / 5500;
	// The second window started at +9.0 s, 3.0 s after the first ended.
	assert.ok(Math.abs(numberAttribute(short, 'x') - numberAttribute(long, 'x') - (8500 * pxPerMs)) < 0.05);

	const bands = withAttribute(path, 'data-kind', 'band');
	assert.equal(bands.length, 2);
	for (const [index, band] of bands.entries()) {
		const outage = endToEnd[index];
		const failing = index === 0 ? long : short;
		// The true outage lies between min and max: the band is max wide and ends where the measured window ends (L1).
		assert.ok(Math.abs(width(band) - (outage.maxMs! * pxPerMs)) < 0.05, `band ${index} is ${outage.maxMs} ms wide`);
		assert.ok(Math.abs((numberAttribute(band, 'x') + width(band)) - (numberAttribute(failing, 'x') + width(failing))) < 0.05, 'it ends at L1');
		assert.ok(numberAttribute(band, 'x') <= numberAttribute(failing, 'x'), 'it begins at or before F0');
		assert.ok(width(band) >= outage.minMs * pxPerMs, 'it holds the shortest possible outage');
	}

	// The service outage is also a column behind every lane, over the measured windows.
	const columns = withAttribute(svg, 'data-kind', 'outage-column');
	assert.deepEqual(columns.map(column => Math.round(width(column))), [Math.round(width(long)), Math.round(width(short))]);
	// The t0 line stands 0.5 s before the first window.
	const [t0Line] = withAttribute(svg, 'data-kind', 't0');
	assert.ok(Math.abs(numberAttribute(long, 'x') - numberAttribute(t0Line, 'x1') - (500 * pxPerMs)) < 0.05);
});

test('slow probes are their own window on their layer\'s lane, not a failure', () => {
	const json = experimentJson(twoWindowsRecord());
	const dns = json.probeLayers.find(layer => layer.layer === 'dns');
	assert.deepEqual(dns?.slow, [{startMs: 12_000, endMs: 13_000}]);
	const svg = parseXml(experimentSvg(json));
	const [slow] = withAttribute(lane(svg, 'probe:dns'), 'data-kind', 'slow');
	const [failing] = withAttribute(lane(svg, 'probe:dns'), 'data-kind', 'failing');
	assert.ok(Math.abs((width(slow) / width(failing)) - (1000 / 5000)) < 0.01);
});

test('the title is the verdict and the result line; light and dark come from the viewer unless a theme is asked', () => {
	const json = experimentJson(kubeDnsRecord());
	const text = experimentSvg(json);
	const svg = parseXml(text);
	const title = svg.children.find(child => child.name === 'title');
	assert.equal(title?.text, `SERVICE IMPACT: ${json.result}`);
	assert.match(json.result, /^kube-dns · 2 pods deleted · service outage 9\.0 s ± 0\.5 s \(DNS\)/);
	assert.match(text, /@media \(prefers-color-scheme: dark\)/);
	assert.doesNotMatch(experimentSvg(json, {theme: 'light'}), /prefers-color-scheme/);
	assert.notEqual(experimentSvg(json, {theme: 'light'}), experimentSvg(json, {theme: 'dark'}));
});

test('a node experiment gets a lane for its node with a mark per node event, in time order', () => {
	const json: PictureExperiment = {
		...experimentJson(kubeDnsRecord()),
		action: 'stop-kubelet',
		node: {name: 'node-a', forMs: 60_000, stopRunningMs: 2000, notReadyMs: 42_000, kubeletBackMs: 62_000, readyAgainMs: 64_000},
	};
	assert.deepEqual(nodeEventsOf(json).map(event => `${event.text}@${event.atMs}`), ['kubelet stopped@2000', 'NotReady@42000', 'kubelet back@62000', 'Ready@64000']);
	const lanes = experimentLanes(json);
	assert.deepEqual(lanes.filter(item => item.group === 'nodes').map(item => item.key), ['node:node-a']);
	const svg = parseXml(experimentSvg(json));
	assert.equal(withAttribute(lane(svg, 'node:node-a'), 'data-kind', 'mark-event').length, 4);
});

test('several experiments stack into one well-formed SVG, each with its own ids', () => {
	const text = experimentsSvg([experimentJson(kubeDnsRecord()), experimentJson(fluentdRecord())]);
	const svg = parseXml(text);
	const inner = svg.children.filter(child => child.name === 'svg');
	assert.deepEqual(inner.map(child => child.attributes.id), ['knockdown-experiment-1', 'knockdown-experiment-2']);
	assert.equal(Number(inner[1].attributes.y), Number(inner[0].attributes.height));
	assert.equal(Number(svg.attributes.height), Number(inner[0].attributes.height) + Number(inner[1].attributes.height));
});

test('the legend explains what the picture draws: a quiet experiment has no failing window or band to explain', () => {
	const labels = (record: ExperimentRecord) => experimentLegend(experimentLanes(experimentJson(record))).map(item => item.label);
	assert.ok(labels(kubeDnsRecord()).includes('failing (measured window)'));
	assert.ok(labels(kubeDnsRecord()).includes('true outage lies within'));
	assert.ok(!labels(fluentdRecord()).includes('failing (measured window)'));
	assert.ok(!labels(fluentdRecord()).includes('true outage lies within'));
	assert.ok(labels(fluentdRecord()).includes('Ready'));
});
