// Which guestbook runs in a namespace, read from its Endpoints (every Service with a selector
// has an Endpoints object of the same name, so one list answers both "is there a guestbook"
// and "are its services ready").
import type {ProbeTarget} from '../config/config.js';
import type {EndpointsSummary} from './transport.js';

export type GuestbookVariant = 'gke' | 'examples';

export type GuestbookTarget = {
	kind: 'guestbook';
	variant: GuestbookVariant;
	namespace: string;
	frontend: string;
	/** The Redis services the frontend uses: the one it writes to, then the one it reads from. */
	writeService: string;
	readService: string;
};

/** What the monitor probes: a guestbook, another service (--probe), or nothing found. */
export type ProbeSubject =
	| GuestbookTarget
	| {kind: 'service'; namespace: string; target: ProbeTarget}
	| {kind: 'none'; namespace: string};

const frontendName = 'frontend';

/**
 * The GKE tutorial's guestbook (redis-leader, redis-follower, frontend) or kubernetes/examples'
 * (redis-master, redis-replica or the older redis-slave, frontend). A namespace with a frontend
 * but no Redis service is still a guestbook (with its Redis gone): the probes then say which
 * service is missing instead of claiming there is no app.
 */
export function detectGuestbook(namespace: string, endpoints: EndpointsSummary[]): GuestbookTarget | undefined {
	const names = new Set(endpoints.map(item => item.name));
	const examples = names.has('redis-master') || names.has('redis-replica') || names.has('redis-slave');
	const gke = names.has('redis-leader') || names.has('redis-follower');
	if (!names.has(frontendName) && !gke && !examples) {
		return undefined;
	}

	if (examples && !gke) {
		return {
			kind: 'guestbook',
			variant: 'examples',
			namespace,
			frontend: frontendName,
			writeService: 'redis-master',
			readService: names.has('redis-slave') && !names.has('redis-replica') ? 'redis-slave' : 'redis-replica',
		};
	}

	return {kind: 'guestbook', variant: 'gke', namespace, frontend: frontendName, writeService: 'redis-leader', readService: 'redis-follower'};
}

export function describeSubject(subject: ProbeSubject): string {
	switch (subject.kind) {
		case 'guestbook': {
			return `guestbook (${subject.variant === 'gke' ? 'GKE tutorial' : 'kubernetes/examples'}) in ${subject.namespace}`;
		}

		case 'service': {
			return `service/${subject.target.service}:${subject.target.port}${subject.target.path} in ${subject.namespace}`;
		}

		case 'none': {
			return `no guestbook in ${subject.namespace}`;
		}
	}
}
