import {test} from 'node:test';
import assert from 'node:assert/strict';
import {freeReportBase, reportBaseName, writeSessionReport, type NewFiles} from '../../source/report/session-files.js';
import {kubeDnsRecord} from './records.js';

test('report file names sort by time and have no colons', () => {
	assert.equal(reportBaseName(Date.UTC(2026, 10, 26, 15, 40, 12, 345)), 'knockdown-report-2026-11-26T15-40-12Z');
});

test('e never writes over a report: the next free name when either file is there', () => {
	const at = Date.UTC(2026, 10, 26, 15, 40, 12);
	const there = new Set(['/r/knockdown-report-2026-11-26T15-40-12Z.json', '/r/knockdown-report-2026-11-26T15-40-12Z-2.md']);
	assert.equal(freeReportBase('/r', at, file => there.has(file)), '/r/knockdown-report-2026-11-26T15-40-12Z-3');
	assert.equal(freeReportBase('/r', at, () => false), '/r/knockdown-report-2026-11-26T15-40-12Z');
});

test('the session is written as .md, .json, .svg and .html under the first free name', async () => {
	const at = Date.UTC(2026, 10, 26, 15, 40, 12);
	const written = new Map<string, string>([['/r/knockdown-report-2026-11-26T15-40-12Z.svg', 'an older picture']]);
	const files: NewFiles = {
		exists: file => written.has(file),
		async writeNew(file, text) {
			assert.ok(!written.has(file), `${file} written over`);
			written.set(file, text);
		},
	};
	const base = await writeSessionReport([kubeDnsRecord()], at, '/r', files);
	assert.equal(base, '/r/knockdown-report-2026-11-26T15-40-12Z-2');
	assert.deepEqual([...written.keys()].slice(1), ['.md', '.json', '.svg', '.html'].map(extension => `${base}${extension}`));
	const json = JSON.parse(written.get(`${base}.json`)!) as {experiments: Array<{component: string}>};
	assert.deepEqual(json.experiments.map(experiment => experiment.component), ['kube-dns']);
	assert.match(written.get(`${base}.svg`)!, /^<svg/);
});
