import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {render} from 'ink-testing-library';
import {foldMeasurement, type MeasurementEvent} from '../../source/model/measurement.js';
import {bigClockText, bigDigits} from '../../source/ui/big-digits.js';
import {bigClockFits, RunningBanner, runningBannerHeight} from '../../source/ui/experiment-banner.js';
import {makeTheme} from '../../source/ui/theme.js';
import {pod, probes, t0} from '../report/records.js';

test('the big clock\'s text: seconds and tenths below a minute, minutes from one', () => {
	assert.equal(bigClockText(7400), '7.4');
	assert.equal(bigClockText(12_349), '12.3');
	assert.equal(bigClockText(65_300), '1:05.3');
});

test('block digits are five rows, each pixel two cells, so 7.4 reads as 7, a dot and 4', () => {
	assert.deepEqual(bigDigits('7.4'), [
		'██████      ██  ██',
		'    ██      ██  ██',
		'    ██      ██████',
		'    ██          ██',
		'    ██  ██      ██',
	]);
	assert.ok(bigDigits('10:59.9').every(line => line.length === bigDigits('10:59.9')[0]!.length));
});

test('the big clock fits from about 100×30, from 60×20 with --stage', () => {
	assert.equal(bigClockFits({columns: 80, rows: 24}, false), false);
	assert.equal(bigClockFits({columns: 100, rows: 30}, false), true);
	assert.equal(bigClockFits({columns: 160, rows: 29}, false), false);
	assert.equal(bigClockFits({columns: 80, rows: 24}, true), true);
});

/** kube-dns deleted at t0; end-to-end and DNS failing since +0.5 s, still down. */
function downSince500(): ReturnType<typeof foldMeasurement> {
	const a = pod('a', 'kube-dns-7df4cb66cb-9ft98');
	const events: MeasurementEvent[] = [
		{type: 'experiment-started', at: t0, component: 'kube-dns', action: {kind: 'delete-pods'}, pods: [a], victims: ['a'], limits: {timeoutMs: 180_000, settleMs: 5000}},
		...probes('end-to-end', -1000, 7500, 500, [[500, 60_000]]),
		...probes('dns', -1000, 7500, 500, [[500, 60_000]]),
	];
	return foldMeasurement(events.sort((x, y) => x.at - y.at));
}

test('while the path is down the banner draws OUTAGE and the seconds since the first failed probe in block digits', () => {
	const state = downSince500();
	const height = runningBannerHeight(state, 1, 100, true);
	assert.equal(height, 6, 'a title line over five rows of digits');
	const {lastFrame, unmount} = render(<RunningBanner state={state} component="kube-dns" now={t0 + 7900} height={height} columns={100} bigClock theme={makeTheme(true)}/>);
	const lines = lastFrame()!.split('\n');
	unmount();
	assert.match(lines[0]!, /OUTAGE · DNS/);
	const digits = bigDigits('7.4');
	for (const [index, row] of digits.entries()) {
		assert.ok(lines[index + 1]!.trimEnd().endsWith(row.trimEnd()), `row ${index + 1}: ${lines[index + 1]}`);
	}

	assert.match(lines[0]!, /^▶ kube-dns · t0 \+7\.9 s/);
});

test('without room for it, the clock stays the one-line OUTAGE stopwatch', () => {
	const state = downSince500();
	const height = runningBannerHeight(state, 1, 80, false);
	const {lastFrame, unmount} = render(<RunningBanner state={state} component="kube-dns" now={t0 + 7900} height={height} columns={80} theme={makeTheme(true)}/>);
	const frame = lastFrame()!;
	unmount();
	assert.match(frame, /OUTAGE 00:07\.4/);
	assert.ok(!frame.includes('██'));
});
