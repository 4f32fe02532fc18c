import {test} from 'node:test';
import assert from 'node:assert/strict';
import {componentRef} from '../../source/model/component.js';
import {experimentJson} from '../../source/report/experiment-report.js';
import {experimentsHtml, sweepHtml} from '../../source/report/html-report.js';
import {sweepJson} from '../../source/report/sweep-report.js';
import {sweepSvg} from '../../source/report/sweep-svg.js';
import {allElements, numberAttribute, parseXml, withAttribute, type XmlElement} from '../helpers/xml.js';
import {fluentdRecord, kubeDnsRecord, t0} from './records.js';

function report() {
	return sweepJson({
		namespace: 'kube-system',
		mode: 'pods',
		startedAt: t0,
		finishedAt: t0 + 60_000,
		nodeCount: 3,
		entries: [
			{component: componentRef('DaemonSet', 'fluentd-gcp-v3.2.0'), podCount: 3, record: fluentdRecord()},
			{component: componentRef('Deployment', 'kube-dns'), podCount: 2, record: kubeDnsRecord()},
		],
	});
}

function row(svg: XmlElement, name: string): XmlElement {
	const [found] = withAttribute(svg, 'data-row', name);
	assert.ok(found, `a row for ${name}`);
	return found;
}

test('the sweep picture: a row per component, the outage bar as long as the outage, its whisker spanning ± the bound', () => {
	const sweep = report();
	const svg = parseXml(sweepSvg(sweep));
	assert.deepEqual(allElements(svg).map(element => element.attributes['data-row']).filter(Boolean), ['kubelet', 'kube-dns', 'fluentd-gcp-v3.2.0']);
	const dns = row(svg, 'kube-dns');
	const [service] = withAttribute(dns, 'data-kind', 'service-outage');
	const [serviceBound] = withAttribute(dns, 'data-kind', 'service-bound');
	const [function_] = withAttribute(dns, 'data-kind', 'function-outage');
	assert.equal(numberAttribute(service, 'data-ms'), 9000);
	assert.equal(numberAttribute(function_, 'data-ms'), 8500);
	const pxPerMs = numberAttribute(service, 'width') / 9000;
	assert.ok(Math.abs(numberAttribute(function_, 'width') - (8500 * pxPerMs)) < 0.05, 'one axis for both bars');
	assert.equal(numberAttribute(serviceBound, 'data-low-ms'), 8500);
	assert.equal(numberAttribute(serviceBound, 'data-high-ms'), 9500);
	const [low, high] = [...(serviceBound.attributes.d ?? '').matchAll(/M([\d.]+),/g)].slice(1).map(match => Number(match[1]));
	assert.ok(Math.abs(high! - low! - (1000 * pxPerMs)) < 0.05, 'the whisker is 2 × 0.5 s wide');
	// Recovery on the same axis: recovered at +9.3 s, the first replacement Ready at +6.1 s.
	const [recovery] = withAttribute(dns, 'data-kind', 'recovery');
	assert.ok(Math.abs(numberAttribute(recovery, 'x2') - numberAttribute(recovery, 'x1') - (9300 * pxPerMs)) < 0.05);
	// No outage, no bar; the talk's claim held either way.
	assert.equal(withAttribute(row(svg, 'fluentd-gcp-v3.2.0'), 'data-kind', 'service-outage').length, 0);
	assert.equal(withAttribute(dns, 'data-kind', 'held-confirmed').length, 1);
	assert.equal(withAttribute(row(svg, 'kubelet'), 'data-kind', 'held-unmeasured').length, 1);
});

test('the rows are coloured and textured by verdict', () => {
	const svg = parseXml(sweepSvg(report()));
	const chip = (name: string) => withAttribute(row(svg, name), 'data-kind', 'verdict-chip')[0]!.attributes.class;
	assert.match(chip('kube-dns')!, /look-verdict-impact/);
	assert.match(chip('fluentd-gcp-v3.2.0')!, /look-verdict-none/);
	assert.match(chip('kubelet')!, /look-verdict-unknown/);
});

/** Each top-level inline <svg>…</svg> of an HTML page. */
function inlineSvgs(html: string): string[] {
	return [...html.matchAll(/<svg xmlns[\s\S]*?<\/svg>(?=\n|$)/g)].map(match => match[0]);
}

test('the HTML pages hold the pictures inline, each well-formed with its own ids, and no script or outside file', () => {
	const sweep = report();
	const page = sweepHtml(sweep);
	assert.match(page, /^<!doctype html>/);
	assert.doesNotMatch(page, /<script|<link|src=|href=|@import/);
	const pictures = inlineSvgs(page);
	assert.equal(pictures.length, 3, 'the sweep and one per experiment');
	const ids = pictures.map(picture => parseXml(picture).attributes.id);
	assert.equal(new Set(ids).size, 3);
	assert.match(page, /<td>service outage 9\.0 s ± 0\.5 s \(DNS\)<\/td>/);

	const experiments = experimentsHtml([experimentJson(kubeDnsRecord()), experimentJson(fluentdRecord())]);
	assert.equal(inlineSvgs(experiments).length, 2);
	for (const picture of inlineSvgs(experiments)) {
		parseXml(picture);
	}
});
