// A node's host as a privileged, hostPID helper pod sees it through `nsenter -t 1`: systemd
// with the kubelet's unit, transient timers (`systemd-run --on-active`), and the kubelet's
// static-pod manifest directory. The helper's command (`sh -c "… && …"`) runs when its
// container starts; the container exits with the command's status. Only what knockdown's
// helper pods use is understood; anything else is "not found", as a shell would say.
import type {KubeObject} from '../store.js';
import type {ControllerContext} from './controller.js';
import type {NodeAgent} from './node-agent.js';
import {scriptSteps} from './shell.js';

export const manifestDir = '/etc/kubernetes/manifests';
export const kubeletUnit = 'kubelet';

type Result = {exitCode: number; stdout: string; stderr: string};
type Shell = {host: Host; nodeName: string; pod?: KubeObject; inHost: boolean};

const ok = (stdout = ''): Result => ({exitCode: 0, stdout, stderr: ''});
const fail = (exitCode: number, stderr: string): Result => ({exitCode, stdout: '', stderr});

/** A pod whose container runs to completion (restartPolicy Never or OnFailure) with a command. */
export function runsCommand(pod: KubeObject): boolean {
	return (pod.spec?.restartPolicy ?? 'Always') !== 'Always' && Boolean(pod.spec?.containers?.[0]?.command?.length);
}

/** The nodes' hosts: their systemd and manifest directories, where helper pods' commands run. */
export class Host {
	/** Transient systemd units that have not fired yet, as `node/unit`. */
	readonly units = new Set<string>();
	/** Static-pod manifests moved out of the kubelet's directory: `node:path` → the static pod's name. */
	readonly parkedManifests = new Map<string, string>();
	private unitCount = 0;

	constructor(readonly context: ControllerContext, readonly nodeAgent: NodeAgent) {}

	/** Run the container's command; when it ends, the container exits with its status. */
	runPodCommand(uid: string): void {
		const pod = this.context.indexes.podByUid(uid);
		const container = pod?.spec?.containers?.[0];
		if (!pod || !container) {
			return;
		}

		const argv: string[] = [...container.command, ...(container.args ?? [])];
		void after(run({host: this, nodeName: pod.spec.nodeName, pod, inHost: false}, argv), result => {
			this.nodeAgent.containerExited(uid, {exitCode: result.exitCode, at: this.context.clock.now(), message: (result.stderr || result.stdout).trim()});
			return result;
		});
	}

	/** A name for a transient unit started without --unit. */
	nextUnitName(): string {
		return `run-u${this.unitCount++}`;
	}

	/** The static pod's manifest file: `kube-proxy.manifest` on GKE, `kube-apiserver.yaml` on kubeadm (kind). */
	manifestFileOf(podName: string, nodeName: string): string {
		const component = podName.endsWith(`-${nodeName}`) ? podName.slice(0, -(nodeName.length + 1)) : podName;
		return `${component}${this.context.profile.name === 'gke-1.11' ? '.manifest' : '.yaml'}`;
	}
}

/**
 * Commands finish at once unless they wait (sleep): a result is then a promise. Staying
 * synchronous otherwise keeps every effect at the exact simulated time it happens.
 */
type Outcome = Result | Promise<Result>;

function after(outcome: Outcome, next: (result: Result) => Outcome): Outcome {
	return outcome instanceof Promise ? outcome.then(next) : next(outcome);
}

function run(shell: Shell, argv: string[]): Outcome {
	const [command, ...args] = argv;
	if (!command) {
		return ok();
	}

	switch (command.split('/').pop()) {
		case 'sh':
		case 'ash':
		case 'bash': {
			return args[0] === '-c' && args[1] !== undefined ? runScript(shell, args[1]) : ok();
		}

		case 'nsenter': {
			return nsenter(shell, args);
		}

		case 'systemd-run': {
			return shell.inHost ? systemdRun(shell, args) : fail(127, 'sh: systemd-run: not found\n');
		}

		case 'systemctl': {
			return shell.inHost ? systemctl(shell, args) : fail(127, 'sh: systemctl: not found\n');
		}

		case 'mv': {
			return move(shell, args);
		}

		case 'sleep': {
			const seconds = Number(args[0] ?? 0);
			return new Promise<Result>(resolve => {
				shell.host.context.clock.after(Number.isFinite(seconds) ? seconds * 1000 : 0, () => resolve(ok()));
			});
		}

		case 'true': {
			return ok();
		}

		case 'false': {
			return fail(1, '');
		}

		case 'echo': {
			return ok(`${args.join(' ')}\n`);
		}

		default: {
			return fail(127, `sh: ${command}: not found\n`);
		}
	}
}

/** `a && b || c ; d`: each command's words, joined by the operators a shell honours. */
function runScript(shell: Shell, script: string): Outcome {
	const steps = scriptSteps(script);
	let stdout = '';
	let stderr = '';
	const step = (index: number, last: Result, skip: boolean): Outcome => {
		if (index >= steps.length) {
			return {exitCode: last.exitCode, stdout, stderr};
		}

		const {words, then} = steps[index];
		const next = (result: Result) => step(index + 1, result, (then === '&&' && result.exitCode !== 0) || (then === '||' && result.exitCode === 0));
		if (skip || words.length === 0) {
			return next(last);
		}

		return after(run(shell, words), result => {
			stdout += result.stdout;
			stderr += result.stderr;
			return next(result);
		});
	};

	return step(0, ok(), false);
}

/** `nsenter -t 1 -m -u -i -n -p -- CMD`: the host's namespaces, for a privileged pod that shares the host's PIDs. */
function nsenter(shell: Shell, args: string[]): Outcome {
	let target: string | undefined;
	let index = 0;
	for (; index < args.length; index++) {
		const argument = args[index];
		if (argument === '--') {
			index++;
			break;
		}

		if (argument === '-t' || argument === '--target') {
			target = args[++index];
		} else if (argument.startsWith('--target=')) {
			target = argument.slice('--target='.length);
		} else if (!argument.startsWith('-')) {
			break;
		}
	}

	const rest = args.slice(index);
	const pod = shell.pod;
	const container = pod?.spec?.containers?.[0];
	if (target !== '1') {
		return fail(1, 'nsenter: neither filename nor target pid supplied for ns/mnt\n');
	}

	if (!container?.securityContext?.privileged) {
		return fail(1, 'nsenter: can\'t open \'/proc/1/ns/mnt\': Permission denied\n');
	}

	// Without hostPID, PID 1 is the container's own process: nsenter stays in the container.
	return run({...shell, inHost: shell.inHost || Boolean(pod?.spec?.hostPID)}, rest);
}

/** `systemd-run [--unit=NAME] --on-active=SPAN CMD…`: a transient timer on the host, independent of any pod. */
function systemdRun(shell: Shell, args: string[]): Result {
	let unit: string | undefined;
	let delayMs: number | undefined;
	let index = 0;
	for (; index < args.length && args[index].startsWith('-'); index++) {
		const argument = args[index];
		if (argument.startsWith('--unit=')) {
			unit = argument.slice('--unit='.length);
		} else if (argument.startsWith('--on-active=')) {
			delayMs = timeSpanMs(argument.slice('--on-active='.length));
			if (delayMs === undefined) {
				return fail(1, `Failed to parse timer value: ${argument.slice('--on-active='.length)}\n`);
			}
		}
	}

	const command = args.slice(index);
	if (command.length === 0) {
		return fail(1, 'Command line to execute required.\n');
	}

	const {host, nodeName} = shell;
	const name = unit ?? host.nextUnitName();
	if (host.units.has(`${nodeName}/${name}`)) {
		return fail(1, `Failed to start transient timer unit: Unit ${name}.timer already exists.\n`);
	}

	host.units.add(`${nodeName}/${name}`);
	host.context.clock.after(delayMs ?? 0, () => {
		host.units.delete(`${nodeName}/${name}`);
		void run({host, nodeName, inHost: true}, command);
	});
	return ok(delayMs === undefined ? `Running as unit: ${name}.service\n` : `Running timer as unit: ${name}.timer\nWill run service as unit: ${name}.service\n`);
}

/** systemd time spans: `60`, `60s`, `90sec`, `2min`, `1m`, `500ms`. */
export function timeSpanMs(text: string): number | undefined {
	const match = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|second|seconds|m|min|minute|minutes|h|hr|hour|hours)?$/.exec(text.trim());
	if (!match) {
		return undefined;
	}

	const value = Number(match[1]);
	const unit = match[2] ?? 's';
	const scale = unit === 'ms' ? 1 : unit.startsWith('h') ? 3_600_000 : (unit === 'm' || unit.startsWith('min')) ? 60_000 : 1000;
	return value * scale;
}

function systemctl(shell: Shell, args: string[]): Result {
	const [verb, rawUnit] = args.filter(argument => !argument.startsWith('-'));
	const unit = (rawUnit ?? '').replace(/\.service$/, '');
	if (!verb || !rawUnit) {
		return fail(1, 'Too few arguments.\n');
	}

	if (unit !== kubeletUnit) {
		return fail(5, `Failed to ${verb} ${unit}.service: Unit ${unit}.service not loaded.\n`);
	}

	const {nodeName} = shell;
	const agent = shell.host.nodeAgent;
	switch (verb) {
		case 'stop': {
			agent.stopKubelet(nodeName);
			return ok();
		}

		case 'start': {
			agent.startKubelet(nodeName);
			return ok();
		}

		case 'restart': {
			agent.stopKubelet(nodeName);
			agent.startKubelet(nodeName);
			return ok();
		}

		case 'is-active': {
			return agent.kubeletRunning(nodeName) ? ok('active\n') : {exitCode: 3, stdout: 'inactive\n', stderr: ''};
		}

		default: {
			return fail(1, `Unknown command verb ${verb}.\n`);
		}
	}
}

/** `mv SRC DST` of a static pod's manifest, out of the kubelet's directory or back into it. */
function move(shell: Shell, args: string[]): Result {
	const [source, destination] = args.filter(argument => !argument.startsWith('-'));
	if (!source || !destination) {
		return fail(1, 'BusyBox v1.36.1 multi-call binary.\n\nUsage: mv [-fin] SOURCE DEST\n');
	}

	const missing = fail(1, `mv: can't rename '${source}': No such file or directory\n`);
	if (!shell.inHost) {
		return missing;
	}

	const {host, nodeName} = shell;
	const agent = host.nodeAgent;
	const parked = host.parkedManifests;
	const target = destination.endsWith('/') || destination === manifestDir ? `${destination.replace(/\/+$/, '')}/${source.split('/').pop()}` : destination;
	const intoManifestDir = target.slice(0, target.lastIndexOf('/')) === manifestDir;
	const fromManifestDir = source.slice(0, source.lastIndexOf('/')) === manifestDir;
	if (fromManifestDir) {
		const file = source.slice(manifestDir.length + 1);
		const podName = agent.staticPodNamesOn(nodeName).find(name => host.manifestFileOf(name, nodeName) === file && !agent.manifestRemoved(name));
		if (!podName) {
			return missing;
		}

		if (intoManifestDir) {
			return ok();
		}

		parked.set(`${nodeName}:${target}`, podName);
		agent.removeManifest(podName);
		return ok();
	}

	const podName = parked.get(`${nodeName}:${source}`);
	if (!podName) {
		return missing;
	}

	parked.delete(`${nodeName}:${source}`);
	if (intoManifestDir) {
		agent.restoreManifest(podName);
	} else {
		parked.set(`${nodeName}:${target}`, podName);
	}

	return ok();
}
