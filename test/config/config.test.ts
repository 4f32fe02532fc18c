import {test} from 'node:test';
import assert from 'node:assert/strict';
import {buildConfig, joinDashValues, parseForbid, parseProbeTarget, UsageError} from '../../source/config/config.js';

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

test('every duration has a range, and a value outside it (or negative) is one sentence naming the range', () => {
	const cases: Array<[keyof import('../../source/config/config.js').RawFlags, string, string]> = [
		['probeInterval', '600h', '--probe-interval must be between 50ms and 1m, not "600h"'],
		['probeInterval', '-5s', '--probe-interval must be between 50ms and 1m, not "-5s"'],
		['probeInterval', '10ms', '--probe-interval must be between 50ms and 1m, not "10ms"'],
		['probeTimeout', '0', '--probe-timeout must be between 100ms and 1m, not "0"'],
		['timeout', '0', '--timeout must be between 1s and 60m, not "0"'],
		['settle', '11m', '--settle must be between 0ms and 10m, not "11m"'],
		['hammerFor', '2h', '--hammer-for must be between 1s and 10m, not "2h"'],
	];
	for (const [flag, value, message] of cases) {
		assert.throws(() => buildConfig(['kill', 'kube-dns'], {[flag]: value}), new UsageError(message));
	}

	assert.throws(() => buildConfig(['kill', 'kube-dns'], {timeout: '4s'}), /--timeout \(4s\) must be longer than --settle \(5s\)/);
	assert.equal(buildConfig([], {settle: '0'}).settleMs, 0);
});

test('a value starting with a dash stays the flag\'s value, so it is judged as a value, not as unknown flags', () => {
	assert.deepEqual(joinDashValues(['kill', 'x', '--probe-interval', '-5s', '--json', '-n', 'kube-system'], ['--probe-interval', '-n']), ['kill', 'x', '--probe-interval=-5s', '--json', '-n', 'kube-system']);
	assert.deepEqual(joinDashValues(['--timeout', '--json'], ['--timeout']), ['--timeout', '--json'], 'a flag after a flag is not its value');
});

test('an empty --namespace or --app-namespace, and --nodes past 10000, are usage errors', () => {
	assert.throws(() => buildConfig([], {namespace: ''}), /--namespace needs a namespace name/);
	assert.throws(() => buildConfig([], {appNamespace: ' '}), /--app-namespace needs a namespace name/);
	assert.throws(() => buildConfig(['sim'], {nodes: 100_000}), /--nodes must be a whole number from 1 to 10000/);
	assert.equal(buildConfig(['sim'], {nodes: 5000}).sim.nodes, 5000);
});

test('--mode static is kill\'s alone: the sweep refuses it before asking anything', () => {
	assert.equal(buildConfig(['kill', 'kube-proxy'], {mode: 'static'}).mode, 'static');
	assert.throws(() => buildConfig(['sweep'], {mode: 'static'}), /--mode static stops one static pod for real: it is for kill/);
});
