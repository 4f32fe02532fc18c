// A kubeconfig for a test's own little HTTP server: one cluster, one user, current.
import type {KubeConfig} from '@kubernetes/client-node';
import {connectionFromString} from '../../source/kube/connect.js';

/** `user` is the user's YAML flow mapping, a bearer token unless told. */
export function kubeConfigFor(server: string, user = '{token: t}'): KubeConfig {
	return connectionFromString(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server}"}}]
users: [{name: u, user: ${user}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`).kubeConfig;
}
