// The kubeconfig `knockdown sim --write-kubeconfig` writes: cluster, user and context all
// named knockdown-sim, a bearer token (the sim accepts any), no namespace.
// `insecure-skip-tls-verify` is there because client-node 1.x will not talk to an http://
// server without it; kubectl ignores it for http.
export const simContextName = 'knockdown-sim';

export function simKubeconfig(url: string): string {
	return [
		'apiVersion: v1',
		'kind: Config',
		'clusters:',
		`- name: ${simContextName}`,
		'  cluster:',
		`    server: ${url}`,
		// client-node 1.x refuses plain http:// servers unless TLS verification is off.
		'    insecure-skip-tls-verify: true',
		'users:',
		`- name: ${simContextName}`,
		'  user:',
		'    token: knockdown-sim-token',
		'contexts:',
		`- name: ${simContextName}`,
		'  context:',
		`    cluster: ${simContextName}`,
		`    user: ${simContextName}`,
		`current-context: ${simContextName}`,
		'preferences: {}',
		'',
	].join('\n');
}
