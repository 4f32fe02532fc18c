// The kubeconfig `knockdown sim --write-kubeconfig` writes: cluster, user and context all
// named knockdown-sim, no namespace. The user has a bearer token (--token's, else one the sim
// accepts because it checks none) and, with --tls, the client certificate the sim's CA signed.
export const simContextName = 'knockdown-sim';

export type SimCredentials = {
	token?: string;
	/** PEM; with --tls. */
	tls?: {ca: string; clientCertificate: string; clientKey: string};
};

export function simKubeconfig(url: string, credentials: SimCredentials = {}): string {
	const base64 = (pem: string) => Buffer.from(pem).toString('base64');
	const {tls} = credentials;
	return [
		'apiVersion: v1',
		'kind: Config',
		'clusters:',
		`- name: ${simContextName}`,
		'  cluster:',
		`    server: ${url}`,
		...(tls
			? [`    certificate-authority-data: ${base64(tls.ca)}`]
			// client-node 1.x refuses plain http:// servers unless TLS verification is off; kubectl ignores it for http.
			: ['    insecure-skip-tls-verify: true']),
		'users:',
		`- name: ${simContextName}`,
		'  user:',
		`    token: ${JSON.stringify(credentials.token ?? 'knockdown-sim-token')}`,
		...(tls
			? [`    client-certificate-data: ${base64(tls.clientCertificate)}`, `    client-key-data: ${base64(tls.clientKey)}`]
			: []),
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
