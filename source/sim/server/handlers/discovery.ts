// The paths that describe the server rather than objects: /version, the health checks,
// API discovery (/api, /apis and each group version) and the OpenAPI v3 documents.
import {apiGroup, apiGroupList, apiResourceList, apiVersions, authorizationResourceList, versionInfo} from '../api-resources.js';
import type {PathHandler} from '../exchange.js';
import {openApiV3Document, openApiV3Index} from '../openapi.js';
import {noSuchPath} from '../status.js';

export const version: PathHandler = (api, exchange) => {
	exchange.sendJson(200, versionInfo(api.profile));
};

/** /healthz, /livez, /readyz. */
export const health: PathHandler = (_api, {response}) => {
	response.writeHead(200, {'Content-Type': 'text/plain; charset=utf-8'});
	response.end('ok');
};

export const coreVersions: PathHandler = (api, exchange) => {
	exchange.sendJson(200, apiVersions(api.address()));
};

export const groups: PathHandler = (api, exchange) => {
	exchange.sendJson(200, apiGroupList(api.metricsRegistered));
};

export const coreResources: PathHandler = (_api, exchange) => {
	exchange.sendJson(200, apiResourceList(''));
};

export const appsResources: PathHandler = (_api, exchange) => {
	exchange.sendJson(200, apiResourceList('apps'));
};

export const authorizationResources: PathHandler = (_api, exchange) => {
	exchange.sendJson(200, authorizationResourceList());
};

/** /apis/GROUP: a group this server serves. */
export const group: PathHandler = (api, exchange, {params}) => {
	const found = apiGroup(params.group, api.metricsRegistered);
	if (!found) {
		throw noSuchPath();
	}

	exchange.sendJson(200, found);
};

/** /openapi/v3: the index; /openapi/v3/PATH: one group version's document. */
export const openApi: PathHandler = (_api, exchange, {rest}) => {
	const document = rest.length === 0 ? openApiV3Index() : openApiV3Document(rest.join('/'));
	if (!document) {
		throw noSuchPath();
	}

	exchange.sendJson(200, document);
};
