// What `kill` and `sweep` share: the lab (lab/lab.ts: the watches, the deleter, the probes)
// on the checked target, opened once (a sweep runs many experiments on one lab), the access
// checks before the first delete, and what an experiment's exit code is, so both commands
// read the flags the same way.
import type {Config, KillMode} from '../config/config.js';
import type {ExperimentRecord} from '../experiment/engine.js';
import {deniedAccess, describeAccess, type AccessCheck} from '../kube/access.js';
import {connectLab, type ConnectedLab} from '../lab/lab.js';
import {verdictOf} from '../model/measurement.js';
import {CommandError, type CommandIo} from './io.js';
import {openCheckedTarget, type Target} from './target.js';

/** The lab (lab/lab.ts) on the checked target; close() also closes the target (and a --demo simulator). */
export type Lab = ConnectedLab & {target: Target};

/** The target checked, the lab connected to it and its pod list loaded: planning can start. */
export async function openLab(config: Config, io: CommandIo): Promise<Lab> {
	const target = await openCheckedTarget(config, io);
	const connected = connectLab(target.connection, config, {clock: io.clock});
	const lab: Lab = {
		...connected,
		target,
		async close() {
			await connected.close();
			await target.close();
		},
	};

	try {
		await lab.view.waitSynced(20_000, io.signal);
	} catch (error) {
		await lab.close();
		if (io.signal.aborted) {
			throw new CommandError('interrupted before anything was deleted', 130);
		}

		throw new CommandError(`${target.connection.server}: ${error instanceof Error ? error.message : String(error)}`, 1);
	}

	// The probes start with the first experiment (lab.startExperiment), after the checks and the
	// question: its warm-up then sees their first answers.
	return lab;
}

/** What an experiment in this mode needs besides deleting: seeing the pods go and come. */
export function accessFor(mode: KillMode): AccessCheck[] {
	const watching: AccessCheck[] = [{verb: 'list', resource: 'pods'}, {verb: 'watch', resource: 'pods'}];
	return mode === 'workload'
		? [...watching, {verb: 'delete', resource: 'deployments', group: 'apps'}, {verb: 'delete', resource: 'daemonsets', group: 'apps'}]
		: [...watching, {verb: 'delete', resource: 'pods'}];
}

/**
 * Before the first delete: may we watch and delete? A "no" is one sentence and exit 2 with
 * nothing deleted, instead of victims reported "still there" that were replaced long ago.
 */
export async function refuseWithoutAccess(lab: Lab, config: Config, checks: AccessCheck[]): Promise<void> {
	const denied = await deniedAccess(lab.target.connection, config.namespace, checks);
	if (denied.length > 0) {
		const cannot = denied.map(check => describeAccess(check)).join(', ');
		const why = denied.some(check => check.verb === 'create')
			? 'the helper pod that reaches the node could not be created'
			: denied.some(check => check.verb !== 'delete')
				? 'without them the pods\' going and coming back cannot be seen'
				: 'the delete would be refused';
		throw new CommandError(`not allowed to ${cannot} in namespace ${config.namespace} (context ${lab.target.connection.contextName}): ${why}, so nothing was deleted`, 2);
	}
}

/** A node experiment creates a helper pod in the namespace, watches it and deletes it at the end. */
export const nodeExperimentAccess: AccessCheck[] = [
	{verb: 'create', resource: 'pods'},
	{verb: 'watch', resource: 'pods'},
	{verb: 'delete', resource: 'pods'},
];

/** 130 when interrupted (cli.tsx makes it 143 after SIGTERM), 1 when the action failed or nothing recovered, else 0. */
export function exitCodeOf(record: ExperimentRecord): number {
	if (record.interrupted) {
		return 130;
	}

	// The action failed, or the API server went away: the experiment could not be done.
	if (record.measurement.ending?.reason === 'action-failed' || record.measurement.ending?.reason === 'api-server-lost') {
		return 1;
	}

	return verdictOf(record.measurement).verdict === 'not-recovered' ? 1 : 0;
}
