import {test} from 'node:test';
import assert from 'node:assert/strict';
import {buildConfig, parseForbid, parseProbeTarget, UsageError} from '../../source/config/config.js';

test('no command opens the UI with the documented defaults', () => {
	const config = buildConfig([], {});
	assert.equal(config.command, 'ui');
	assert.equal(config.namespace, 'kube-system');
	assert.equal(config.appNamespace, 'default');
	assert.equal(config.probeIntervalMs, 500);
	assert.equal(config.probeTimeoutMs, 2000);
	assert.equal(config.hammerForMs, 30_000);
	assert.equal(config.timeoutMs, 180_000);
	assert.equal(config.mode, 'pods');
	assert.equal(config.sim.profile, 'gke-1.11');
	assert.equal(config.sim.host, '127.0.0.1');
	assert.equal(config.readOnly, false);
});

test('kill takes its component; guestbook takes install or uninstall', () => {
	assert.equal(buildConfig(['kill', 'kube-dns'], {}).component, 'kube-dns');
	assert.equal(buildConfig(['guestbook', 'install'], {}).command, 'guestbook-install');
	assert.equal(buildConfig(['guestbook', 'uninstall'], {}).command, 'guestbook-uninstall');
	assert.throws(() => buildConfig(['kill'], {}), UsageError);
	assert.throws(() => buildConfig(['guestbook', 'upgrade'], {}), /install or uninstall/);
});

test('unknown commands and stray arguments are usage errors', () => {
	assert.throws(() => buildConfig(['destroy'], {}), /unknown command "destroy"/);
	assert.throws(() => buildConfig(['sweep', 'now'], {}), /unexpected argument "now"/);
});

test('durations and enumerations are checked', () => {
	assert.equal(buildConfig([], {probeInterval: '250ms', probeTimeout: '1s'}).probeIntervalMs, 250);
	assert.equal(buildConfig([], {timeout: '2m'}).timeoutMs, 120_000);
	assert.throws(() => buildConfig([], {probeInterval: 'soon'}), /--probe-interval takes a duration/);
	assert.throws(() => buildConfig([], {mode: 'all'}), /--mode must be pod, pods, workload or static/);
	assert.throws(() => buildConfig([], {format: 'csv'}), /--format/);
	assert.throws(() => buildConfig(['sim'], {speed: 0}), /--speed/);
	assert.throws(() => buildConfig(['sim'], {nodes: 2.5}), /--nodes/);
});

test('a probe target reads service/NAME:PORT/PATH', () => {
	assert.deepEqual(parseProbeTarget('service/frontend:80/guestbook.php?cmd=get'), {service: 'frontend', port: '80', path: '/guestbook.php?cmd=get'});
	assert.deepEqual(parseProbeTarget('svc/web:http'), {service: 'web', port: 'http', path: '/'});
	assert.throws(() => parseProbeTarget('frontend'), /service\/NAME:PORT\/PATH/);
});

test('forbid rules read VERB:RESOURCE, comma separated', () => {
	assert.deepEqual(parseForbid('create:pods/exec, delete:pods'), ['create:pods/exec', 'delete:pods']);
	assert.deepEqual(parseForbid(undefined), []);
	assert.throws(() => parseForbid('pods'), /VERB:RESOURCE/);
});

test('sim --tls and --token: off by default; a token must be printable and without spaces', () => {
	assert.deepEqual([buildConfig(['sim'], {}).sim.tls, buildConfig(['sim'], {}).sim.token], [false, undefined]);
	const sim = buildConfig(['sim'], {tls: true, token: 'abc.DEF-123'}).sim;
	assert.deepEqual([sim.tls, sim.token], [true, 'abc.DEF-123']);
	for (const token of ['', 'two words', 'tab\there']) {
		assert.throws(() => buildConfig(['sim'], {token}), (error: unknown) => error instanceof UsageError && error.message === '--token takes a non-empty token of printable characters without spaces');
	}
});

test('--format is checked per command; --json stays kill\'s spelling of --format json', () => {
	assert.equal(buildConfig(['kill', 'kube-dns'], {}).format, 'text');
	assert.equal(buildConfig(['kill', 'kube-dns'], {json: true}).format, 'json');
	assert.equal(buildConfig(['kill', 'kube-dns'], {format: 'svg', out: 'k.svg'}).format, 'svg');
	assert.throws(() => buildConfig(['kill', 'kube-dns'], {json: true, format: 'html'}), /--json means --format json/);
	assert.throws(() => buildConfig(['kill', 'kube-dns'], {format: 'md'}), /--format for kill must be text, json, svg or html, not "md"/);
	assert.equal(buildConfig(['sweep'], {}).format, 'md');
	assert.equal(buildConfig(['sweep'], {format: 'html'}).format, 'html');
	assert.throws(() => buildConfig(['sweep'], {format: 'text'}), /--format for sweep must be md, json, html or svg/);
	assert.deepEqual(buildConfig(['report', 'a.json', 'b.json'], {format: 'svg'}).files, ['a.json', 'b.json']);
	assert.throws(() => buildConfig(['report'], {}), /report needs a saved JSON report/);
	assert.equal(buildConfig([], {stage: true}).stage, true);
});
