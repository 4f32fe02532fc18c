// From parsed command-line flags to a validated Config: defaults, units, one clear sentence
// for anything wrong. Pure: no I/O, no process.
import {formatDuration, parseDuration} from './duration.js';

export type Command = 'ui' | 'sim' | 'kill' | 'sweep' | 'report' | 'guestbook-install' | 'guestbook-uninstall';

/** static: stop a static pod for real (its manifest moved out of the kubelet's directory for --for). */
export type KillMode = 'pod' | 'pods' | 'workload' | 'static';

/** What a command prints or writes: kill's live text, Markdown, JSON, an SVG picture, an HTML page. */
export type OutputFormat = 'text' | 'md' | 'json' | 'svg' | 'html';

/** The formats each command can write, its default first. */
export const commandFormats: Partial<Record<Command, OutputFormat[]>> = {
	kill: ['text', 'json', 'svg', 'html'],
	sweep: ['md', 'json', 'html', 'svg'],
	report: ['md', 'json', 'svg', 'html'],
};

/** The flags as meow hands them over (every flag optional; strings unparsed). */
export type RawFlags = {
	kubeconfig?: string;
	context?: string;
	namespace?: string;
	readOnly?: boolean;
	demo?: boolean;
	yes?: boolean;
	appNamespace?: string;
	probeInterval?: string;
	probeTimeout?: string;
	probe?: string;
	hammerFor?: string;
	port?: number;
	host?: string;
	writeKubeconfig?: string;
	speed?: number;
	nodes?: number;
	profile?: string;
	forbid?: string;
	tls?: boolean;
	token?: string;
	mode?: string;
	json?: boolean;
	timeout?: string;
	settle?: string;
	format?: string;
	out?: string;
	stage?: boolean;
	node?: string;
	for?: string;
	helperImage?: string;
	kubeletUnit?: string;
	manifestDir?: string;
	manifestFile?: string;
};

/** alpine's busybox is built with the nsenter applet the helper pod needs (aports main/busybox/busyboxconfig: CONFIG_NSENTER=y). */
export const defaultHelperImage = 'docker.io/library/alpine:3.20';
export const defaultKubeletUnit = 'kubelet';
export const defaultManifestDir = '/etc/kubernetes/manifests';

/** Node experiments (`kill kubelet`, `kill <static pod> --mode static`): where, how long, and how the helper pod reaches the host. */
export type NodeFlags = {
	node?: string;
	forMs: number;
	helperImage: string;
	kubeletUnit: string;
	manifestDir: string;
	manifestFile?: string;
};

export type ProbeTarget = {service: string; port: string; path: string};

export type Config = {
	command: Command;
	/** kill: the component named on the command line. */
	component?: string;
	/** report: the saved JSON reports to render again. */
	files: string[];
	connection: {kubeconfigPath?: string; context?: string};
	demo: boolean;
	namespace: string;
	appNamespace: string;
	readOnly: boolean;
	yes: boolean;
	probeIntervalMs: number;
	probeTimeoutMs: number;
	probeTarget?: ProbeTarget;
	hammerForMs: number;
	sim: {port: number; host: string; writeKubeconfig?: string; speed: number; nodes?: number; profile: 'gke-1.11' | 'kind'; forbid: string[]; tls: boolean; token?: string};
	mode: KillMode;
	timeoutMs: number;
	settleMs: number;
	format: OutputFormat;
	/** --stage: the screen for a talk (the OUTAGE clock large, the rest quiet). */
	stage: boolean;
	out?: string;
	nodeStop: NodeFlags;
};

export class UsageError extends Error {}

/**
 * Twice Kubernetes' documented limit for one cluster (5,000 nodes): room for the scale
 * benchmark's 20,000 kube-system pods (10,000 nodes, two DaemonSet pods each), while a typo
 * such as 100000 is refused instead of building objects for minutes.
 */
export const maxNodes = 10_000;

/**
 * `--timeout -5s` → `--timeout=-5s` for the flags that take a value: a value starting with a
 * dash would otherwise be read as short flags (`-5`, `-s`) and reported as unknown.
 */
export function joinDashValues(argv: readonly string[], valueFlags: readonly string[]): string[] {
	const joined: string[] = [];
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index]!;
		const next = argv[index + 1];
		if (valueFlags.includes(argument) && next !== undefined && /^-[\d.]/.test(next)) {
			joined.push(`${argument}=${next}`);
			index++;
		} else {
			joined.push(argument);
		}
	}

	return joined;
}

export function buildConfig(input: string[], flags: RawFlags): Config {
	const [first, second, ...rest] = input;
	let command: Command;
	let component: string | undefined;
	let extra: string[] = [];
	let files: string[] = [];
	switch (first) {
		case undefined: {
			command = 'ui';
			break;
		}

		case 'sim':
		case 'sweep': {
			command = first;
			extra = [second, ...rest].filter(Boolean);
			break;
		}

		case 'kill': {
			command = 'kill';
			component = second;
			extra = rest;
			if (!component) {
				throw new UsageError('kill needs a component: knockdown kill <component> (e.g. kube-dns, deployment/kube-dns, kube-proxy)');
			}

			break;
		}

		case 'report': {
			command = 'report';
			files = [second, ...rest].filter(Boolean);
			if (files.length === 0) {
				throw new UsageError('report needs a saved JSON report: knockdown report FILE.json [FILE.json …] [--format md|json|svg|html]');
			}

			break;
		}

		case 'guestbook': {
			if (second !== 'install' && second !== 'uninstall') {
				throw new UsageError(`guestbook takes install or uninstall, not ${second ? `"${second}"` : 'nothing'}`);
			}

			command = second === 'install' ? 'guestbook-install' : 'guestbook-uninstall';
			extra = rest;
			break;
		}

		default: {
			throw new UsageError(`unknown command "${first}" (commands: sim, kill, sweep, report, guestbook; see --help)`);
		}
	}

	if (extra.length > 0) {
		throw new UsageError(`unexpected argument "${extra[0]}"`);
	}

	const mode = flags.mode ?? 'pods';
	if (mode !== 'pod' && mode !== 'pods' && mode !== 'workload' && mode !== 'static') {
		throw new UsageError(`--mode must be pod, pods, workload or static, not "${mode}"`);
	}

	if (mode === 'static' && command !== 'kill') {
		throw new UsageError('--mode static stops one static pod for real: it is for kill (knockdown kill kube-proxy --mode static); the sweep stops kube-proxy by itself');
	}

	if (command === 'kill' && component === 'kubelet' && !flags.node) {
		throw new UsageError('kill kubelet needs --node NODE: one node at a time');
	}

	const forMs = duration('--for', flags.for, 60_000);

	const format = outputFormat(command, flags);

	const profile = flags.profile ?? 'gke-1.11';
	if (profile !== 'gke-1.11' && profile !== 'kind') {
		throw new UsageError(`--profile must be gke-1.11 or kind, not "${profile}"`);
	}

	const speed = flags.speed ?? 1;
	if (!(speed > 0)) {
		throw new UsageError('--speed must be a number above 0');
	}

	if (flags.nodes !== undefined && !(Number.isInteger(flags.nodes) && flags.nodes >= 1 && flags.nodes <= maxNodes)) {
		throw new UsageError(`--nodes must be a whole number from 1 to ${maxNodes} (twice the most nodes Kubernetes supports in one cluster)`);
	}

	for (const [flag, value] of [['--namespace', flags.namespace], ['--app-namespace', flags.appNamespace]] as const) {
		if (value !== undefined && value.trim() === '') {
			throw new UsageError(`${flag} needs a namespace name (e.g. ${flag === '--namespace' ? 'kube-system' : 'default'})`);
		}
	}

	const port = flags.port ?? 0;
	if (!(Number.isInteger(port) && port >= 0 && port < 65_536)) {
		throw new UsageError('--port must be between 0 and 65535');
	}

	if (flags.token !== undefined && !/^[\x21-\x7e]+$/.test(flags.token)) {
		throw new UsageError('--token takes a non-empty token of printable characters without spaces');
	}

	const settleMs = duration('--settle', flags.settle, 5000);
	const timeoutMs = duration('--timeout', flags.timeout, 180_000);
	if (timeoutMs <= settleMs) {
		throw new UsageError(`--timeout (${formatDuration(timeoutMs)}) must be longer than --settle (${formatDuration(settleMs)}): an experiment ends only after that much healthy time`);
	}

	return {
		command,
		component,
		connection: {kubeconfigPath: flags.kubeconfig, context: flags.context},
		demo: flags.demo ?? false,
		namespace: flags.namespace ?? 'kube-system',
		appNamespace: flags.appNamespace ?? 'default',
		readOnly: flags.readOnly ?? false,
		yes: flags.yes ?? false,
		probeIntervalMs: duration('--probe-interval', flags.probeInterval, 500),
		probeTimeoutMs: duration('--probe-timeout', flags.probeTimeout, 2000),
		probeTarget: flags.probe === undefined ? undefined : parseProbeTarget(flags.probe),
		hammerForMs: duration('--hammer-for', flags.hammerFor, 30_000),
		sim: {
			port,
			host: flags.host ?? '127.0.0.1',
			writeKubeconfig: flags.writeKubeconfig,
			speed,
			nodes: flags.nodes,
			profile,
			forbid: parseForbid(flags.forbid),
			tls: flags.tls ?? false,
			token: flags.token,
		},
		mode,
		timeoutMs,
		settleMs,
		format,
		out: flags.out,
		stage: flags.stage ?? false,
		files,
		nodeStop: {
			node: flags.node,
			forMs,
			helperImage: flags.helperImage ?? defaultHelperImage,
			kubeletUnit: flags.kubeletUnit ?? defaultKubeletUnit,
			manifestDir: flags.manifestDir ?? defaultManifestDir,
			manifestFile: flags.manifestFile,
		},
	};
}

/** --format for this command (--json is kill's old spelling of --format json). */
function outputFormat(command: Command, flags: RawFlags): OutputFormat {
	const allowed = commandFormats[command] ?? ['md', 'json'];
	if (flags.json && flags.format !== undefined && flags.format !== 'json') {
		throw new UsageError(`--json means --format json: it cannot go with --format ${flags.format}`);
	}

	const format = flags.format ?? (flags.json ? 'json' : allowed[0]);
	if (!(allowed as string[]).includes(format)) {
		throw new UsageError(`--format${command === 'ui' ? '' : ` for ${command}`} must be ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}, not "${format}"`);
	}

	return format as OutputFormat;
}

/**
 * What each duration may be. Probing more often than every 50 ms measures the prober; a
 * timeout under 100 ms fails healthy probes; a minute between probes, or a probe waiting a
 * minute, cannot see an outage of seconds. An experiment waits at most an hour (timers are
 * also only good to 24.8 days). A settle time of 0 ends at the first healthy moment.
 */
export const durationRanges = {
	'--probe-interval': {min: 50, max: 60_000},
	'--probe-timeout': {min: 100, max: 60_000},
	'--timeout': {min: 1000, max: 3_600_000},
	'--settle': {min: 0, max: 600_000},
	'--hammer-for': {min: 1000, max: 600_000},
	// A node stopped for less than a second shows nothing; for more than an hour is not an experiment.
	'--for': {min: 1000, max: 3_600_000},
} as const;

function duration(flag: keyof typeof durationRanges, text: string | undefined, fallback: number): number {
	if (text === undefined) {
		return fallback;
	}

	const {min, max} = durationRanges[flag];
	const range = `${flag} must be between ${formatDuration(min)} and ${formatDuration(max)}, not "${text}"`;
	// A negative duration is out of range, not a malformed one.
	const ms = parseDuration(text.trim().replace(/^-/, ''));
	if (ms === undefined) {
		throw new UsageError(`${flag} takes a duration like 500ms, 2s or 1m, not "${text}"`);
	}

	if (text.trim().startsWith('-') || ms < min || ms > max) {
		throw new UsageError(range);
	}

	return ms;
}

/** `service/NAME:PORT/PATH`, e.g. `service/frontend:80/guestbook.php?cmd=get`. */
export function parseProbeTarget(text: string): ProbeTarget {
	const match = /^(?:service|svc)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?):([\w-]+)(\/.*)?$/.exec(text);
	if (!match) {
		throw new UsageError(`--probe takes service/NAME:PORT/PATH (e.g. service/frontend:80/), not "${text}"`);
	}

	return {service: match[1], port: match[3], path: match[4] ?? '/'};
}

/** `create:pods/exec,delete:pods` → ['create:pods/exec', 'delete:pods']. */
export function parseForbid(text: string | undefined): string[] {
	if (!text) {
		return [];
	}

	const rules = text.split(',').map(rule => rule.trim()).filter(Boolean);
	for (const rule of rules) {
		if (!/^[a-z*]+:[a-z*]+(\/[a-z]+)?$/.test(rule)) {
			throw new UsageError(`--forbid takes VERB:RESOURCE[,…] (e.g. create:pods/exec,delete:pods), not "${rule}"`);
		}
	}

	return rules;
}
