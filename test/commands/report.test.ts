import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {runCommand} from '../../source/commands/run.js';
import {buildConfig} from '../../source/config/config.js';
import {experimentJson, sessionJson} from '../../source/report/experiment-report.js';
import {componentRef} from '../../source/model/component.js';
import {sweepJson} from '../../source/report/sweep-report.js';
import {captureIo} from '../helpers/command-io.js';
import {parseXml, withAttribute} from '../helpers/xml.js';
import {fluentdRecord, kubeDnsRecord, t0} from '../report/records.js';

async function saved(io: {cwd: string}, name: string, value: unknown): Promise<string> {
	await writeFile(path.join(io.cwd, name), JSON.stringify(value));
	return name;
}

test('report renders a saved experiment again as SVG to --out, with no cluster', async () => {
	const io = captureIo();
	const file = await saved(io, 'kube-dns.json', experimentJson(kubeDnsRecord()));
	const code = await runCommand(buildConfig(['report', file], {format: 'svg', out: 'kube-dns.svg'}), io);
	assert.equal(code, 0, io.err());
	assert.equal(io.out(), `report written to ${path.join(io.cwd, 'kube-dns.svg')}\n`);
	const svg = parseXml(await readFile(path.join(io.cwd, 'kube-dns.svg'), 'utf8'));
	assert.equal(withAttribute(svg, 'data-lane', 'probe:end-to-end').length, 1);
});

test('report of an experiment and a session: one document with all three, in each format', async () => {
	const io = captureIo();
	const one = await saved(io, 'one.json', experimentJson(kubeDnsRecord()));
	const session = await saved(io, 'session.json', sessionJson([fluentdRecord(), kubeDnsRecord()], t0 + 60_000));
	const run = async (format: string) => {
		const captured = captureIo();
		const code = await runCommand(buildConfig(['report', one, session], {format}), {...captured, cwd: io.cwd});
		assert.equal(code, 0, captured.err());
		return captured.out();
	};

	const json = JSON.parse(await run('json')) as {schema: string; experiments: Array<{component: string}>};
	assert.equal(json.schema, 'knockdown.session/v1');
	assert.deepEqual(json.experiments.map(experiment => experiment.component), ['kube-dns', 'fluentd-gcp-v3.2.0', 'kube-dns']);
	assert.equal((await run('md')).match(/^## /gm)?.length, 3);
	assert.equal(parseXml(await run('svg')).children.filter(child => child.name === 'svg').length, 3);
	assert.equal((await run('html')).match(/<svg xmlns/g)?.length, 3);
});

test('report of a sweep renders the sweep; a report written before the pictures existed still renders', async () => {
	const io = captureIo();
	const sweep = sweepJson({
		namespace: 'kube-system', mode: 'pods', startedAt: t0, finishedAt: t0 + 60_000, nodeCount: 3,
		entries: [{component: componentRef('Deployment', 'kube-dns'), podCount: 2, record: kubeDnsRecord()}],
	});
	// As an older knockdown wrote it: no result line, no probe layers, no function impact.
	const old = {...sweep, rows: sweep.rows.map(row => {
		if (!row.experiment) {
			return row;
		}

		const {result: _result, probeLayers: _layers, functionImpact: _function, ...experiment} = row.experiment;
		return {...row, experiment};
	})};
	const file = await saved(io, 'sweep.json', old);
	const code = await runCommand(buildConfig(['report', file], {format: 'svg'}), io);
	assert.equal(code, 0, io.err());
	const svg = parseXml(io.out());
	assert.equal(withAttribute(svg, 'data-kind', 'service-outage').length, 1);
});

test('report of what is not a knockdown report, or a missing file: one line, exit 2', async () => {
	const io = captureIo();
	await writeFile(path.join(io.cwd, 'other.json'), '{"kind":"Pod"}');
	await writeFile(path.join(io.cwd, 'broken.json'), '{');
	for (const [file, message] of [
		['other.json', /^knockdown: other\.json is not a knockdown report \(its schema is missing; expected knockdown\.experiment\/v1/],
		['broken.json', /^knockdown: broken\.json is not JSON: /],
		['missing.json', /^knockdown: cannot read missing\.json: no such file$/],
	] as const) {
		const captured = captureIo();
		const code = await runCommand(buildConfig(['report', file], {}), {...captured, cwd: io.cwd});
		assert.equal(code, 2);
		assert.equal(captured.err().trim().split('\n').length, 1);
		assert.match(captured.err().trim(), message);
		assert.equal(captured.out(), '');
	}
});
