// `knockdown guestbook install|uninstall`: the GKE tutorial's guestbook (Deployments and
// Services redis-leader, redis-follower, frontend), created if absent and deleted by exactly
// those names, in one namespace only. Both are idempotent and say what they did.
import {
	ApiException,
	AppsV1Api,
	CoreV1Api,
	type KubeConfig,
	type V1Container,
	type V1Deployment,
	type V1Service,
} from '@kubernetes/client-node';

export type GuestbookObjectKind = 'deployment' | 'service';

export type GuestbookStep = {
	kind: GuestbookObjectKind;
	name: string;
	/** created / already there (left as is) / deleted / not there (nothing to delete). */
	action: 'created' | 'exists' | 'deleted' | 'absent';
};

/** An expected failure, in one sentence. */
export class GuestbookError extends Error {}

const leaderLabels = {app: 'redis', role: 'leader', tier: 'backend'};
const followerLabels = {app: 'redis', role: 'follower', tier: 'backend'};
const frontendLabels = {app: 'guestbook', tier: 'frontend'};
const requests = {requests: {cpu: '100m', memory: '100Mi'}};
/** Marks what knockdown created, so a person can tell (uninstall still goes by name, as promised). */
const managedBy = {'app.kubernetes.io/managed-by': 'knockdown'};

type Part = {name: string; labels: Record<string, string>; replicas: number; container: V1Container; port: number};

/** In the tutorial's order: the leader, its followers, then the frontend that needs both. */
const parts: Part[] = [
	{
		name: 'redis-leader',
		labels: leaderLabels,
		replicas: 1,
		container: {name: 'leader', image: 'docker.io/redis:6.0.5', resources: requests, ports: [{containerPort: 6379}]},
		port: 6379,
	},
	{
		name: 'redis-follower',
		labels: followerLabels,
		replicas: 2,
		container: {
			name: 'follower',
			image: 'us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower:v2',
			resources: requests,
			ports: [{containerPort: 6379}],
		},
		port: 6379,
	},
	{
		name: 'frontend',
		labels: frontendLabels,
		replicas: 3,
		container: {
			name: 'php-redis',
			image: 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5',
			env: [{name: 'GET_HOSTS_FROM', value: 'dns'}],
			resources: requests,
			ports: [{containerPort: 80}],
		},
		port: 80,
	},
];

/**
 * The tutorial's objects for `namespace`. Two deliberate differences: each Deployment selects
 * on all its labels (the tutorial's redis Deployments both select just app=redis, so they
 * overlap), and the frontend Service is ClusterIP, not LoadBalancer (knockdown reaches it
 * through the API server's service proxy; no cloud load balancer needed).
 */
export function guestbookManifests(namespace: string): {deployments: V1Deployment[]; services: V1Service[]} {
	return {
		deployments: parts.map(part => ({
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {name: part.name, namespace, labels: {...part.labels, ...managedBy}},
			spec: {
				replicas: part.replicas,
				selector: {matchLabels: part.labels},
				template: {metadata: {labels: part.labels}, spec: {containers: [part.container]}},
			},
		})),
		services: parts.map(part => ({
			apiVersion: 'v1',
			kind: 'Service',
			metadata: {name: part.name, namespace, labels: {...part.labels, ...managedBy}},
			spec: {type: 'ClusterIP', selector: part.labels, ports: [{port: part.port, targetPort: part.port}]},
		})),
	};
}

type Apis = {apps: AppsV1Api; core: CoreV1Api};

function apisFor(kubeConfig: KubeConfig): Apis {
	return {apps: kubeConfig.makeApiClient(AppsV1Api), core: kubeConfig.makeApiClient(CoreV1Api)};
}

/** Create whatever of the six objects is missing; leave what is there untouched. */
export async function installGuestbook(kubeConfig: KubeConfig, namespace: string, onStep: (step: GuestbookStep) => void = () => {}): Promise<GuestbookStep[]> {
	const {apps, core} = apisFor(kubeConfig);
	const {deployments, services} = guestbookManifests(namespace);
	const steps: GuestbookStep[] = [];
	const record = (step: GuestbookStep) => {
		steps.push(step);
		onStep(step);
	};

	for (const [index, part] of parts.entries()) {
		const deployment = deployments[index];
		const service = services[index];
		record(
			await createIfAbsent('deployment', part.name, namespace, {
				read: () => apps.readNamespacedDeployment({name: part.name, namespace}),
				create: () => apps.createNamespacedDeployment({namespace, body: deployment}),
			}),
		);
		record(
			await createIfAbsent('service', part.name, namespace, {
				read: () => core.readNamespacedService({name: part.name, namespace}),
				create: () => core.createNamespacedService({namespace, body: service}),
			}),
		);
	}

	return steps;
}

/** Delete exactly the six objects by name, in this namespace only; what is not there is skipped. */
export async function uninstallGuestbook(kubeConfig: KubeConfig, namespace: string, onStep: (step: GuestbookStep) => void = () => {}): Promise<GuestbookStep[]> {
	const {apps, core} = apisFor(kubeConfig);
	const steps: GuestbookStep[] = [];
	const record = (step: GuestbookStep) => {
		steps.push(step);
		onStep(step);
	};

	// The frontend first, so the app stops taking requests before its Redis goes.
	for (const part of [...parts].reverse()) {
		record(
			await deleteIfPresent('service', part.name, namespace, () =>
				core.deleteNamespacedService({name: part.name, namespace}),
			),
		);
		record(
			await deleteIfPresent('deployment', part.name, namespace, () =>
				// Background: the garbage collector removes the ReplicaSets and pods, as kubectl delete does.
				apps.deleteNamespacedDeployment({name: part.name, namespace, propagationPolicy: 'Background'}),
			),
		);
	}

	return steps;
}

async function createIfAbsent(
	kind: GuestbookObjectKind,
	name: string,
	namespace: string,
	calls: {read: () => Promise<unknown>; create: () => Promise<unknown>},
): Promise<GuestbookStep> {
	try {
		await calls.read();
		return {kind, name, action: 'exists'};
	} catch (error) {
		if (codeOf(error) !== 404) {
			throw explain(error, `read ${kind}/${name}`, namespace);
		}
	}

	try {
		await calls.create();
		return {kind, name, action: 'created'};
	} catch (error) {
		// Someone created it between our read and our create: it is there, which is what we wanted.
		if (codeOf(error) === 409) {
			return {kind, name, action: 'exists'};
		}

		throw explain(error, `create ${kind}/${name}`, namespace);
	}
}

async function deleteIfPresent(kind: GuestbookObjectKind, name: string, namespace: string, remove: () => Promise<unknown>): Promise<GuestbookStep> {
	try {
		await remove();
		return {kind, name, action: 'deleted'};
	} catch (error) {
		if (codeOf(error) === 404) {
			return {kind, name, action: 'absent'};
		}

		throw explain(error, `delete ${kind}/${name}`, namespace);
	}
}

function codeOf(error: unknown): number | undefined {
	return error instanceof ApiException ? error.code : undefined;
}

function explain(error: unknown, what: string, namespace: string): GuestbookError {
	const code = codeOf(error);
	if (code === 403) {
		return new GuestbookError(`not permitted to ${what} in namespace ${namespace} (${statusMessage(error) ?? 'Forbidden'})`);
	}

	if (code === 401) {
		return new GuestbookError(`the API server did not accept our credentials (${what})`);
	}

	if (code === 404 && what.startsWith('create')) {
		return new GuestbookError(`namespace ${namespace} does not exist (create it with: kubectl create namespace ${namespace})`);
	}

	if (code !== undefined) {
		return new GuestbookError(`could not ${what} in namespace ${namespace}: ${statusMessage(error) ?? `HTTP ${code}`}`);
	}

	const message = error instanceof Error ? error.message : String(error);
	if (/ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|socket hang up/.test(message)) {
		return new GuestbookError(`cannot reach the API server (${message.split('\n')[0]})`);
	}

	return new GuestbookError(`could not ${what} in namespace ${namespace}: ${message.split('\n')[0]}`);
}

function statusMessage(error: unknown): string | undefined {
	if (!(error instanceof ApiException)) {
		return undefined;
	}

	const body: unknown = error.body;
	const parsed = typeof body === 'string' ? safeParse(body) : body;
	const message = (parsed as {message?: unknown} | undefined)?.message;
	return typeof message === 'string' ? message : undefined;
}

function safeParse(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

export function describeStep(step: GuestbookStep): string {
	const object = `${step.kind}/${step.name}`;
	switch (step.action) {
		case 'created': {
			return `created ${object}`;
		}

		case 'exists': {
			return `${object} already exists, left as is`;
		}

		case 'deleted': {
			return `deleted ${object}`;
		}

		case 'absent': {
			return `${object} not found, nothing to delete`;
		}
	}
}
