// The network model, the point of the simulator: every node's kube-proxy has its own
// programmed copy of the Services' ready endpoints, refreshed only while its container
// runs. Cluster DNS and the guestbook's path to Redis are judged from a pod's node through
// that copy, so a kube-dns outage, a slow resolver (a dead server still programmed) and a
// frozen kube-proxy each show up as they would on a real cluster. The ground truth is
// re-evaluated on every change that can affect it, to the millisecond.
import type {ExecResult, ProxyResult, Truth, TruthInterval} from '../cluster.js';
import {StoreError, type KubeObject} from '../store.js';
import type {Change, Controller, ControllerContext} from './controller.js';
import {isMirrorPod, isTerminating, type ContainerStatus} from './pods.js';
import {between} from './util.js';
import {scriptSteps} from './shell.js';

type ProgrammedAddress = {ip: string; podUid?: string; podName?: string; nodeName?: string};
type Programs = Map<string, ProgrammedAddress[]>;

/** The resolver's per-server timeout (resolv.conf default) and attempts. */
export const resolverTimeoutMs = 5000;
const resolverAttempts = 2;
const kubeDnsKey = 'kube-system/kube-dns';

export type DnsHealth = {state: 'ok' | 'slow' | 'down'; programmed: number; dead: number};
type Resolution = {ok: true; ip: string; fqdn: string} | {ok: false; reason: 'nxdomain' | 'unreachable'};

/** What the network asks of the kubelets: `kill 1` in a container, and whether the API server reaches a node's kubelet. */
export interface PodRuntime {
	killContainer(pod: KubeObject, containerName: string): void;
	kubeletUnreachable(nodeName: string | undefined): string | undefined;
}

export class Network implements Controller {
	/** What every kube-proxy that is running has programmed (they all follow the same API). */
	private live: Programs = new Map();
	/** Nodes whose kube-proxy is not running (or has not resynced yet): their rules as last written. */
	private readonly frozen = new Map<string, Programs>();
	private readonly dirty = new Set<string>();
	private readonly guestbookDown: TruthInterval[] = [];
	private readonly dnsDown: TruthInterval[] = [];
	private readonly nodesNotReady: Record<string, TruthInterval[]> = {};
	private readonly redis = new Map<string, string>([['messages', '']]);

	constructor(private readonly context: ControllerContext, private readonly pods: PodRuntime) {}

	// ---------------------------------------------------------------------------------------
	// kube-proxy programming

	programAll(): void {
		const next: Programs = new Map();
		for (const endpoints of this.context.store.list('endpoints')) {
			next.set(`${endpoints.metadata.namespace}/${endpoints.metadata.name}`, readyAddresses(endpoints));
		}

		this.live = next;
	}

	onChange({resource, type, object}: Change): void {
		if (resource === 'pods' && ((isMirrorPod(object) && type !== 'DELETED') || object.metadata.labels?.['k8s-app'] === 'kube-proxy')) {
			this.kubeProxyMaybeChanged(object.spec?.nodeName);
		}

		if (resource === 'endpoints') {
			this.dirty.add(`${object.metadata.namespace}/${object.metadata.name}`);
			this.context.schedule.soon('kube-proxy-sync', between(this.context.random, 200, 500), () => {
				this.program();
			});
		}

		this.evaluateTruth();
	}

	private program(): void {
		const next: Programs = new Map(this.live);
		for (const key of this.dirty) {
			const slash = key.indexOf('/');
			const endpoints = this.context.store.get('endpoints', key.slice(0, slash), key.slice(slash + 1));
			if (endpoints) {
				next.set(key, readyAddresses(endpoints));
			} else {
				next.delete(key);
			}
		}

		this.dirty.clear();
		this.live = next;
		this.evaluateTruth();
	}

	/** Called when a kube-proxy static pod's container may have stopped or started. */
	kubeProxyMaybeChanged(nodeName: string | undefined): void {
		if (!nodeName) {
			return;
		}

		const running = this.kubeProxyRunning(nodeName);
		if (!running && !this.frozen.has(nodeName)) {
			this.frozen.set(nodeName, this.live);
			this.evaluateTruth();
		} else if (running && this.frozen.has(nodeName)) {
			// A restarted kube-proxy does a full sync shortly after it starts.
			this.context.schedule.soon(`kube-proxy-resync:${nodeName}`, between(this.context.random, 200, 500), () => {
				if (this.kubeProxyRunning(nodeName)) {
					this.frozen.delete(nodeName);
					this.evaluateTruth();
				}
			});
		}
	}

	/** Whether the kube-proxy container on a node is running (its rules follow the API only then). */
	kubeProxyRunning(nodeName: string): boolean {
		const {indexes} = this.context;
		const running = (pod: KubeObject | undefined) => ((pod?.status?.containerStatuses ?? []) as ContainerStatus[])
			.some(status => status.name === 'kube-proxy' && status.state?.running);
		const mirror = indexes.staticPods.get(`kube-proxy-${nodeName}`);
		if (mirror) {
			return running(mirror);
		}

		// kube-proxy as a DaemonSet (kind): the pod on that node.
		for (const key of indexes.podsOnNode.get(nodeName) ?? []) {
			const pod = indexes.podByKey(key);
			if (pod?.metadata.labels?.['k8s-app'] === 'kube-proxy' && running(pod)) {
				return true;
			}
		}

		return false;
	}

	programmedOn(nodeName: string | undefined, serviceKey: string): ProgrammedAddress[] {
		const programs = (nodeName ? this.frozen.get(nodeName) : undefined) ?? this.live;
		return programs.get(serviceKey) ?? [];
	}

	/**
	 * A programmed address still answers: its pod exists, is not terminating and the containers
	 * that serve (for DNS: kubedns and dnsmasq, or coredns; else those with ports, else all) run.
	 */
	private answers(address: ProgrammedAddress): boolean {
		const pod = this.context.indexes.podByUid(address.podUid);
		// A terminating pod stops serving once its kubelet has sent SIGTERM; with the kubelet stopped, nobody has.
		if (!pod || (isTerminating(pod) && !this.pods.kubeletUnreachable(pod.spec?.nodeName))) {
			return false;
		}

		const containers: any[] = pod.spec?.containers ?? [];
		const names = containers.map(container => container.name as string);
		const dnsServers = names.filter(name => name === 'kubedns' || name === 'dnsmasq' || name === 'coredns');
		let serving = dnsServers.length > 0 ? dnsServers : containers.filter(container => container.ports?.length).map(container => container.name as string);
		if (serving.length === 0) {
			serving = containers.map(container => container.name as string);
		}

		const statuses: ContainerStatus[] = pod.status?.containerStatuses ?? [];
		return statuses.length > 0 && serving.every(name => statuses.find(status => status.name === name)?.state?.running);
	}

	// ---------------------------------------------------------------------------------------
	// DNS

	dnsHealth(nodeName: string | undefined): DnsHealth {
		const programmed = this.programmedOn(nodeName, kubeDnsKey);
		const dead = programmed.filter(address => !this.answers(address)).length;
		if (programmed.length === 0 || dead === programmed.length) {
			return {state: 'down', programmed: programmed.length, dead};
		}

		return {state: dead > 0 ? 'slow' : 'ok', programmed: programmed.length, dead};
	}

	private wait(ms: number): Promise<void> {
		return new Promise(resolve => {
			this.context.clock.after(ms, resolve);
		});
	}

	/** Resolve a name from a pod, taking as long as the pod's resolver would. */
	async resolve(pod: KubeObject, name: string): Promise<Resolution> {
		const health = this.dnsHealth(pod.spec?.nodeName);
		if (health.state === 'down') {
			if (health.programmed > 0) {
				// Every programmed server is gone: each attempt waits out its timeout.
				await this.wait(resolverTimeoutMs * resolverAttempts);
			}

			return {ok: false, reason: 'unreachable'};
		}

		if (health.state === 'slow' && this.context.random() < health.dead / health.programmed) {
			await this.wait(resolverTimeoutMs);
		}

		return this.lookup(pod.metadata.namespace!, name);
	}

	private lookup(podNamespace: string, name: string): Resolution {
		const parts = name.replace(/\.$/, '').toLowerCase().split('.');
		let service: string | undefined;
		let namespace: string | undefined;
		if (parts.length === 1) {
			[service] = parts;
			namespace = podNamespace;
		} else if (parts.length === 2 || (parts.length === 3 && parts[2] === 'svc') || (parts.length === 5 && parts.slice(2).join('.') === 'svc.cluster.local')) {
			[service, namespace] = parts;
		}

		const object = service && namespace ? this.context.store.get('services', namespace, service) : undefined;
		const ip = object?.spec?.clusterIP;
		if (!object || !ip || ip === 'None') {
			return {ok: false, reason: 'nxdomain'};
		}

		return {ok: true, ip, fqdn: `${service}.${namespace}.svc.cluster.local`};
	}

	// ---------------------------------------------------------------------------------------
	// exec

	async exec(namespace: string, podName: string, container: string | undefined, command: string[]): Promise<ExecResult> {
		const pod = this.context.store.get('pods', namespace, podName);
		if (!pod) {
			throw new StoreError(404, 'NotFound', `pods "${podName}" not found`);
		}

		const containers: any[] = pod.spec?.containers ?? [];
		const name = container ?? containers[0]?.name;
		if (!containers.some(entry => entry.name === name)) {
			throw new StoreError(400, 'BadRequest', `container ${name} is not valid for pod ${podName}`);
		}

		if (!pod.spec?.nodeName) {
			throw new StoreError(400, 'BadRequest', `pod ${podName} does not have a host assigned`);
		}

		const unreachable = this.pods.kubeletUnreachable(pod.spec.nodeName);
		if (unreachable) {
			throw new StoreError(500, 'InternalError', unreachable);
		}

		const status = (pod.status?.containerStatuses as ContainerStatus[] | undefined)?.find(entry => entry.name === name);
		if (!status?.state?.running) {
			throw new StoreError(400, 'BadRequest', `unable to upgrade connection: container not found ("${name}")`);
		}

		return this.run(pod, name, command);
	}

	private async run(pod: KubeObject, container: string, argv: string[]): Promise<ExecResult> {
		const ok = (stdout = ''): ExecResult => ({stdout, stderr: '', exitCode: 0});
		const fail = (exitCode: number, stderr = '', stdout = ''): ExecResult => ({stdout, stderr, exitCode});
		const [command, ...args] = argv;
		if (!command) {
			return fail(127, 'exec: no command given\n');
		}

		switch (command.split('/').pop()) {
			case 'sh':
			case 'bash': {
				if (args[0] === '-c' && args[1] !== undefined) {
					// One command; a script of several is the host's business (host.ts).
					const words = scriptSteps(args[1])[0]?.words ?? [];
					return words.length === 0 ? ok() : this.run(pod, container, words);
				}

				return ok();
			}

			case 'getent': {
				const [database, key] = args;
				if (!database) {
					return fail(1, 'Usage: getent [OPTION...] database [key ...]\n');
				}

				if (database !== 'hosts' && database !== 'ahosts') {
					return fail(1, `Unknown database: ${database}\n`);
				}

				if (!key) {
					return ok(`127.0.0.1       localhost\n${pod.status?.podIP ?? ''}       ${pod.metadata.name}\n`);
				}

				const answer = await this.resolve(pod, key);
				if (!answer.ok) {
					return fail(2);
				}

				return ok(`${answer.ip.padEnd(15)} ${answer.fqdn}\n`);
			}

			case 'nslookup': {
				const key = args.find(argument => !argument.startsWith('-'));
				if (!key) {
					return fail(1, 'Usage: nslookup NAME\n');
				}

				const answer = await this.resolve(pod, key);
				const server = 'Server:\t\t10.0.0.10\nAddress:\t10.0.0.10#53\n\n';
				if (!answer.ok) {
					return answer.reason === 'nxdomain'
						? fail(1, '', `${server}** server can't find ${key}: NXDOMAIN\n\n`)
						: fail(1, '', ';; connection timed out; no servers could be reached\n\n');
				}

				return ok(`${server}Name:\t${answer.fqdn}\nAddress: ${answer.ip}\n\n`);
			}

			case 'kill': {
				const pid = args.filter(argument => !argument.startsWith('-')).find(argument => /^\d+$/.test(argument));
				if (pid === undefined) {
					return fail(1, 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid\n');
				}

				if (pid !== '1') {
					return fail(1, `sh: kill: (${pid}) - No such process\n`);
				}

				this.pods.killContainer(pod, container);
				return ok();
			}

			case 'true': {
				return ok();
			}

			case 'false': {
				return fail(1);
			}

			case 'echo': {
				return ok(`${args.join(' ')}\n`);
			}

			case 'hostname': {
				return ok(`${pod.metadata.name}\n`);
			}

			case 'sleep': {
				const seconds = Number(args[0] ?? 0);
				await this.wait(Number.isFinite(seconds) ? seconds * 1000 : 0);
				return ok();
			}

			case 'cat': {
				const files: Record<string, string> = {
					'/etc/resolv.conf': `nameserver 10.0.0.10\nsearch ${pod.metadata.namespace}.svc.cluster.local svc.cluster.local cluster.local asia-northeast1-a.c.knockdown-demo.internal c.knockdown-demo.internal google.internal\noptions ndots:5\n`,
					'/etc/hostname': `${pod.metadata.name}\n`,
					'/etc/hosts': `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${pod.status?.podIP ?? ''}\t${pod.metadata.name}\n`,
				};
				let stdout = '';
				for (const file of args) {
					if (files[file] === undefined) {
						return fail(1, `cat: ${file}: No such file or directory\n`, stdout);
					}

					stdout += files[file];
				}

				return ok(stdout);
			}

			default: {
				return fail(127, `${command}: command not found\n`);
			}
		}
	}

	// ---------------------------------------------------------------------------------------
	// The API server's service proxy and the guestbook behind it

	/** The ready endpoint the API server's proxy would use: the first that answers, else the first. */
	private backend(namespace: string, service: string): {address: ProgrammedAddress; pod?: KubeObject; answers: boolean} | undefined {
		const endpoints = this.context.store.get('endpoints', namespace, service);
		const addresses = endpoints ? readyAddresses(endpoints) : [];
		if (addresses.length === 0) {
			return undefined;
		}

		const answering = addresses.find(address => this.answers(address));
		const address = answering ?? addresses[0];
		return {address, pod: this.context.indexes.podByUid(address.podUid), answers: Boolean(answering)};
	}

	async proxyService(namespace: string, serviceName: string, port: string | undefined, pathAndQuery: string): Promise<ProxyResult> {
		const service = this.context.store.get('services', namespace, serviceName);
		if (!service) {
			return statusResult(404, 'NotFound', `services "${serviceName}" not found`, {name: serviceName, kind: 'services'});
		}

		const ports: any[] = service.spec?.ports ?? [];
		const servicePort = port ? ports.find(entry => entry.name === port || String(entry.port) === port) : ports[0];
		if (port && !servicePort) {
			return statusResult(503, 'ServiceUnavailable', `no service port "${port}" found for service "${serviceName}"`);
		}

		const backend = this.backend(namespace, serviceName);
		if (!backend) {
			return statusResult(503, 'ServiceUnavailable', `no endpoints available for service "${serviceName}"`);
		}

		if (!backend.answers || !backend.pod) {
			const target = typeof servicePort?.targetPort === 'number' ? servicePort.targetPort : servicePort?.port;
			return statusResult(503, 'ServiceUnavailable', `error trying to reach service: dial tcp ${backend.address.ip}:${target}: connect: connection refused`);
		}

		const labels = service.spec?.selector ?? {};
		if (labels.app === 'guestbook' && labels.tier === 'frontend') {
			return this.guestbook(backend.pod, pathAndQuery);
		}

		if (labels['k8s-app'] === 'glbc') {
			return {status: 404, contentType: 'text/plain; charset=utf-8', body: 'default backend - 404'};
		}

		return {status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok\n'};
	}

	private async guestbook(frontend: KubeObject, pathAndQuery: string): Promise<ProxyResult> {
		const url = new URL(pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`, 'http://frontend');
		if (!url.pathname.endsWith('guestbook.php')) {
			return {status: 200, contentType: 'text/html; charset=UTF-8', body: guestbookHtml};
		}

		const command = url.searchParams.get('cmd');
		const key = url.searchParams.get('key') ?? 'messages';
		if (command === 'set') {
			const failure = await this.reachRedis(frontend, 'redis-leader');
			if (failure) {
				return phpFatal(failure, 'redis-leader');
			}

			this.redis.set(key, url.searchParams.get('value') ?? '');
			return {status: 200, contentType: 'application/json', body: '{"message": "Updated"}'};
		}

		if (command === 'get') {
			const failure = await this.reachRedis(frontend, 'redis-follower');
			if (failure) {
				return phpFatal(failure, 'redis-follower');
			}

			return {status: 200, contentType: 'application/json', body: `{"data": "${this.redis.get(key) ?? ''}"}`};
		}

		return {status: 200, contentType: 'application/json', body: '{"message": "Unknown command"}'};
	}

	/** The PHP app connecting to Redis by name: undefined when it works, else Predis's error. */
	private async reachRedis(frontend: KubeObject, host: string): Promise<string | undefined> {
		const answer = await this.resolve(frontend, host);
		if (!answer.ok) {
			return 'php_network_getaddresses: getaddrinfo failed: Name or service not known';
		}

		return this.redisConnectFailure(frontend, host);
	}

	private redisConnectFailure(frontend: KubeObject, host: string): string | undefined {
		const programmed = this.programmedOn(frontend.spec?.nodeName, `${frontend.metadata.namespace}/${host}`);
		if (programmed.length === 0) {
			return 'Connection refused';
		}

		return programmed.some(address => this.answers(address)) ? undefined : 'Connection timed out';
	}

	// ---------------------------------------------------------------------------------------
	// Ground truth

	/** The frontend pod the proxy would use now, or any frontend pod, to judge DNS from. */
	private vantagePod(): KubeObject | undefined {
		const backend = this.backend('default', 'frontend');
		if (backend?.pod) {
			return backend.pod;
		}

		return this.context.indexes.podsMatching('default', {app: 'guestbook', tier: 'frontend'}).find(pod => pod.spec?.nodeName && !isTerminating(pod));
	}

	private guestbookWorks(): boolean {
		const backend = this.backend('default', 'frontend');
		if (!backend?.pod || !backend.answers) {
			return false;
		}

		const node = backend.pod.spec?.nodeName;
		if (this.dnsHealth(node).state === 'down' || !this.context.store.get('services', 'default', 'redis-follower')) {
			return false;
		}

		return this.redisConnectFailure(backend.pod, 'redis-follower') === undefined;
	}

	evaluateTruth(): void {
		const now = this.context.clock.now();
		const vantage = this.vantagePod();
		const dnsNode = vantage?.spec?.nodeName ?? this.context.indexes.nodeNames[0];
		mark(this.dnsDown, this.dnsHealth(dnsNode).state === 'down', now);
		mark(this.guestbookDown, !this.guestbookWorks(), now);
	}

	/** The node lifecycle controller marked a node Unknown (ready false) or its kubelet posted Ready again. */
	nodeReadinessChanged(nodeName: string, ready: boolean): void {
		this.nodesNotReady[nodeName] ??= [];
		mark(this.nodesNotReady[nodeName], !ready, this.context.clock.now());
	}

	truth(): Truth {
		return {guestbook: structuredClone(this.guestbookDown), dns: structuredClone(this.dnsDown), nodesNotReady: structuredClone(this.nodesNotReady)};
	}
}

function mark(intervals: TruthInterval[], down: boolean, now: number): void {
	const last = intervals.at(-1);
	const open = last !== undefined && last.endMs === undefined;
	if (down && !open) {
		intervals.push({startMs: now});
	} else if (!down && open) {
		last.endMs = now;
	}
}

function readyAddresses(endpoints: KubeObject): ProgrammedAddress[] {
	const out: ProgrammedAddress[] = [];
	for (const subset of (endpoints.subsets as any[] | undefined) ?? []) {
		for (const address of subset.addresses ?? []) {
			out.push({ip: address.ip, podUid: address.targetRef?.uid, podName: address.targetRef?.name, nodeName: address.nodeName});
		}
	}

	return out;
}

function statusResult(code: number, reason: string, message: string, details?: Record<string, string>): ProxyResult {
	return {
		status: code,
		contentType: 'application/json',
		body: JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? {details} : {}), code}),
	};
}

function phpFatal(message: string, host: string): ProxyResult {
	const file = '/usr/local/lib/php/Predis/Connection/AbstractConnection.php';
	return {
		status: 500,
		contentType: 'text/html; charset=UTF-8',
		body: `<br />\nFatal error: Uncaught Predis\\Connection\\ConnectionException: ${message} [tcp://${host}:6379] in ${file}:155\nStack trace:\n#0 /usr/local/lib/php/Predis/Connection/StreamConnection.php(128): Predis\\Connection\\AbstractConnection->onConnectionError('${message.slice(0, 15)}...', 0)\n#1 /var/www/html/guestbook.php(20): Predis\\Client->get('messages')\n#2 {main}\n  thrown in ${file} on line 155\n`,
	};
}

const guestbookHtml = `<html ng-app="redis">
  <head>
    <title>Guestbook</title>
    <link rel="stylesheet" href="//netdna.bootstrapcdn.com/bootstrap/3.1.1/css/bootstrap.min.css">
    <script src="https://ajax.googleapis.com/ajax/libs/angularjs/1.2.12/angular.min.js"></script>
    <script src="controllers.js"></script>
    <script src="https://cdnjs.cloudflare.com/ajax/libs/angular-ui-bootstrap/0.13.0/ui-bootstrap-tpls.js"></script>
  </head>
  <body ng-controller="RedisCtrl">
    <div style="width: 50%; margin-left: 20px">
      <h2>Guestbook</h2>
    <form>
    <fieldset>
    <input ng-model="msg" placeholder="Messages" class="form-control" type="text" name="input"><br>
    <button type="button" class="btn btn-primary" ng-click="controller.onRedis()">Submit</button>
    </fieldset>
    </form>
    <div>
      <div ng-repeat="msg in messages track by $index">
        {{msg}}
      </div>
    </div>
    </div>
  </body>
</html>
`;
