// `kubectl get` asks for a meta.k8s.io/v1 Table: columns and cells as the real API server's
// printers (pkg/printers/internalversion/printers.go) make them, one row per object with
// the object's metadata, so kubectl's output cannot be told from a real cluster's.
import {formatAge, podDisplay, timestampMs, type PodLike} from '../../model/pod-status.js';
import type {KubeObject, Resource} from '../store.js';

export type ColumnDefinition = {name: string; type: string; format: string; description: string; priority: number};

export type TableRow = {cells: unknown[]; object: unknown};

export type Table = {
	kind: 'Table';
	apiVersion: 'meta.k8s.io/v1';
	metadata: {resourceVersion: string; continue?: string; remainingItemCount?: number};
	columnDefinitions: ColumnDefinition[];
	rows: TableRow[];
};

function column(name: string, type: string, description: string, priority = 0, format = ''): ColumnDefinition {
	return {name, type, format, description, priority};
}

const nameColumn = column('Name', 'string', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', 0, 'name');
const ageColumn = column('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata');
const containersColumn = column('Containers', 'string', 'Names of each container in the template.', 1);
const imagesColumn = column('Images', 'string', 'Images referenced by each container in the template.', 1);
const selectorColumn = column('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1);

type Printer = {columns: ColumnDefinition[]; cells(object: KubeObject, nowMs: number): unknown[]};

function age(object: KubeObject, nowMs: number): string {
	return translateTimestampSince(object.metadata.creationTimestamp, nowMs);
}

function translateTimestampSince(timestamp: string | undefined | null, nowMs: number): string {
	const ms = timestampMs(timestamp);
	return ms === undefined ? '<unknown>' : formatAge(nowMs - ms);
}

/** labels.FormatLabels: `a=b,c=d` with sorted keys, `<none>` when empty. */
function formatLabels(labels: Record<string, string> | undefined | null): string {
	const keys = Object.keys(labels ?? {}).sort();
	return keys.length === 0 ? '<none>' : keys.map(key => `${key}=${labels![key]}`).join(',');
}

/** metav1.FormatLabelSelector. */
function formatLabelSelector(selector: any): string {
	if (!selector) {
		return '<none>';
	}

	const parts: string[] = [];
	for (const key of Object.keys(selector.matchLabels ?? {}).sort()) {
		parts.push(`${key}=${selector.matchLabels[key]}`);
	}

	for (const expression of selector.matchExpressions ?? []) {
		const values = (expression.values ?? []).join(',');
		switch (expression.operator) {
			case 'In': {
				parts.push(`${expression.key} in (${values})`);
				break;
			}

			case 'NotIn': {
				parts.push(`${expression.key} notin (${values})`);
				break;
			}

			case 'Exists': {
				parts.push(expression.key);
				break;
			}

			case 'DoesNotExist': {
				parts.push(`!${expression.key}`);
				break;
			}
		}
	}

	return parts.length === 0 ? '<none>' : parts.join(',');
}

function containerNames(template: any): string {
	return (template?.spec?.containers ?? []).map((container: any) => container.name).join(',');
}

function containerImages(template: any): string {
	return (template?.spec?.containers ?? []).map((container: any) => container.image).join(',');
}

const printers: Partial<Record<Resource, Printer>> = {
	pods: {
		columns: [
			nameColumn,
			column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
			column('Status', 'string', 'The aggregate status of the containers in this pod.'),
			column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
			ageColumn,
			column('IP', 'string', 'The IP address assigned to this pod.', 1),
			column('Node', 'string', 'The node this pod is assigned to.', 1),
			column('Nominated Node', 'string', 'The node that the pod is nominated to be scheduled on (preemption).', 1),
			column('Readiness Gates', 'string', 'The readiness gates of this pod.', 1),
		],
		cells(pod, nowMs) {
			const display = podDisplay(pod as PodLike, nowMs);
			const gates: Array<{conditionType: string}> = pod.spec?.readinessGates ?? [];
			let readinessGates = '<none>';
			if (gates.length > 0) {
				const conditions: Array<{type: string; status: string}> = pod.status?.conditions ?? [];
				const trueCount = gates.filter(gate => conditions.some(condition => condition.type === gate.conditionType && condition.status === 'True')).length;
				readinessGates = `${trueCount}/${gates.length}`;
			}

			return [
				pod.metadata.name,
				display.ready,
				display.status,
				display.restarts,
				display.age,
				pod.status?.podIP || '<none>',
				pod.spec?.nodeName || '<none>',
				pod.status?.nominatedNodeName || '<none>',
				readinessGates,
			];
		},
	},
	deployments: {
		columns: [
			nameColumn,
			column('Ready', 'string', 'Number of the pod with ready state'),
			column('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
			column('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
			ageColumn,
			containersColumn,
			imagesColumn,
			selectorColumn,
		],
		cells(deployment, nowMs) {
			const status = deployment.status ?? {};
			return [
				deployment.metadata.name,
				`${status.readyReplicas ?? 0}/${deployment.spec?.replicas ?? 0}`,
				status.updatedReplicas ?? 0,
				status.availableReplicas ?? 0,
				age(deployment, nowMs),
				containerNames(deployment.spec?.template),
				containerImages(deployment.spec?.template),
				formatLabelSelector(deployment.spec?.selector),
			];
		},
	},
	replicasets: {
		columns: [
			nameColumn,
			column('Desired', 'integer', 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#how-a-replicaset-works'),
			column('Current', 'integer', 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#how-a-replicaset-works'),
			column('Ready', 'integer', 'The number of ready replicas for this replica set. A pod is considered ready when it has a Ready condition with status true.'),
			ageColumn,
			containersColumn,
			imagesColumn,
			column('Selector', 'string', 'Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template\'s labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
		],
		cells(replicaSet, nowMs) {
			const status = replicaSet.status ?? {};
			return [
				replicaSet.metadata.name,
				replicaSet.spec?.replicas ?? 0,
				status.replicas ?? 0,
				status.readyReplicas ?? 0,
				age(replicaSet, nowMs),
				containerNames(replicaSet.spec?.template),
				containerImages(replicaSet.spec?.template),
				formatLabelSelector(replicaSet.spec?.selector),
			];
		},
	},
	daemonsets: {
		columns: [
			nameColumn,
			column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/'),
			column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/'),
			column('Ready', 'integer', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
			column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
			column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
			column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node\'s labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/'),
			ageColumn,
			containersColumn,
			imagesColumn,
			column('Selector', 'string', 'A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template\'s labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
		],
		cells(daemonSet, nowMs) {
			const status = daemonSet.status ?? {};
			return [
				daemonSet.metadata.name,
				status.desiredNumberScheduled ?? 0,
				status.currentNumberScheduled ?? 0,
				status.numberReady ?? 0,
				status.updatedNumberScheduled ?? 0,
				status.numberAvailable ?? 0,
				formatLabels(daemonSet.spec?.template?.spec?.nodeSelector),
				age(daemonSet, nowMs),
				containerNames(daemonSet.spec?.template),
				containerImages(daemonSet.spec?.template),
				formatLabelSelector(daemonSet.spec?.selector),
			];
		},
	},
	statefulsets: {
		columns: [
			nameColumn,
			column('Ready', 'string', 'Number of the pod with ready state'),
			ageColumn,
			containersColumn,
			imagesColumn,
		],
		cells(statefulSet, nowMs) {
			return [
				statefulSet.metadata.name,
				`${statefulSet.status?.readyReplicas ?? 0}/${statefulSet.spec?.replicas ?? 0}`,
				age(statefulSet, nowMs),
				containerNames(statefulSet.spec?.template),
				containerImages(statefulSet.spec?.template),
			];
		},
	},
	services: {
		columns: [
			nameColumn,
			column('Type', 'string', 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.'),
			column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
			column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
			column('Port(s)', 'string', 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'),
			ageColumn,
			column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/', 1),
		],
		cells(service, nowMs) {
			const spec = service.spec ?? {};
			const type = spec.type ?? 'ClusterIP';
			return [
				service.metadata.name,
				type,
				type === 'ExternalName' ? '<none>' : spec.clusterIP || '<none>',
				serviceExternalIp(service),
				servicePorts(spec.ports ?? []),
				age(service, nowMs),
				formatLabels(spec.selector),
			];
		},
	},
	endpoints: {
		columns: [
			nameColumn,
			column('Endpoints', 'string', 'Endpoints of this resource'),
			ageColumn,
		],
		cells(endpoints, nowMs) {
			return [endpoints.metadata.name, formatEndpoints(endpoints), age(endpoints, nowMs)];
		},
	},
	events: {
		columns: [
			column('Last Seen', 'string', 'Time when this Event was last seen'),
			column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future.'),
			column('Reason', 'string', 'Reason why action was taken. It is human-readable. This field cannot be empty for new Events and it can have at most 128 characters.'),
			column('Object', 'string', 'Object this event is about'),
			column('Subobject', 'string', 'Subobject this event is about', 1),
			column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
			column('Message', 'string', 'A human-readable description of the status of this operation.'),
			column('First Seen', 'string', 'Time when this Event was first seen', 1),
			column('Count', 'string', 'Count of this event', 1),
			column('Name', 'string', nameColumn.description, 1, 'name'),
		],
		cells(event, nowMs) {
			const record = event as any;
			const firstTimestamp = record.firstTimestamp ? translateTimestampSince(record.firstTimestamp, nowMs) : translateTimestampSince(record.eventTime, nowMs);
			let lastTimestamp = record.lastTimestamp ? translateTimestampSince(record.lastTimestamp, nowMs) : firstTimestamp;
			let count = record.count ?? 0;
			if (record.series) {
				lastTimestamp = translateTimestampSince(record.series.lastObservedTime, nowMs);
				count = record.series.count;
			} else if (count === 0) {
				count = 1;
			}

			const involved = record.involvedObject ?? {};
			const source = record.source?.component ? [record.source.component, record.source.host].filter(Boolean).join(', ') : record.reportingComponent ?? '';
			return [
				lastTimestamp,
				record.type ?? '',
				record.reason ?? '',
				`${String(involved.kind ?? '').toLowerCase()}/${involved.name ?? ''}`,
				involved.fieldPath ?? '',
				source,
				String(record.message ?? '').trim(),
				firstTimestamp,
				String(count),
				event.metadata.name,
			];
		},
	},
	nodes: {
		columns: [
			nameColumn,
			column('Status', 'string', 'The status of the node'),
			column('Roles', 'string', 'The roles of the node'),
			ageColumn,
			column('Version', 'string', 'Kubelet Version reported by the node.'),
			column('Internal-IP', 'string', 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses', 1),
			column('External-IP', 'string', 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses', 1),
			column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
			column('Kernel-Version', 'string', 'Kernel Version reported by the node from \'uname -r\' (e.g. 3.16.0-0.bpo.4-amd64).', 1),
			column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
		],
		cells(node, nowMs) {
			const status = node.status ?? {};
			const ready = (status.conditions ?? []).find((condition: any) => condition.type === 'Ready');
			const states = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
			if (node.spec?.unschedulable) {
				states.push('SchedulingDisabled');
			}

			const address = (type: string) => (status.addresses ?? []).find((entry: any) => entry.type === type)?.address ?? '<none>';
			const info = status.nodeInfo ?? {};
			return [
				node.metadata.name,
				states.join(','),
				nodeRoles(node.metadata.labels),
				age(node, nowMs),
				info.kubeletVersion ?? '',
				address('InternalIP'),
				address('ExternalIP'),
				info.osImage ?? '<unknown>',
				info.kernelVersion ?? '<unknown>',
				info.containerRuntimeVersion ?? '<unknown>',
			];
		},
	},
	namespaces: {
		columns: [
			nameColumn,
			column('Status', 'string', 'The status of the namespace'),
			ageColumn,
		],
		cells(namespace, nowMs) {
			return [namespace.metadata.name, namespace.status?.phase ?? 'Active', age(namespace, nowMs)];
		},
	},
	configmaps: {
		columns: [
			nameColumn,
			column('Data', 'integer', 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.'),
			ageColumn,
		],
		cells(configMap, nowMs) {
			const record = configMap as any;
			return [configMap.metadata.name, Object.keys(record.data ?? {}).length + Object.keys(record.binaryData ?? {}).length, age(configMap, nowMs)];
		},
	},
	serviceaccounts: {
		columns: [
			nameColumn,
			column('Secrets', 'integer', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'),
			ageColumn,
		],
		cells(serviceAccount, nowMs) {
			return [serviceAccount.metadata.name, ((serviceAccount as any).secrets ?? []).length, age(serviceAccount, nowMs)];
		},
	},
};

function nodeRoles(labels: Record<string, string> | undefined): string {
	const roles = new Set<string>();
	for (const [key, value] of Object.entries(labels ?? {})) {
		if (key.startsWith('node-role.kubernetes.io/')) {
			roles.add(key.slice('node-role.kubernetes.io/'.length));
		} else if (key === 'kubernetes.io/role') {
			roles.add(value);
		}
	}

	return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function serviceExternalIp(service: KubeObject): string {
	const spec = service.spec ?? {};
	const external: string[] = spec.externalIPs ?? [];
	switch (spec.type ?? 'ClusterIP') {
		case 'ClusterIP':
		case 'NodePort': {
			return external.length > 0 ? external.join(',') : '<none>';
		}

		case 'LoadBalancer': {
			const ingress: string[] = (service.status?.loadBalancer?.ingress ?? []).map((entry: any) => entry.ip || entry.hostname).filter(Boolean);
			const all = [...ingress, ...external];
			return all.length > 0 ? all.join(',') : '<pending>';
		}

		case 'ExternalName': {
			return spec.externalName ?? '<none>';
		}

		default: {
			return '<unknown>';
		}
	}
}

function servicePorts(ports: any[]): string {
	if (ports.length === 0) {
		return '<none>';
	}

	return ports.map(port => (port.nodePort ? `${port.port}:${port.nodePort}/${port.protocol ?? 'TCP'}` : `${port.port}/${port.protocol ?? 'TCP'}`)).join(',');
}

/** printers.go formatEndpoints: at most three ip:port, then `+ N more...`. */
function formatEndpoints(endpoints: KubeObject): string {
	const subsets: any[] = (endpoints as any).subsets ?? [];
	if (subsets.length === 0) {
		return '<none>';
	}

	const list: string[] = [];
	const max = 3;
	let more = false;
	let count = 0;
	for (const subset of subsets) {
		const addresses: any[] = subset.addresses ?? [];
		const ports: any[] = subset.ports ?? [];
		if (ports.length === 0) {
			count += addresses.length;
			for (const address of addresses) {
				if (list.length === max) {
					more = true;
					break;
				}

				list.push(address.ip);
			}

			continue;
		}

		for (const port of ports) {
			count += addresses.length;
			for (const address of addresses) {
				if (list.length === max) {
					more = true;
					break;
				}

				list.push(address.ip.includes(':') ? `[${address.ip}]:${port.port}` : `${address.ip}:${port.port}`);
			}
		}
	}

	const joined = list.join(',');
	return more ? `${joined} + ${count - max} more...` : joined;
}

/** The Table for some objects of one resource; `full` puts whole objects in the rows (includeObject=Object). */
export function toTable(resource: Resource, objects: KubeObject[], resourceVersion: string, nowMs: number, full = false, withColumns = true): Table {
	const printer = printers[resource] ?? {columns: [nameColumn, ageColumn], cells: (object: KubeObject, now: number) => [object.metadata.name, age(object, now)]};
	return {
		kind: 'Table',
		apiVersion: 'meta.k8s.io/v1',
		metadata: {resourceVersion},
		columnDefinitions: withColumns ? printer.columns : [],
		rows: objects.map(object => ({
			cells: printer.cells(object, nowMs),
			object: full ? object : {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata},
		})),
	};
}
