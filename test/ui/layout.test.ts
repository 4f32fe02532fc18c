import {test} from 'node:test';
import assert from 'node:assert/strict';
import {computeLayout, podColumns} from '../../source/ui/layout.js';

test('80×24: one frame line less than the terminal; table, events, status and footer stacked', () => {
	const layout = computeLayout({columns: 80, rows: 24});
	assert.equal(layout.wide, false);
	assert.equal(layout.height, 23);
	assert.equal(layout.header + layout.table.height + layout.panel.height + layout.events.height + layout.status + layout.footer, 23);
	assert.equal(layout.viewportRows, layout.table.height - 1);
	assert.ok(layout.viewportRows >= 12, 'a dozen rows of pods at least');
});

test('160×50: the events (and the health panel) go to a right-hand column', () => {
	const layout = computeLayout({columns: 160, rows: 50}, {panelHeight: 12});
	assert.equal(layout.wide, true);
	assert.equal(layout.table.width + 1 + layout.events.width, 160);
	assert.equal(layout.panel.width, layout.events.width);
	assert.equal(layout.panel.height, 12);
	assert.equal(layout.panel.height + layout.events.height, layout.table.height);
	assert.equal(layout.viewportRows, 50 - 1 - 2 - 1 - 1 - 1);
});

test('narrow with a health panel: the table keeps at least half the body', () => {
	const layout = computeLayout({columns: 80, rows: 24}, {panelHeight: 10, bannerHeight: 3});
	const body = layout.height - layout.header - layout.banner - layout.status - layout.footer;
	assert.equal(layout.banner, 3);
	assert.ok(layout.table.height >= body / 2);
	assert.equal(layout.table.height + layout.panel.height + layout.events.height, body);
});

test('pod columns: the short ones as wide as their widest value; the name before the node', () => {
	const roomy = podColumns(117, {name: 46, node: 35, ready: 3, status: 7, restarts: 1, age: 4});
	assert.equal(roomy.name, 46, 'a whole kube-proxy pod name');
	assert.ok(roomy.node >= 35, 'a whole GKE node name');
	assert.equal(roomy.status, 'STATUS'.length + 1);
	const tight = podColumns(80, {name: 46, node: 35, ready: 3, status: 17, restarts: 11, age: 4});
	assert.equal(tight.status, 17);
	assert.equal(tight.restarts, 11);
	assert.ok(tight.node >= 8 && tight.name >= 25);
	assert.equal(3 + tight.name + tight.ready + tight.status + tight.restarts + tight.age + tight.node + 6, 80);
	assert.equal(podColumns(60, {name: 46, node: 35}).node, 0, 'no node column when it cannot be useful');
});

test('with no events yet the events panel shrinks to its title and the table gets the rows', () => {
	const withEvents = computeLayout({columns: 80, rows: 24});
	const without = computeLayout({columns: 80, rows: 24}, {noEvents: true});
	assert.equal(without.events.height, 2);
	assert.equal(without.table.height - withEvents.table.height, withEvents.events.height - 2);
});

test('--stage drops the events list: its rows go to the table (narrow) or the panel may take the column (wide)', () => {
	const normal = computeLayout({columns: 100, rows: 30}, {panelHeight: 6});
	const stage = computeLayout({columns: 100, rows: 30}, {panelHeight: 6, hideEvents: true});
	assert.equal(stage.events.height, 0);
	assert.equal(stage.table.height + stage.panel.height, normal.table.height + normal.panel.height + normal.events.height);
	const wide = computeLayout({columns: 160, rows: 50}, {panelHeight: 40, hideEvents: true});
	assert.equal(wide.events.height, 0);
	assert.equal(wide.panel.height, 40);
});
