#!/usr/bin/env node
// Composition root: parse flags, hand the command its I/O, map outcomes to exit codes.
// The only file that touches `process`.
import meow from 'meow';
import {buildConfig, UsageError, type RawFlags} from './config/config.js';
import type {CommandIo} from './commands/io.js';

const help = `
  Usage
    $ knockdown [flags]                  live kube-system screen on the current context
    $ knockdown --demo                   the same, on a built-in simulated cluster
    $ knockdown kill <component>         delete a component, measure outage and recovery
    $ knockdown sweep                    every component in turn: the talk's table, measured
    $ knockdown sim                      run the simulated cluster (a real API server on loopback)
    $ knockdown guestbook install        create the guestbook sample app (uninstall removes it)

  Connection
    --kubeconfig FILE       else $KUBECONFIG, else ~/.kube/config
    --context NAME          a context of the kubeconfig
    --namespace NS          namespace to watch and act in (default kube-system)
    --demo                  start the simulated cluster in-process and use it
    --read-only             turn every action off

  Probes (the guestbook path: frontend → DNS → Redis)
    --app-namespace NS      where the guestbook runs (default default)
    --probe-interval DUR    default 500ms (durations: 500ms, 2s, 1m; bare number = ms)
    --probe-timeout DUR     default 2s
    --probe service/NAME:PORT/PATH   probe another service end to end instead

  Experiments
    --yes                   do not ask before deleting
    --hammer-for DUR        how long H keeps deleting replacements (default 30s)
    --mode pod|pods|workload   what kill and sweep delete (default pods)
    --json                  kill: print one JSON document at the end
    --timeout DUR           give up waiting for recovery (default 180s)
    --settle DUR            healthy time that ends an experiment (default 5s)
    --format md|json        sweep: report format (default md)
    --out FILE              sweep: write the report to FILE

  Simulated cluster (sim)
    --port N                default 0: a free port
    --host ADDR             default 127.0.0.1
    --write-kubeconfig FILE write a kubeconfig (context knockdown-sim) for it
    --speed S               run every controller clock S times faster
    --nodes N               number of nodes (default 3)
    --profile gke-1.11|kind default gke-1.11
    --forbid VERB:RESOURCE[,…]   answer these with 403 Forbidden (e.g. delete:pods)

  Examples
    $ knockdown --demo
    $ knockdown kill kube-dns --demo --json
    $ knockdown sim --port 6443 --write-kubeconfig /tmp/sim.kubeconfig
`;

const flagTypes = {
	kubeconfig: {type: 'string'},
	context: {type: 'string'},
	namespace: {type: 'string', shortFlag: 'n'},
	readOnly: {type: 'boolean'},
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
	mode: {type: 'string'},
	json: {type: 'boolean'},
	timeout: {type: 'string'},
	settle: {type: 'string'},
	format: {type: 'string'},
	out: {type: 'string'},
} as const;

const cli = meow(help, {
	importMeta: import.meta,
	flags: flagTypes,
	// We report unknown flags ourselves, in one line, with exit code 2.
	allowUnknownFlags: true,
});

function fail(message: string, code: number): never {
	process.stderr.write(`knockdown: ${message}\n`);
	process.exit(code);
}

const unknown = Object.keys(cli.flags).filter(name => !(name in flagTypes));
if (unknown.length > 0) {
	const dashed = unknown.map(name => '--' + name.replaceAll(/[A-Z]/g, c => '-' + c.toLowerCase()));
	fail(`unknown flag ${dashed.join(', ')} (see knockdown --help)`, 2);
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

const abort = new AbortController();
let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		interrupts++;
		if (interrupts > 1) {
			process.exit(130);
		}

		abort.abort();
	});
}

const io: CommandIo = {
	stdout: process.stdout,
	stderr: process.stderr,
	stdin: process.stdin,
	env: process.env,
	cwd: process.cwd(),
	signal: abort.signal,
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

process.exitCode = exitCode;
// Informers, sockets and timers may still hold the loop; the command is over, so go.
setImmediate(() => process.exit(exitCode));
