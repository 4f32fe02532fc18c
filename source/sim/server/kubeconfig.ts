// The kubeconfig `knockdown sim --write-kubeconfig` writes: cluster, user and context all
// named knockdown-sim, a bearer token (the sim accepts any), no namespace.
export const simContextName = 'knockdown-sim';

export function simKubeconfig(url: string): string {
	return [
		'apiVersion: v1',
		'kind: Config',
		'clusters:',
		`- name: ${simContextName}`,
		'  cluster:',
		`    server: ${url}`,
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
