#!/usr/bin/env node
// Composition root: parse flags, hand the command its I/O, map outcomes to exit codes.
// The only file that touches `process`.
import meow from 'meow';
import {buildConfig, joinDashValues, maxNodes, UsageError, type RawFlags} from './config/config.js';
import type {CommandIo} from './commands/io.js';
import {systemClock} from './time/clock.js';

const help = `
  Usage
    $ knockdown [flags]                  live kube-system screen on the current context
    $ knockdown --demo                   the same, on a built-in simulated cluster
    $ knockdown kill <component>         delete a component, measure outage and recovery
    $ knockdown sweep                    every component in turn: the talk's table, measured
    $ knockdown report FILE.json …       render saved JSON reports again (md, json, svg, html)
    $ knockdown sim                      run the simulated cluster (a real API server on loopback)
    $ knockdown guestbook install        create the guestbook sample app (uninstall removes it)
    $ kubectl knockdown …                the same, as a kubectl plugin

    -h, --help              this text
    -v, --version           the version

  Connection
    --kubeconfig FILE       else $KUBECONFIG (a:b:… merged as kubectl merges them),
                            else ~/.kube/config
    --context NAME          a context of the kubeconfig
    -n, --namespace NS      namespace to watch and act in (default kube-system)
    --demo                  start the simulated cluster in-process and use it
    --read-only             turn every action off (also --readonly; kill, sweep, guestbook refuse to run)

  Probes (the guestbook path: frontend → DNS → Redis)
    --app-namespace NS      where the guestbook runs (default default)
    --probe-interval DUR    default 500ms, 50ms–1m (durations: 500ms, 2s, 1m; bare number = ms)
    --probe-timeout DUR     default 2s, 100ms–1m
    --probe service/NAME:PORT/PATH   probe another service end to end instead

  Experiments
    -y, --yes               do not ask before deleting (needed without a terminal)
    --hammer-for DUR        how long H keeps deleting replacements (default 30s, 1s–10m)
    --mode pod|pods|workload|static   what kill and sweep delete (default pods; static: kill only)
    --timeout DUR           give up waiting for recovery (default 180s, 1s–60m)
    --settle DUR            healthy time that ends an experiment (default 5s, 0–10m)
    --format FMT            kill: text|json|svg|html (default text; --json = --format json)
                            sweep: md|json|html|svg (default md); report: md|json|svg|html
    --out FILE              kill, sweep, report: write the report to FILE
    --stage                 the screen for a talk: OUTAGE in large digits, the rest quiet

  Node experiments (kill kubelet --node NODE, kill kube-proxy --mode static)
    --node NODE             the node whose kubelet (or static pod) is stopped
    --for DUR               how long it stays stopped (default 60s)
    --helper-image IMAGE    the privileged helper pod's image, with nsenter (default docker.io/library/alpine:3.20)
    --kubelet-unit UNIT     the kubelet's systemd unit (default kubelet; k3s agents: k3s-agent)
    --manifest-dir DIR      the kubelet's static pod directory (default /etc/kubernetes/manifests)
    --manifest-file FILE    the static pod's file there (default kube-proxy.manifest, else NAME.yaml)

  Simulated cluster (sim)
    --port N                default 0: a free port
    --host ADDR             default 127.0.0.1
    --write-kubeconfig FILE write a kubeconfig (context knockdown-sim) for it
    --speed S               run every controller clock S times faster
    --nodes N               number of nodes (default 3, at most ${maxNodes})
    --profile gke-1.11|kind default gke-1.11
    --tls                   serve HTTPS with a CA made at start; the written kubeconfig
                            trusts it and carries a client certificate it signed
    --token T               answer 401 Unauthorized to requests without bearer token T
                            (or, with --tls, that client certificate)
    --forbid VERB:RESOURCE[,…]   answer these with 403 Forbidden (e.g. delete:pods);
                            create:pods/privileged refuses privileged pods as Pod Security admission does

  Exit codes: 0 done · 1 failed or not recovered · 2 nothing deleted (bad input, refused,
  --read-only, not confirmed) · 130 SIGINT · 143 SIGTERM

  Examples
    $ knockdown --demo
    $ knockdown kill kube-dns --demo --format svg --out kube-dns.svg
    $ knockdown report kube-dns.json --format html --out kube-dns.html
    $ knockdown sim --port 6443 --write-kubeconfig /tmp/sim.kubeconfig
`;

const flagTypes = {
	help: {type: 'boolean', shortFlag: 'h'},
	version: {type: 'boolean', shortFlag: 'v'},
	kubeconfig: {type: 'string'},
	context: {type: 'string'},
	namespace: {type: 'string', shortFlag: 'n'},
	// k9s spells it --readonly.
	readOnly: {type: 'boolean', aliases: ['readonly'] as string[]},
	demo: {type: 'boolean'},
	yes: {type: 'boolean', shortFlag: 'y'},
	appNamespace: {type: 'string'},
	probeInterval: {type: 'string'},
	probeTimeout: {type: 'string'},
	probe: {type: 'string'},
	hammerFor: {type: 'string'},
	port: {type: 'number'},
	host: {type: 'string'},
	writeKubeconfig: {type: 'string'},
	speed: {type: 'number'},
	nodes: {type: 'number'},
	profile: {type: 'string'},
	forbid: {type: 'string'},
	tls: {type: 'boolean'},
	token: {type: 'string'},
	mode: {type: 'string'},
	json: {type: 'boolean'},
	timeout: {type: 'string'},
	settle: {type: 'string'},
	format: {type: 'string'},
	out: {type: 'string'},
	stage: {type: 'boolean'},
	node: {type: 'string'},
	for: {type: 'string'},
	helperImage: {type: 'string'},
	kubeletUnit: {type: 'string'},
	manifestDir: {type: 'string'},
	manifestFile: {type: 'string'},
} as const;

const valueFlags = Object.entries(flagTypes)
	.filter(([, type]) => type.type !== 'boolean')
	.map(([name]) => '--' + name.replaceAll(/[A-Z]/g, c => '-' + c.toLowerCase()));

const cli = meow(help, {
	importMeta: import.meta,
	argv: joinDashValues(process.argv.slice(2), valueFlags),
	flags: flagTypes,
	// We report unknown flags ourselves, in one line, with exit code 2.
	allowUnknownFlags: true,
	// meow answers --help and --version only when alone; -h and -v, and after a command, are ours.
	autoHelp: false,
	autoVersion: false,
});

if (cli.flags.help) {
	cli.showHelp(0);
}

if (cli.flags.version) {
	cli.showVersion();
}

function fail(message: string, code: number): never {
	process.stderr.write(`knockdown: ${message}\n`);
	process.exit(code);
}

function dashed(name: string): string {
	return name.length === 1 ? '-' + name : '--' + name.replaceAll(/[A-Z]/g, c => '-' + c.toLowerCase());
}

const unknown = Object.keys(cli.flags).filter(name => !(name in flagTypes));
if (unknown.length > 0) {
	fail(`unknown flag ${unknown.map(name => dashed(name)).join(', ')} (see knockdown --help)`, 2);
}

// `-n` at the end of the line (or `--namespace=`) gives an empty string, not a missing value.
for (const [name, type] of Object.entries(flagTypes)) {
	if (type.type === 'string' && cli.flags[name as keyof typeof cli.flags] === '') {
		fail(`${'shortFlag' in type ? `-${type.shortFlag}/` : ''}${dashed(name)} needs a value`, 2);
	}
}

for (const name of ['port', 'speed', 'nodes'] as const) {
	if (Number.isNaN(cli.flags[name])) {
		fail(`--${name} takes a number`, 2);
	}
}

let config;
try {
	config = buildConfig(cli.input, cli.flags as RawFlags);
} catch (error) {
	if (error instanceof UsageError) {
		fail(error.message, 2);
	}

	throw error;
}

// A command interrupted by a signal exits as a shell reports it: 128 + the signal's number.
const signalExitCodes = {SIGINT: 130, SIGTERM: 143} as const;
const abort = new AbortController();
let stoppedBy: keyof typeof signalExitCodes | undefined;
let trapped = false;
function trapSignals(): void {
	if (trapped) {
		return;
	}

	trapped = true;
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			if (stoppedBy) {
				process.exit(signalExitCodes[signal]);
			}

			stoppedBy = signal;
			abort.abort();
		});
	}
}

// The simulator builds its world in one synchronous stretch (seconds at thousands of nodes),
// during which a handler could not run: until it is up, a signal ends the process at once.
if (config.command !== 'sim') {
	trapSignals();
}

const io: CommandIo = {
	stdout: process.stdout,
	stderr: process.stderr,
	stdin: process.stdin,
	env: process.env,
	cwd: process.cwd(),
	signal: abort.signal,
	clock: systemClock(),
	trapSignals,
};

// React's development build costs about twice as much per frame; a user runs the production one.
process.env.NODE_ENV ??= 'production';

let exitCode: number;
try {
	const {runCommand} = await import('./commands/run.js');
	exitCode = await runCommand(config, io);
} catch (error) {
	// Every expected failure is turned into a sentence by the command; this is the last net.
	fail(error instanceof Error ? error.message.split('\n')[0] : String(error), 1);
}

// Commands say 130 for "interrupted"; after SIGTERM that is 143.
if (exitCode === signalExitCodes.SIGINT && stoppedBy) {
	exitCode = signalExitCodes[stoppedBy];
}

process.exitCode = exitCode;
// Informers, sockets and timers may still hold the loop; the command is over, so go.
setImmediate(() => process.exit(exitCode));
