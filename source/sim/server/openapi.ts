// A minimal OpenAPI v3 index: one document per group version whose schemas name each kind
// (x-kubernetes-group-version-kind). That is all kubectl 1.32 reads to decide that the server
// validates fields itself (fieldValidation=Strict), so `kubectl apply -f`/`create -f` work
// without --validate=false. No field schemas: kubectl explain has nothing to show.
import {groupVersionOf, resourceInfos} from './api-resources.js';

const documentPath = (groupVersion: string) => (groupVersion === 'v1' ? 'api/v1' : `apis/${groupVersion}`);

export function openApiV3Index(): unknown {
	const paths: Record<string, {serverRelativeURL: string}> = {};
	for (const groupVersion of new Set(resourceInfos.map(info => groupVersionOf(info)))) {
		const path = documentPath(groupVersion);
		paths[path] = {serverRelativeURL: `/openapi/v3/${path}?hash=knockdown-sim-1`};
	}

	return {paths};
}

export function openApiV3Document(path: string): unknown | undefined {
	const infos = resourceInfos.filter(info => documentPath(groupVersionOf(info)) === path);
	if (infos.length === 0) {
		return undefined;
	}

	const schemas: Record<string, unknown> = {};
	const paths: Record<string, unknown> = {};
	for (const info of infos) {
		const javaPackage = info.group === 'apps' ? 'io.k8s.api.apps.v1' : 'io.k8s.api.core.v1';
		const gvk = {group: info.group, kind: info.kind, version: info.version};
		schemas[`${javaPackage}.${info.kind}`] = {type: 'object', 'x-kubernetes-group-version-kind': [gvk]};
		const prefix = `/${path}${info.namespaced ? '/namespaces/{namespace}' : ''}/${info.resource}/{name}`;
		// kubectl looks for a PATCH operation of the kind that takes `fieldValidation`.
		paths[prefix] = {
			patch: {
				operationId: `patch${info.kind}`,
				parameters: [{name: 'fieldValidation', in: 'query', schema: {type: 'string', uniqueItems: true}}],
				'x-kubernetes-action': 'patch',
				'x-kubernetes-group-version-kind': gvk,
			},
		};
	}

	return {openapi: '3.0.0', info: {title: 'Kubernetes', version: 'v1.11.7-gke.4'}, paths, components: {schemas}};
}
