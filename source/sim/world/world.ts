// The simulated cluster's world: the objects of a profile, the store and the indexes kept
// from its events, every timer, and the SimCluster interface the HTTP server uses. It is
// the composition root of the controllers that make the objects behave, each a set of
// functions of the World in its own file: the scheduler is here; kubelet.ts (pod start,
// termination, mirror pods, container kill), workload-controllers.ts (ReplicaSet,
// Deployment, DaemonSet), garbage-collector.ts, endpoints-controller.ts, addon-manager.ts
// (with the kube-dns-autoscaler), defaults.ts (what the API server fills in), timing.ts.
// Controllers react to store events, but never change the store inside a store listener:
// every reaction goes through the clock (at least a zero delay) so that watchers see
// changes in order.
import type {ClusterOptions, DeleteOptions, DeleteResult, ExecResult, ProxyResult, SimCluster, Truth} from '../cluster.js';
import type {SimClock, Timer} from '../clock.js';
import {
	groupResourceName, isClusterScoped, Store, StoreError, type KubeObject, type OwnerReference, type Resource, type StoreEvent,
} from '../store.js';
import {runAddonManager, runKubeDnsAutoscaler} from './addon-manager.js';
import {createDefaulted, withDefaults} from './defaults.js';
import {syncServiceEndpoints} from './endpoints-controller.js';
import {checkForegroundOwners, deleteDependents, deleteNamespace, orphanDependents} from './garbage-collector.js';
import {EventRecorder} from './events.js';
import {guestbookManifests} from './gke-profile.js';
import {applyExit} from './host.js';
import {deletePodGracefully, killPodContainer, kubeletStart, kubeletTerminate, mirrorDeleted} from './kubelet.js';
import {Network} from './network.js';
import {kubeletRunning, type StoppedKubelet} from './node-agent.js';
import {profileNamed, type ProfileDefinition} from './profiles.js';
import {addonIntervalMs, autoscalerPollMs, hour, timing} from './timing.js';
import {
	byName, controllerOf, defaultPodSpec, isFinished, isMirrorPod, isReady, isTerminating, podFromTemplate, setCondition, settledStatus,
	type ContainerStatus,
} from './pods.js';
import {addToIndex, between, iso, matchesSelector, randomSafeString, removeFromIndex} from './util.js';
import {
	daemonPod, daemonSetStatus, deploymentStatus, eligibleNodes, replicaSetFor, replicaSetStatus, syncDaemonSet, syncDeployment, syncReplicaSet,
	targetNodeOf, updateDaemonSetStatus,
} from './workload-controllers.js';

export {timing} from './timing.js';

export type WorldOptions = ClusterOptions & {
	/** Source of randomness for delays and name suffixes (tests may pass a fixed one). */
	random?: () => number;
	/** Most Events kept per namespace. */
	eventLimit?: number;
};

const podKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

export type Ref = {resource: Resource; namespace?: string; name: string};

export class World implements SimCluster {
	readonly store: Store;
	readonly events: EventRecorder;
	readonly network: Network;
	readonly random: () => number;
	readonly nodeNames: string[] = [];
	readonly nodeIndex = new Map<string, number>();
	readonly salt: string;
	private building = true;
	private started = false;
	private backdateMs: number | undefined;
	private readonly unsubscribe: () => void;
	private readonly intervals: Timer[] = [];

	// Indexes, kept up to date from store events.
	readonly previous = new Map<string, KubeObject>();
	readonly refByUid = new Map<string, Ref>();
	readonly dependents = new Map<string, Set<string>>();
	readonly podsOnNode = new Map<string, Set<string>>();
	private readonly podLabelIndex = new Map<string, Set<string>>();
	private readonly servicesByNamespace = new Map<string, Map<string, KubeObject>>();
	private readonly nextPodIp = new Map<string, number>();
	readonly usedClusterIps = new Set<string>();
	nextClusterIp = 20;

	// Debounced controller work and per-pod kubelet timers.
	private readonly pending = new Map<string, Timer>();
	private readonly podTimers = new Map<string, Set<Timer>>();
	/** The last known mirror pod of each static pod, by name: the kubelet's own view, kept across mirror deletion. */
	readonly staticPods = new Map<string, KubeObject>();
	readonly backoffs = new Map<string, {nextMs: number; lastStartMs: number}>();
	readonly imagesOnNode = new Map<string, Set<string>>();
	readonly revisionHashes = new Map<string, string>();
	private readonly nodeTaints = new Map<string, any[]>();
	readonly eligibleCache = new Map<string, {key: string; nodes: string[]}>();
	/** Bumped whenever a node is added, removed or changed: invalidates eligibleCache. */
	nodesVersion = 0;
	readonly profile: ProfileDefinition;
	readonly manifests: ProfileDefinition['addons'];

	// The nodes' hosts (node-agent.ts, host.ts): stopped kubelets, static-pod manifests moved
	// out of the kubelet's directory (by pod name) and where they were parked, transient
	// systemd units, and the exits of commands that ended while their kubelet was away.
	readonly kubeletsDown = new Map<string, StoppedKubelet>();
	readonly removedManifests = new Set<string>();
	readonly parkedManifests = new Map<string, string>();
	readonly hostUnits = new Set<string>();
	hostUnitCount = 0;
	readonly finishedWhileAway = new Map<string, {exitCode: number; at: number; message: string}>();

	constructor(readonly clock: SimClock, options: WorldOptions) {
		this.random = options.random ?? Math.random;
		this.salt = randomSafeString(8);
		this.store = new Store({now: () => this.backdateMs ?? clock.now()});
		this.events = new EventRecorder(this.store, clock, options.eventLimit ?? 1000);
		this.network = new Network(this);
		this.unsubscribe = this.store.subscribe(event => {
			this.onStoreEvent(event);
		});
		this.profile = profileNamed(options.profile);
		this.manifests = this.profile.addons;
		this.build(Math.max(1, Math.floor(options.nodes ?? this.profile.defaultNodes)));
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
		for (const manifest of this.manifests.services) {
			createDefaulted(this, 'services', structuredClone(manifest));
		}

		const settle = (createdMs: number) => ({createdMs, startMs: createdMs + 1500, readyMs: createdMs + 15_000});
		for (const manifest of this.manifests.deployments) {
			const deployment = structuredClone(manifest);
			if (deployment.metadata.name === 'kube-dns' && this.profile.kubeDnsReplicas) {
				deployment.spec.replicas = this.profile.kubeDnsReplicas(nodeCount);
			}

			this.buildDeployment(deployment, addonsBorn, () => settle(addonsBorn + 2000 + Math.floor(this.random() * 120_000)));
		}

		for (const manifest of this.manifests.daemonsets) {
			this.buildDaemonSet(structuredClone(manifest), addonsBorn, index => settle(addonsBorn + 3000 + index));
		}

		for (const [index, nodeName] of this.nodeNames.entries()) {
			const born = clusterBorn + 25_000 + index;
			at(born);
			for (const pod of this.profile.staticPods(nodeName, index)) {
				this.createMirrorPod(pod, nodeName, born);
			}
		}

		const appsBorn = now - (2 * hour) - (50 * 60_000);
		const guestbook = guestbookManifests();
		at(appsBorn);
		for (const manifest of guestbook.services) {
			createDefaulted(this, 'services', manifest);
		}

		for (const manifest of guestbook.deployments) {
			this.buildDeployment(manifest, appsBorn, () => settle(appsBorn + 1000 + Math.floor(this.random() * 5000)));
		}

		at(appsBorn + 30_000);
		for (const service of this.store.list('services')) {
			syncServiceEndpoints(this, service.metadata.namespace!, service.metadata.name, appsBorn + 30_000);
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
		const deployment = createDefaulted(this, 'deployments', input);
		const replicas = deployment.spec.replicas ?? 1;
		const replicaSet = this.store.create('replicasets', replicaSetFor(this, deployment, replicas, 1));
		const pods: KubeObject[] = [];
		for (let i = 0; i < replicas; i++) {
			const times = podTimes();
			this.backdateMs = times.createdMs;
			const nodeName = this.leastLoadedNode(replicaSet.spec.template.spec) ?? this.nodeNames[0];
			const pod = podFromTemplate(replicaSet.spec.template, replicaSet.metadata.namespace!, this.freshPodName(replicaSet.metadata.namespace!, `${replicaSet.metadata.name}-`), this.ownerRef(replicaSet));
			pod.spec.nodeName = nodeName;
			pod.status = settledStatus(pod, this.nodeIp(nodeName), this.allocatePodIp(nodeName, pod), times.startMs, times.readyMs);
			pods.push(this.store.create('pods', pod));
		}

		this.backdateMs = createdMs;
		const rsStatus = replicaSetStatus(this, replicaSet, pods);
		const builtReplicaSet = this.store.update('replicasets', replicaSet.metadata.namespace, replicaSet.metadata.name, draft => {
			draft.status = rsStatus;
		});
		const status = deploymentStatus(this, deployment, [builtReplicaSet], builtReplicaSet.metadata.name, createdMs + 20_000);
		this.store.update('deployments', deployment.metadata.namespace, deployment.metadata.name, draft => {
			draft.status = status;
		});
	}

	private buildDaemonSet(input: KubeObject, createdMs: number, podTimes: (index: number) => {createdMs: number; startMs: number; readyMs: number}): void {
		this.backdateMs = createdMs;
		const daemonSet = createDefaulted(this, 'daemonsets', input);
		for (const [index, nodeName] of eligibleNodes(this, daemonSet).entries()) {
			const times = podTimes(index);
			this.backdateMs = times.createdMs;
			const pod = daemonPod(this, daemonSet, nodeName);
			pod.spec.nodeName = nodeName;
			const hostIp = this.nodeIp(nodeName);
			pod.status = settledStatus(pod, hostIp, pod.spec.hostNetwork ? hostIp : this.allocatePodIp(nodeName, pod), times.startMs, times.readyMs);
			this.store.create('pods', pod);
		}

		this.backdateMs = createdMs;
		const status = daemonSetStatus(this, daemonSet);
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
		if (this.profile.addonManager) {
			this.intervals.push(this.clock.every(addonIntervalMs, () => {
				runAddonManager(this);
			}));
		}

		if (this.profile.kubeDnsReplicas) {
			this.intervals.push(this.clock.every(autoscalerPollMs, () => {
				runKubeDnsAutoscaler(this);
			}));
		}
	}

	stop(): void {
		for (const timer of this.intervals) {
			timer.cancel();
		}

		this.intervals.length = 0;
		for (const timer of this.pending.values()) {
			timer.cancel();
		}

		this.pending.clear();
		for (const timers of this.podTimers.values()) {
			for (const timer of timers) {
				timer.cancel();
			}
		}

		this.podTimers.clear();
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

		return createDefaulted(this, resource, structuredClone(object));
	}

	replace(resource: Resource, namespace: string | undefined, name: string, object: KubeObject): KubeObject {
		const current = this.store.mustGet(resource, namespace, name);
		const wanted = object.metadata?.resourceVersion;
		if (wanted && wanted !== current.metadata.resourceVersion) {
			throw new StoreError(409, 'Conflict', `Operation cannot be fulfilled on ${groupResourceName(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
		}

		const incoming = withDefaults(this, resource, structuredClone(object), false);
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
			return {kind: 'object', object: this.deletePod(object, options.gracePeriodSeconds)};
		}

		const details = {name, kind: resource, uid: object.metadata.uid!, ...(groupResourceName(resource).endsWith('.apps') ? {group: 'apps'} : {})};
		if (object.metadata.deletionTimestamp && object.metadata.finalizers?.length) {
			return {kind: 'object', object};
		}

		const policy = options.propagationPolicy ?? 'Background';
		if (resource === 'namespaces') {
			return {kind: 'object', object: deleteNamespace(this, object)};
		}

		if (policy === 'Foreground' && this.dependentRefs(object.metadata.uid!).length > 0) {
			const marked = this.store.update(resource, namespace, name, draft => {
				draft.metadata.deletionTimestamp = iso(this.clock.now());
				draft.metadata.deletionGracePeriodSeconds = 0;
				draft.metadata.finalizers = [...(draft.metadata.finalizers ?? []), 'foregroundDeletion'];
			});
			this.soon(`gc:${object.metadata.uid}`, 50, () => {
				deleteDependents(this, object.metadata.uid!, 'Foreground');
			});
			return {kind: 'object', object: marked};
		}

		if (policy === 'Orphan') {
			const marked = this.store.update(resource, namespace, name, draft => {
				draft.metadata.deletionTimestamp = iso(this.clock.now());
				draft.metadata.deletionGracePeriodSeconds = 0;
				draft.metadata.finalizers = [...(draft.metadata.finalizers ?? []), 'orphan'];
			});
			this.soon(`gc:${object.metadata.uid}`, 50, () => {
				orphanDependents(this, object.metadata.uid!);
				if (this.store.get(resource, namespace, name)?.metadata.uid === object.metadata.uid) {
					this.store.remove(resource, namespace, name);
				}
			});
			return {kind: 'object', object: marked};
		}

		this.store.remove(resource, namespace, name);
		if (resource === 'nodes') {
			this.nodeRemoved(name);
		}

		this.soon(`gc:${object.metadata.uid}`, between(this.random, 50, 150), () => {
			deleteDependents(this, object.metadata.uid!, 'Background');
		});
		if (policy === 'Foreground') {
			// Nothing depended on it: Foreground is then the same as an immediate removal.
			return {kind: 'object', object};
		}

		return {kind: 'status', details};
	}

	kubeletUnreachable(nodeName: string | undefined): string | undefined {
		if (!nodeName || kubeletRunning(this, nodeName)) {
			return undefined;
		}

		return `error dialing backend: dial tcp ${this.nodeIp(nodeName)}:10250: connect: connection refused`;
	}

	async exec(namespace: string, pod: string, container: string | undefined, command: string[]): Promise<ExecResult> {
		return this.network.exec(namespace, pod, container, command);
	}

	async proxyService(namespace: string, service: string, port: string | undefined, pathAndQuery: string): Promise<ProxyResult> {
		return this.network.proxyService(namespace, service, port, pathAndQuery);
	}

	metricsAvailable(): boolean {
		for (const name of this.podLabelIndex.get('kube-system|k8s-app=metrics-server') ?? []) {
			const pod = this.podByKey(name);
			if (pod && isReady(pod) && !isTerminating(pod)) {
				return true;
			}
		}

		return false;
	}

	truth(): Truth {
		return this.network.truth();
	}

	// ---------------------------------------------------------------------------------------
	// Lookups other parts of the world use

	podByKey(key: string): KubeObject | undefined {
		return this.previous.get(`pods|${key}`);
	}

	podByUid(uid: string | undefined): KubeObject | undefined {
		if (!uid) {
			return undefined;
		}

		const ref = this.refByUid.get(uid);
		return ref?.resource === 'pods' ? this.previous.get(`pods|${podKey(ref.namespace, ref.name)}`) : undefined;
	}

	/** Pods in a namespace whose labels match a selector, found through the label index. */
	podsMatching(namespace: string, selector: Record<string, string> | undefined): KubeObject[] {
		if (!selector || Object.keys(selector).length === 0) {
			return [];
		}

		let smallest: Set<string> | undefined;
		for (const [key, value] of Object.entries(selector)) {
			const set = this.podLabelIndex.get(`${namespace}|${key}=${value}`);
			if (!set) {
				return [];
			}

			if (!smallest || set.size < smallest.size) {
				smallest = set;
			}
		}

		const out: KubeObject[] = [];
		for (const key of smallest ?? []) {
			const pod = this.podByKey(key);
			if (pod && matchesSelector(pod.metadata.labels, selector)) {
				out.push(pod);
			}
		}

		return out;
	}

	nodeIp(nodeName: string): string {
		const index = this.nodeIndex.get(nodeName);
		return this.profile.addressing(index ?? 250).internalIp;
	}

	/** Whether the kube-proxy container on a node is running (its rules follow the API only then). */
	kubeProxyRunning(nodeName: string): boolean {
		const running = (pod: KubeObject | undefined) => ((pod?.status?.containerStatuses ?? []) as ContainerStatus[])
			.some(status => status.name === 'kube-proxy' && status.state?.running);
		const mirror = this.staticPods.get(`kube-proxy-${nodeName}`);
		if (mirror) {
			return running(mirror);
		}

		// kube-proxy as a DaemonSet (kind): the pod on that node.
		for (const key of this.podsOnNode.get(nodeName) ?? []) {
			const pod = this.podByKey(key);
			if (pod?.metadata.labels?.['k8s-app'] === 'kube-proxy' && running(pod)) {
				return true;
			}
		}

		return false;
	}

	/** Run `fn` once after `ms`; further requests with the same key before then are merged into it. */
	soon(key: string, ms: number, fn: () => void): void {
		if (this.pending.has(key)) {
			return;
		}

		this.pending.set(key, this.clock.after(ms, () => {
			this.pending.delete(key);
			fn();
		}));
	}

	// ---------------------------------------------------------------------------------------
	// Store events → indexes → controllers

	private onStoreEvent(event: StoreEvent): void {
		const {resource, object, type} = event;
		if (resource === 'events') {
			return;
		}

		const key = `${resource}|${podKey(object.metadata.namespace, object.metadata.name)}`;
		const previous = this.previous.get(key);
		if (previous) {
			this.unindex(resource, previous);
		}

		if (type === 'DELETED') {
			this.previous.delete(key);
		} else {
			this.previous.set(key, object);
			this.index(resource, object);
		}

		if (this.building) {
			return;
		}

		this.react(resource, type, object, type === 'ADDED' ? undefined : previous);
		this.network.onStoreEvent(resource, object);
	}

	private index(resource: Resource, object: KubeObject): void {
		const meta = object.metadata;
		const key = podKey(meta.namespace, meta.name);
		if (meta.uid) {
			this.refByUid.set(meta.uid, {resource, namespace: meta.namespace, name: meta.name});
		}

		for (const owner of meta.ownerReferences ?? []) {
			addToIndex(this.dependents, owner.uid, `${resource}|${key}`);
		}

		switch (resource) {
			case 'pods': {
				if (object.spec?.nodeName) {
					addToIndex(this.podsOnNode, object.spec.nodeName, key);
				}

				for (const [label, value] of Object.entries(meta.labels ?? {})) {
					addToIndex(this.podLabelIndex, `${meta.namespace}|${label}=${value}`, key);
				}

				if (isMirrorPod(object)) {
					this.staticPods.set(meta.name, object);
				}

				break;
			}

			case 'services': {
				let byName = this.servicesByNamespace.get(meta.namespace!);
				if (!byName) {
					byName = new Map();
					this.servicesByNamespace.set(meta.namespace!, byName);
				}

				byName.set(meta.name, object);
				if (object.spec?.clusterIP) {
					this.usedClusterIps.add(object.spec.clusterIP);
				}

				break;
			}

			case 'nodes': {
				if (!this.nodeIndex.has(meta.name)) {
					this.nodeIndex.set(meta.name, this.nodeNames.length);
					this.nodeNames.push(meta.name);
				}

				this.nodeTaints.set(meta.name, object.spec?.taints ?? []);
				this.nodesVersion++;

				break;
			}

			default:
		}
	}

	private unindex(resource: Resource, object: KubeObject): void {
		const meta = object.metadata;
		const key = podKey(meta.namespace, meta.name);
		if (meta.uid && this.refByUid.get(meta.uid)?.name === meta.name) {
			this.refByUid.delete(meta.uid);
		}

		for (const owner of meta.ownerReferences ?? []) {
			removeFromIndex(this.dependents, owner.uid, `${resource}|${key}`);
		}

		if (resource === 'pods') {
			if (object.spec?.nodeName) {
				removeFromIndex(this.podsOnNode, object.spec.nodeName, key);
			}

			for (const [label, value] of Object.entries(meta.labels ?? {})) {
				removeFromIndex(this.podLabelIndex, `${meta.namespace}|${label}=${value}`, key);
			}
		} else if (resource === 'services') {
			this.servicesByNamespace.get(meta.namespace!)?.delete(meta.name);
			if (object.spec?.clusterIP) {
				this.usedClusterIps.delete(object.spec.clusterIP);
			}
		}
	}

	private react(resource: Resource, type: StoreEvent['type'], object: KubeObject, previous: KubeObject | undefined): void {
		const uid = object.metadata.uid!;
		const specChanged = type === 'ADDED' || (type === 'MODIFIED' && previous?.metadata.generation !== object.metadata.generation);
		switch (resource) {
			case 'pods': {
				this.reactToPod(type, object, previous);
				break;
			}

			case 'replicasets': {
				if (type !== 'DELETED' && specChanged) {
					this.soon(`rs:${uid}`, between(this.random, ...timing.replaceMs), () => {
						syncReplicaSet(this, uid, true);
					});
				}

				const owner = controllerOf(object);
				if (owner?.kind === 'Deployment') {
					if (type === 'DELETED') {
						this.soon(`deploy:${owner.uid}`, between(this.random, ...timing.replaceMs), () => {
							syncDeployment(this, owner.uid);
						});
					} else {
						// A rollout moves on as the ReplicaSets' pods become available.
						this.soon(`deploy:${owner.uid}`, 0, () => {
							syncDeployment(this, owner.uid);
						});
					}
				}

				break;
			}

			case 'deployments': {
				if (type !== 'DELETED' && specChanged) {
					this.soon(`deploy:${uid}`, between(this.random, 50, 150), () => {
						syncDeployment(this, uid);
					});
				}

				break;
			}

			case 'daemonsets': {
				if (type !== 'DELETED' && specChanged) {
					this.soon(`ds:${uid}`, between(this.random, ...timing.replaceMs), () => {
						syncDaemonSet(this, uid);
					});
				}

				break;
			}

			case 'services': {
				if (specChanged || type === 'DELETED') {
					const {namespace, name} = object.metadata;
					this.soon(`ep:${namespace}/${name}`, between(this.random, ...timing.endpointsMs), () => {
						syncServiceEndpoints(this, namespace!, name);
					});
				}

				break;
			}

			case 'nodes': {
				if (type === 'ADDED') {
					this.nodeAdded(object.metadata.name);
				}

				break;
			}

			case 'endpoints': {
				// The endpoints controller puts back the Endpoints of a Service that still has a selector.
				const {namespace, name} = object.metadata;
				if (type === 'DELETED' && this.store.get('services', namespace, name)?.spec?.selector) {
					this.soon(`ep:${namespace}/${name}`, between(this.random, ...timing.endpointsMs), () => {
						syncServiceEndpoints(this, namespace!, name);
					});
				}

				break;
			}

			default:
		}

		if (type === 'DELETED' || object.metadata.ownerReferences?.length) {
			checkForegroundOwners(this, object);
		}
	}

	private reactToPod(type: StoreEvent['type'], pod: KubeObject, previous: KubeObject | undefined): void {
		const uid = pod.metadata.uid!;
		const owner = controllerOf(pod);
		const lost = type === 'DELETED' || (isTerminating(pod) && !isTerminating(previous ?? pod))
			|| (isFinished(pod) && !isFinished(previous ?? pod));
		if (owner?.kind === 'ReplicaSet') {
			this.soon(`rs-status:${owner.uid}`, 0, () => {
				syncReplicaSet(this, owner.uid, false);
			});
			if (lost) {
				this.soon(`rs:${owner.uid}`, between(this.random, ...timing.replaceMs), () => {
					syncReplicaSet(this, owner.uid, true);
				});
			}
		} else if (owner?.kind === 'DaemonSet') {
			// Batched: a DaemonSet's status counts a pod per node (5000 of them on a big cluster).
			this.soon(`ds-status:${owner.uid}`, 100, () => {
				updateDaemonSetStatus(this, owner.uid);
			});
			if (lost) {
				this.soon(`ds:${owner.uid}`, between(this.random, ...timing.replaceMs), () => {
					syncDaemonSet(this, owner.uid);
				});
			}
		}

		if (type === 'ADDED' && !pod.spec?.nodeName) {
			this.soon(`bind:${uid}`, timing.scheduleMs, () => {
				this.bind(uid);
			});
		}

		if (type !== 'DELETED' && pod.spec?.nodeName && !previous?.spec?.nodeName && !pod.status?.containerStatuses && !isTerminating(pod)) {
			this.soon(`kubelet:${uid}`, timing.kubeletPickupMs, () => {
				kubeletStart(this, uid);
			});
		}

		if (type === 'DELETED') {
			this.cancelPodTimers(uid);
			if (isMirrorPod(pod)) {
				mirrorDeleted(this, pod);
			}
		}

		if ((isMirrorPod(pod) && type !== 'DELETED') || pod.metadata.labels?.['k8s-app'] === 'kube-proxy') {
			this.network.kubeProxyMaybeChanged(pod.spec?.nodeName);
		}

		// Endpoints of every Service whose selector picks this pod (before or after the change).
		const namespace = pod.metadata.namespace!;
		for (const service of this.servicesByNamespace.get(namespace)?.values() ?? []) {
			const selector = service.spec?.selector;
			if (matchesSelector(pod.metadata.labels, selector) || matchesSelector(previous?.metadata.labels, selector)) {
				this.soon(`ep:${namespace}/${service.metadata.name}`, between(this.random, ...timing.endpointsMs), () => {
					syncServiceEndpoints(this, namespace, service.metadata.name);
				});
			}
		}
	}

	// ---------------------------------------------------------------------------------------
	// Nodes, names, addresses

	/** The scheduler's choice: the node with the fewest pods among those whose taints the pod tolerates. */
	private leastLoadedNode(podSpec?: any): string | undefined {
		let best: string | undefined;
		let bestCount = Number.POSITIVE_INFINITY;
		const offset = Math.floor(this.random() * this.nodeNames.length);
		for (let i = 0; i < this.nodeNames.length; i++) {
			const name = this.nodeNames[(i + offset) % this.nodeNames.length];
			if (!this.tolerates(podSpec, name)) {
				continue;
			}

			const count = this.podsOnNode.get(name)?.size ?? 0;
			if (count < bestCount) {
				best = name;
				bestCount = count;
			}
		}

		return best;
	}

	tolerates(podSpec: any, nodeName: string): boolean {
		const taints = this.nodeTaints.get(nodeName) ?? [];
		if (taints.length === 0) {
			return true;
		}

		const tolerations: any[] = podSpec?.tolerations ?? [];
		return taints.every(taint => taint.effect === 'PreferNoSchedule' || tolerations.some(toleration =>
			(toleration.operator === 'Exists' && !toleration.key)
			|| (toleration.key === taint.key && (toleration.operator === 'Exists' || toleration.value === taint.value)
				&& (!toleration.effect || toleration.effect === taint.effect))));
	}

	allocatePodIp(nodeName: string, pod: KubeObject): string {
		if (pod.spec?.hostNetwork) {
			return this.nodeIp(nodeName);
		}

		const index = this.nodeIndex.get(nodeName) ?? 0;
		const next = this.nextPodIp.get(nodeName) ?? 0;
		this.nextPodIp.set(nodeName, next + 1);
		return `${this.profile.addressing(index).podCidrPrefix}.${2 + (next % 250)}`;
	}

	freshPodName(namespace: string, prefix: string): string {
		for (;;) {
			// Names use their own randomness, so a test's fixed `random` (for delays) cannot loop here.
			const name = prefix + randomSafeString(5);
			if (!this.store.get('pods', namespace, name)) {
				return name;
			}
		}
	}

	ownerRef(owner: KubeObject): OwnerReference {
		return {apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true};
	}

	dependentRefs(ownerUid: string): Ref[] {
		return [...this.dependents.get(ownerUid) ?? []].map(entry => {
			const [resource, key] = entry.split('|') as [Resource, string];
			const slash = key.indexOf('/');
			return {resource, namespace: key.slice(0, slash) || undefined, name: key.slice(slash + 1)};
		});
	}

	dependentPods(ownerUid: string): KubeObject[] {
		const out: KubeObject[] = [];
		for (const entry of this.dependents.get(ownerUid) ?? []) {
			if (entry.startsWith('pods|')) {
				const pod = this.previous.get(entry);
				if (pod) {
					out.push(pod);
				}
			}
		}

		return out;
	}

	byUid(uid: string): KubeObject | undefined {
		const ref = this.refByUid.get(uid);
		return ref ? this.store.get(ref.resource, ref.namespace, ref.name) : undefined;
	}

	private nodeAdded(nodeName: string): void {
		for (const daemonSet of this.store.list('daemonsets')) {
			const uid = daemonSet.metadata.uid!;
			this.soon(`ds:${uid}`, between(this.random, ...timing.replaceMs), () => {
				syncDaemonSet(this, uid);
			});
		}

		this.soon(`static:${nodeName}`, 1000, () => {
			const index = this.nodeIndex.get(nodeName);
			if (index === undefined) {
				return;
			}

			for (const pod of this.profile.staticPods(nodeName, index)) {
				if (!this.store.get('pods', pod.metadata.namespace, pod.metadata.name)) {
					this.createMirrorPod(pod, nodeName, this.clock.now());
				}
			}
		});
	}

	/** The kubelet's mirror of a static pod, its container running since `bornMs`. */
	private createMirrorPod(pod: KubeObject, nodeName: string, bornMs: number): void {
		pod.metadata.annotations = {...pod.metadata.annotations, 'kubernetes.io/config.seen': iso(bornMs - 5000)};
		if (this.profile.mirrorPodsOwnedByNode) {
			const node = this.store.get('nodes', undefined, nodeName);
			if (node) {
				pod.metadata.ownerReferences = [{apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid!, controller: true}];
			}
		}

		pod.spec = defaultPodSpec({...pod.spec, nodeName});
		const hostIp = this.nodeIp(nodeName);
		pod.status = settledStatus(pod, hostIp, pod.spec.hostNetwork ? hostIp : this.allocatePodIp(nodeName, pod), bornMs - 4000, bornMs);
		this.store.create('pods', pod);
	}

	private nodeRemoved(nodeName: string): void {
		const index = this.nodeIndex.get(nodeName);
		if (index === undefined) {
			return;
		}

		this.nodeIndex.delete(nodeName);
		this.nodeNames.splice(this.nodeNames.indexOf(nodeName), 1);
		this.nodesVersion++;
		this.staticPods.delete(`kube-proxy-${nodeName}`);
		// The pod garbage collector removes the pods of a node that is gone.
		this.soon(`podgc:${nodeName}`, 500, () => {
			for (const key of [...this.podsOnNode.get(nodeName) ?? []]) {
				const pod = this.podByKey(key);
				if (pod) {
					this.cancelPodTimers(pod.metadata.uid!);
					this.store.remove('pods', pod.metadata.namespace, pod.metadata.name);
				}
			}
		});
	}

	// ---------------------------------------------------------------------------------------
	// Scheduler, and the per-pod timers the kubelets (kubelet.ts) run on

	private bind(uid: string): void {
		const pod = this.podByUid(uid);
		if (!pod || pod.spec?.nodeName || isTerminating(pod) || this.nodeNames.length === 0) {
			return;
		}

		const wanted = targetNodeOf(this, pod);
		const nodeName = wanted && this.nodeIndex.has(wanted) ? wanted : this.leastLoadedNode(pod.spec);
		if (!nodeName) {
			// Nothing fits: a real scheduler would record FailedScheduling and retry.
			this.soon(`bind:${uid}`, 1000, () => {
				this.bind(uid);
			});
			return;
		}

		const now = this.clock.now();
		const bound = this.store.update('pods', pod.metadata.namespace, pod.metadata.name, draft => {
			draft.spec.nodeName = nodeName;
			draft.status ??= {};
			setCondition(draft.status, 'PodScheduled', true, now);
		});
		this.events.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`, {component: 'default-scheduler'});
	}

	podTimer(identity: string, ms: number, fn: () => void): void {
		let timers = this.podTimers.get(identity);
		if (!timers) {
			timers = new Set();
			this.podTimers.set(identity, timers);
		}

		const set = timers;
		const timer = this.clock.after(ms, () => {
			set.delete(timer);
			if (set.size === 0 && this.podTimers.get(identity) === set) {
				this.podTimers.delete(identity);
			}

			fn();
		});
		set.add(timer);
	}

	cancelPodTimers(identity: string): void {
		for (const timer of this.podTimers.get(identity) ?? []) {
			timer.cancel();
		}

		this.podTimers.delete(identity);
	}

	/** Graceful pod deletion as the API server and the kubelet do it. */
	deletePod(pod: KubeObject, gracePeriodSeconds: number | undefined): KubeObject {
		return deletePodGracefully(this, pod, gracePeriodSeconds);
	}

	/** `kill 1` in a container: its main process ends; the kubelet restarts it after its back-off. */
	killContainer(pod: KubeObject, containerName: string): void {
		killPodContainer(this, pod, containerName);
	}

	// ---------------------------------------------------------------------------------------
	// What the node agent (node-agent.ts) asks of the kubelet and the world

	kubeletTerminate(uid: string, graceSeconds: number): void {
		kubeletTerminate(this, uid, graceSeconds);
	}

	kubeletPickUp(uid: string): void {
		kubeletStart(this, uid);
	}

	manifestRemoved(staticPodName: string): boolean {
		return this.removedManifests.has(staticPodName);
	}

	/** The static pods the profile gives a node (their mirror pods' names). */
	staticPodNamesOn(nodeName: string): string[] {
		const index = this.nodeIndex.get(nodeName);
		return index === undefined ? [] : this.profile.staticPods(nodeName, index).map(pod => pod.metadata.name);
	}

	applyFinishedWhileAway(draft: KubeObject): void {
		const exit = this.finishedWhileAway.get(draft.metadata.uid!);
		if (exit) {
			this.finishedWhileAway.delete(draft.metadata.uid!);
			applyExit(draft, exit);
		}
	}

	/** A mirror pod for a static pod the kubelet runs: its last known status, or (fresh) a container still to start. */
	recreateMirror(known: KubeObject, fresh = false): void {
		const now = this.clock.now();
		const mirror: KubeObject = {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {
				name: known.metadata.name,
				namespace: known.metadata.namespace,
				labels: known.metadata.labels,
				annotations: fresh ? {...known.metadata.annotations, 'kubernetes.io/config.seen': iso(now)} : known.metadata.annotations,
				...(known.metadata.ownerReferences ? {ownerReferences: known.metadata.ownerReferences} : {}),
			},
			spec: known.spec,
			status: fresh ? {phase: 'Pending'} : known.status,
		};
		this.store.create('pods', mirror);
	}
}
