// What the screen asks before a node experiment: the kubelet of the selected pod's node, or a
// static pod stopped for real. The question names the node, how many pods run on it, which of
// them are the app's (the guestbook's), and how long. Pure, so the wording is testable.
import type {ComponentRef} from '../model/component.js';

export type NodeRequest =
	| {kind: 'stop-kubelet'; component: ComponentRef; node: string; forMs: number; podsOnNode: Array<{namespace: string; name: string}>; appNamespace: string}
	| {kind: 'stop-static-pod'; component: ComponentRef; node: string; pod: string; forMs: number};

/** `60 s`, `1.5 s`: a duration the person chose. */
export function seconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function nodeQuestionText(request: NodeRequest, scope: {contextName: string; namespace: string}): string {
	const helper = `a privileged helper pod in ${scope.namespace} on ${scope.contextName}; the node undoes it by itself after ${seconds(request.forMs)}`;
	if (request.kind === 'stop-static-pod') {
		return `stop ${request.component.name} for real on ${request.node} for ${seconds(request.forMs)}: move ${request.pod}'s manifest out of the kubelet's directory? (${helper})`;
	}

	const app = request.podsOnNode.filter(pod => pod.namespace === request.appNamespace).map(pod => pod.name).sort();
	const count = request.podsOnNode.length;
	const appText = app.length === 0 ? `none of the app's in ${request.appNamespace}` : `the app's in ${request.appNamespace}: ${app.join(', ')}`;
	return `stop the kubelet of ${request.node} for ${seconds(request.forMs)}? ${count} pod${count === 1 ? ' runs' : 's run'} on it (${appText}) (${helper})`;
}
