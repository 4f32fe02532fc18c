// The simulated cluster's world: the objects of a profile, the store and the indexes kept
// from its events (indexes.ts), the timers of the controllers, and the SimCluster interface
// the HTTP server uses, whose verbs are the API server's part. It is the composition root:
// it builds one context (controller.ts) and registers the controllers, each in its own file
// with its own state — scheduler.ts, kubelet.ts (pod start, termination, mirror pods,
// container kill), workload-controllers.ts (ReplicaSet, Deployment, DaemonSet),
// endpoints-controller.ts, garbage-collector.ts, network.ts (kube-proxy, DNS, ground truth),
// addon-manager.ts (with the kube-dns-autoscaler); node-agent.ts and host.ts are the nodes'
// kubelet service and host, defaults.ts what the API server fills in, timing.ts every delay.
// Controllers react to store events, but never change the store inside a store listener:
// every reaction goes through the clock (at least a zero delay) so that watchers see
// changes in order.
import type {ClusterOptions, DeleteOptions, DeleteResult, ExecResult, ProxyResult, SimCluster, Truth} from '../cluster.js';
import type {SimClock, Timer} from '../clock.js';
import {groupResourceName, isClusterScoped, Store, StoreError, type KubeObject, type Resource, type StoreEvent} from '../store.js';
import {Addresses} from './addresses.js';
import {AddonManager} from './addon-manager.js';
import type {Controller, ControllerContext} from './controller.js';
import {Defaults} from './defaults.js';
import {EndpointsController} from './endpoints-controller.js';
import {EventRecorder} from './events.js';
import {GarbageCollector} from './garbage-collector.js';
import {guestbookManifests} from './gke-profile.js';
import {Host} from './host.js';
import {Indexes} from './indexes.js';
import {Kubelet} from './kubelet.js';
import {Network} from './network.js';
import {NodeAgent} from './node-agent.js';
import {freshPodName, isReady, isTerminating, ownerRef, podFromTemplate, settledStatus} from './pods.js';
import {profileNamed, type ProfileDefinition} from './profiles.js';
import {Scheduler} from './scheduler.js';
import {hour} from './timing.js';
import {iso, randomSafeString} from './util.js';
import {deploymentStatus, replicaSetStatus, WorkloadControllers} from './workload-controllers.js';

export {timing} from './timing.js';

export type WorldOptions = ClusterOptions & {
	/** Source of randomness for delays and name suffixes (tests may pass a fixed one). */
	random?: () => number;
	/** Most Events kept per namespace. */
	eventLimit?: number;
};

export class World implements SimCluster {
	readonly store: Store;
	private readonly events: EventRecorder;
	private readonly indexes = new Indexes();
	readonly network: Network;
	readonly nodeAgent: NodeAgent;
	private readonly random: () => number;
	private readonly profile: ProfileDefinition;
	private readonly addresses: Addresses;
	private readonly defaults: Defaults;
	private readonly workloads: WorkloadControllers;
	private readonly scheduler: Scheduler;
	private readonly kubelet: Kubelet;
	private readonly endpoints: EndpointsController;
	private readonly garbageCollector: GarbageCollector;
	/** Every controller, in the order they hear a change. */
	private readonly controllers: Controller[] = [];
	private building = true;
	private started = false;
	private backdateMs: number | undefined;
	private readonly unsubscribe: () => void;
	/** Debounced controller work, by key. */
	private readonly pending = new Map<string, Timer>();
	/** Timers cancelled together: a pod's kubelet work, a node's lifecycle. */
	private readonly timerGroups = new Map<string, Set<Timer>>();

	constructor(readonly clock: SimClock, options: WorldOptions) {
		this.random = options.random ?? Math.random;
		this.store = new Store({now: () => this.backdateMs ?? clock.now()});
		this.events = new EventRecorder(this.store, clock, options.eventLimit ?? 1000);
		this.profile = profileNamed(options.profile);
		this.addresses = new Addresses(this.profile, this.indexes);
		const context: ControllerContext = {
			store: this.store,
			clock,
			random: this.random,
			events: this.events,
			indexes: this.indexes,
			addresses: this.addresses,
			profile: this.profile,
			salt: randomSafeString(8),
			schedule: {
				soon: (key, ms, fn) => {
					this.soon(key, ms, fn);
				},
				after: (group, ms, fn) => {
					this.after(group, ms, fn);
				},
				cancel: group => {
					this.cancel(group);
				},
			},
			api: {
				delete: (resource, namespace, name, deleteOptions) => this.delete(resource, namespace, name, deleteOptions),
				deletePod: (pod, gracePeriodSeconds) => this.kubelet.deletePod(pod, gracePeriodSeconds),
			},
		};
		this.defaults = new Defaults(context);
		// The network and the node agent reach the kubelet through the small interfaces they
		// declare; the kubelet, made after them (it uses both), is called back through these closures.
		this.network = new Network(context, {
			killContainer: (pod, containerName) => {
				this.kubelet.killContainer(pod, containerName);
			},
			kubeletUnreachable: nodeName => this.kubeletUnreachable(nodeName),
		});
		this.nodeAgent = new NodeAgent(context, this.network, {
			terminate: (uid, graceSeconds) => {
				this.kubelet.terminate(uid, graceSeconds);
			},
			pickUp: uid => {
				this.kubelet.pickUp(uid);
			},
			recreateMirror: (known, fresh) => {
				this.kubelet.recreateMirror(known, fresh);
			},
		});

		// The controllers, in the order they hear each change (the order their timers are set in).
		this.workloads = this.register(new WorkloadControllers(context, this.defaults));
		this.scheduler = this.register(new Scheduler(context));
		this.kubelet = this.register(new Kubelet(context, this.network, this.nodeAgent, new Host(context, this.nodeAgent)));
		this.endpoints = this.register(new EndpointsController(context));
		this.garbageCollector = this.register(new GarbageCollector(context));
		this.register(this.network);
		this.register(new AddonManager(context, this.defaults));

		this.unsubscribe = this.store.subscribe(event => {
			this.onStoreEvent(event);
		});
		this.build(Math.max(1, Math.floor(options.nodes ?? this.profile.defaultNodes)));
	}

	get nodeNames(): readonly string[] {
		return this.indexes.nodeNames;
	}

	/** Whether the kube-proxy container on a node is running (its rules follow the API only then). */
	kubeProxyRunning(nodeName: string): boolean {
		return this.network.kubeProxyRunning(nodeName);
	}

	private register<T extends Controller>(controller: T): T {
		this.controllers.push(controller);
		return controller;
	}

	// ---------------------------------------------------------------------------------------
	// Building the settled world

	private build(nodeCount: number): void {
		const now = this.clock.now();
		this.events.enabled = false;
		const at = (ms: number) => {
			this.backdateMs = ms;
		};

		const clusterBorn = now - (3 * hour) - (10 * 60_000);
		at(clusterBorn);
		for (const name of this.profile.namespaces) {
			this.store.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name}, spec: {finalizers: ['kubernetes']}, status: {phase: 'Active'}});
		}

		const nodes = this.profile.nodes(nodeCount);
		for (const [index, node] of nodes.entries()) {
			for (const condition of node.status.conditions) {
				condition.lastHeartbeatTime = iso(now - 5000);
				condition.lastTransitionTime = iso(clusterBorn + 30_000);
			}

			at(clusterBorn + 20_000 + index);
			this.store.create('nodes', node);
		}

		at(clusterBorn + 5000);
		this.store.create('services', structuredClone(this.profile.kubernetesService));
		const apiServer = this.profile.apiServerEndpoint;
		this.store.create('endpoints', {apiVersion: 'v1', kind: 'Endpoints', metadata: {name: 'kubernetes', namespace: 'default'}, subsets: [{addresses: [{ip: apiServer.ip}], ports: [{name: 'https', port: apiServer.port, protocol: 'TCP'}]}]});

		const addonsBorn = clusterBorn + 60_000;
		at(addonsBorn);
		for (const manifest of this.profile.addons.services) {
			this.defaults.create('services', structuredClone(manifest));
		}

		const settle = (createdMs: number) => ({createdMs, startMs: createdMs + 1500, readyMs: createdMs + 15_000});
		for (const manifest of this.profile.addons.deployments) {
			const deployment = structuredClone(manifest);
			if (deployment.metadata.name === 'kube-dns' && this.profile.kubeDnsReplicas) {
				deployment.spec.replicas = this.profile.kubeDnsReplicas(nodeCount);
			}

			this.buildDeployment(deployment, addonsBorn, () => settle(addonsBorn + 2000 + Math.floor(this.random() * 120_000)));
		}

		for (const manifest of this.profile.addons.daemonsets) {
			this.buildDaemonSet(structuredClone(manifest), addonsBorn, index => settle(addonsBorn + 3000 + index));
		}

		for (const [index, nodeName] of this.indexes.nodeNames.entries()) {
			const born = clusterBorn + 25_000 + index;
			at(born);
			for (const pod of this.profile.staticPods(nodeName, index)) {
				this.kubelet.createMirrorPod(pod, nodeName, born);
			}
		}

		const appsBorn = now - (2 * hour) - (50 * 60_000);
		const guestbook = guestbookManifests();
		at(appsBorn);
		for (const manifest of guestbook.services) {
			this.defaults.create('services', manifest);
		}

		for (const manifest of guestbook.deployments) {
			this.buildDeployment(manifest, appsBorn, () => settle(appsBorn + 1000 + Math.floor(this.random() * 5000)));
		}

		at(appsBorn + 30_000);
		for (const service of this.store.list('services')) {
			this.endpoints.sync(service.metadata.namespace!, service.metadata.name, appsBorn + 30_000);
		}

		this.backdateMs = undefined;

		this.building = false;
		this.events.enabled = true;
		this.network.programAll();
		this.network.evaluateTruth();
	}

	/** A Deployment, its ReplicaSet and its settled pods, written directly (no controller round trips). */
	private buildDeployment(input: KubeObject, createdMs: number, podTimes: () => {createdMs: number; startMs: number; readyMs: number}): void {
		this.backdateMs = createdMs;
		const deployment = this.defaults.create('deployments', input);
		const replicas = deployment.spec.replicas ?? 1;
		const replicaSet = this.store.create('replicasets', this.workloads.replicaSetFor(deployment, replicas, 1));
		const pods: KubeObject[] = [];
		for (let i = 0; i < replicas; i++) {
			const times = podTimes();
			this.backdateMs = times.createdMs;
			const nodeName = this.scheduler.leastLoadedNode(replicaSet.spec.template.spec) ?? this.indexes.nodeNames[0];
			const pod = podFromTemplate(replicaSet.spec.template, replicaSet.metadata.namespace!, freshPodName(this.store, replicaSet.metadata.namespace!, `${replicaSet.metadata.name}-`), ownerRef(replicaSet));
			pod.spec.nodeName = nodeName;
			pod.status = settledStatus(pod, this.addresses.nodeIp(nodeName), this.addresses.allocatePodIp(nodeName, pod), times.startMs, times.readyMs);
			pods.push(this.store.create('pods', pod));
		}

		this.backdateMs = createdMs;
		const rsStatus = replicaSetStatus(replicaSet, pods);
		const builtReplicaSet = this.store.update('replicasets', replicaSet.metadata.namespace, replicaSet.metadata.name, draft => {
			draft.status = rsStatus;
		});
		const status = deploymentStatus(deployment, [builtReplicaSet], builtReplicaSet.metadata.name, createdMs + 20_000);
		this.store.update('deployments', deployment.metadata.namespace, deployment.metadata.name, draft => {
			draft.status = status;
		});
	}

	private buildDaemonSet(input: KubeObject, createdMs: number, podTimes: (index: number) => {createdMs: number; startMs: number; readyMs: number}): void {
		this.backdateMs = createdMs;
		const daemonSet = this.defaults.create('daemonsets', input);
		for (const [index, nodeName] of this.workloads.eligibleNodes(daemonSet).entries()) {
			const times = podTimes(index);
			this.backdateMs = times.createdMs;
			const pod = this.workloads.daemonPod(daemonSet, nodeName);
			pod.spec.nodeName = nodeName;
			const hostIp = this.addresses.nodeIp(nodeName);
			pod.status = settledStatus(pod, hostIp, pod.spec.hostNetwork ? hostIp : this.addresses.allocatePodIp(nodeName, pod), times.startMs, times.readyMs);
			this.store.create('pods', pod);
		}

		this.backdateMs = createdMs;
		const status = this.workloads.daemonSetStatus(daemonSet);
		this.store.update('daemonsets', daemonSet.metadata.namespace, daemonSet.metadata.name, draft => {
			draft.status = status;
		});
	}

	// ---------------------------------------------------------------------------------------
	// SimCluster

	start(): void {
		if (this.started) {
			return;
		}

		this.started = true;
		for (const controller of this.controllers) {
			controller.start?.();
		}
	}

	stop(): void {
		for (const controller of this.controllers) {
			controller.stop?.();
		}

		// The clock cancels every timer it gave out; only the names of them are dropped here.
		this.pending.clear();
		this.timerGroups.clear();
		this.clock.stop();
		this.unsubscribe();
		this.started = false;
	}

	create(resource: Resource, object: KubeObject): KubeObject {
		const namespace = object.metadata?.namespace;
		if (!isClusterScoped(resource)) {
			if (!namespace) {
				throw new StoreError(400, 'BadRequest', 'the server could not find the requested resource: namespace is required');
			}

			if (!this.store.get('namespaces', undefined, namespace)) {
				throw new StoreError(404, 'NotFound', `namespaces "${namespace}" not found`);
			}

			const terminating = this.store.get('namespaces', undefined, namespace);
			if (terminating?.status?.phase === 'Terminating') {
				throw new StoreError(409, 'Conflict', `${groupResourceName(resource)} "${object.metadata.name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`);
			}
		}

		return this.defaults.create(resource, structuredClone(object));
	}

	replace(resource: Resource, namespace: string | undefined, name: string, object: KubeObject): KubeObject {
		const current = this.store.mustGet(resource, namespace, name);
		const wanted = object.metadata?.resourceVersion;
		if (wanted && wanted !== current.metadata.resourceVersion) {
			throw new StoreError(409, 'Conflict', `Operation cannot be fulfilled on ${groupResourceName(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
		}

		const incoming = this.defaults.withDefaults(resource, structuredClone(object), false);
		return this.store.update(resource, namespace, name, draft => {
			draft.metadata.labels = incoming.metadata.labels;
			draft.metadata.annotations = incoming.metadata.annotations;
			if (incoming.metadata.ownerReferences !== undefined) {
				draft.metadata.ownerReferences = incoming.metadata.ownerReferences;
			}

			if (resource === 'services' && incoming.spec) {
				incoming.spec.clusterIP ??= current.spec?.clusterIP;
			}

			if (resource === 'pods') {
				// A pod's spec is immutable but for container images.
				for (const container of draft.spec.containers) {
					const next = incoming.spec?.containers?.find((candidate: any) => candidate.name === container.name);
					if (next?.image) {
						container.image = next.image;
					}
				}
			} else if (incoming.spec !== undefined) {
				draft.spec = incoming.spec;
			}

			if (resource === 'endpoints' || resource === 'configmaps' || resource === 'events') {
				for (const [field, value] of Object.entries(incoming)) {
					if (!['apiVersion', 'kind', 'metadata', 'spec', 'status'].includes(field)) {
						draft[field] = value;
					}
				}
			}
		});
	}

	delete(resource: Resource, namespace: string | undefined, name: string, options: DeleteOptions): DeleteResult {
		const object = this.store.mustGet(resource, namespace, name);
		if (resource === 'pods') {
			return {kind: 'object', object: this.kubelet.deletePod(object, options.gracePeriodSeconds)};
		}

		const details = {name, kind: resource, uid: object.metadata.uid!, ...(groupResourceName(resource).endsWith('.apps') ? {group: 'apps'} : {})};
		if (object.metadata.deletionTimestamp && object.metadata.finalizers?.length) {
			return {kind: 'object', object};
		}

		const policy = options.propagationPolicy ?? 'Background';
		if (resource === 'namespaces') {
			return {kind: 'object', object: this.garbageCollector.deleteNamespace(object)};
		}

		if (policy === 'Foreground' && this.indexes.dependentRefs(object.metadata.uid!).length > 0) {
			return {kind: 'object', object: this.garbageCollector.deleteInForeground(resource, object)};
		}

		if (policy === 'Orphan') {
			return {kind: 'object', object: this.garbageCollector.deleteOrphaning(resource, object)};
		}

		this.store.remove(resource, namespace, name);
		if (resource === 'nodes' && this.indexes.nodeRemoved(name)) {
			this.garbageCollector.collectPodsOf(name);
		}

		this.garbageCollector.deleteDependentsSoon(object.metadata.uid!);
		if (policy === 'Foreground') {
			// Nothing depended on it: Foreground is then the same as an immediate removal.
			return {kind: 'object', object};
		}

		return {kind: 'status', details};
	}

	kubeletUnreachable(nodeName: string | undefined): string | undefined {
		if (!nodeName || this.nodeAgent.kubeletRunning(nodeName)) {
			return undefined;
		}

		return `error dialing backend: dial tcp ${this.addresses.nodeIp(nodeName)}:10250: connect: connection refused`;
	}

	async exec(namespace: string, pod: string, container: string | undefined, command: string[]): Promise<ExecResult> {
		return this.network.exec(namespace, pod, container, command);
	}

	async proxyService(namespace: string, service: string, port: string | undefined, pathAndQuery: string): Promise<ProxyResult> {
		return this.network.proxyService(namespace, service, port, pathAndQuery);
	}

	metricsAvailable(): boolean {
		return this.indexes.podsMatching('kube-system', {'k8s-app': 'metrics-server'}).some(pod => isReady(pod) && !isTerminating(pod));
	}

	truth(): Truth {
		return this.network.truth();
	}

	// ---------------------------------------------------------------------------------------
	// Store events → indexes → controllers

	private onStoreEvent(event: StoreEvent): void {
		const {resource, object, type} = event;
		if (resource === 'events') {
			return;
		}

		const previous = this.indexes.take(event);
		if (this.building) {
			return;
		}

		const change = {resource, type, object, previous: type === 'ADDED' ? undefined : previous};
		for (const controller of this.controllers) {
			controller.onChange?.(change);
		}
	}

	// ---------------------------------------------------------------------------------------
	// Timers

	/** Run `fn` once after `ms`; further requests with the same key before then are merged into it. */
	private soon(key: string, ms: number, fn: () => void): void {
		if (this.pending.has(key)) {
			return;
		}

		this.pending.set(key, this.clock.after(ms, () => {
			this.pending.delete(key);
			fn();
		}));
	}

	private after(group: string, ms: number, fn: () => void): void {
		let timers = this.timerGroups.get(group);
		if (!timers) {
			timers = new Set();
			this.timerGroups.set(group, timers);
		}

		const set = timers;
		const timer = this.clock.after(ms, () => {
			set.delete(timer);
			if (set.size === 0 && this.timerGroups.get(group) === set) {
				this.timerGroups.delete(group);
			}

			fn();
		});
		set.add(timer);
	}

	private cancel(group: string): void {
		for (const timer of this.timerGroups.get(group) ?? []) {
			timer.cancel();
		}

		this.timerGroups.delete(group);
	}
}
