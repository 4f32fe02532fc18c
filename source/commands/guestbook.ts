// `knockdown guestbook install|uninstall [--app-namespace NS] [--demo]`: put the GKE tutorial's
// guestbook in a namespace (or take exactly it away), saying what was done.
import type {Config} from '../config/config.js';
import {describeStep, GuestbookError, guestbookManifests, installGuestbook, uninstallGuestbook} from '../kube/guestbook.js';
import {confirm, refuseReadOnly} from './consent.js';
import {CommandError, type CommandIo} from './io.js';
import {openTarget} from './target.js';

export async function runGuestbook(config: Config, io: CommandIo): Promise<number> {
	const installing = config.command === 'guestbook-install';
	const namespace = config.appNamespace;
	refuseReadOnly(config, installing ? 'guestbook install' : 'guestbook uninstall');

	const target = await openTarget(config, io);
	try {
		const {kubeConfig, contextName} = target.connection;
		if (!installing) {
			const {deployments, services} = guestbookManifests(namespace);
			const names = [...deployments.map(object => `deployment/${object.metadata?.name}`), ...services.map(object => `service/${object.metadata?.name}`)];
			await confirm(config, io, 'guestbook uninstall', `delete the guestbook (${names.join(', ')}) in namespace ${namespace} on context ${contextName}?`);
		}

		io.stdout.write(`${installing ? 'Installing' : 'Uninstalling'} the guestbook in namespace ${namespace} (context ${contextName})\n`);
		const print = (step: Parameters<typeof describeStep>[0]) => {
			io.stdout.write(`  ${describeStep(step)}\n`);
		};

		const steps = installing ? await installGuestbook(kubeConfig, namespace, print) : await uninstallGuestbook(kubeConfig, namespace, print);
		const changed = steps.filter(step => step.action === 'created' || step.action === 'deleted').length;
		if (changed === 0) {
			io.stdout.write(installing ? 'Nothing to do: the guestbook was already there.\n' : 'Nothing to do: no guestbook objects were there.\n');
		} else if (installing) {
			io.stdout.write(`Done: ${changed} object${changed === 1 ? '' : 's'} created; the pods start in the background.\n`);
		} else {
			io.stdout.write(`Done: ${changed} object${changed === 1 ? '' : 's'} deleted; the pods go in the background.\n`);
		}

		if (target.sim) {
			io.stdout.write('(--demo: this simulated cluster lives only as long as this command; use `knockdown sim` and --kubeconfig for one that stays.)\n');
		}

		return 0;
	} catch (error) {
		if (error instanceof GuestbookError) {
			throw new CommandError(error.message, 1);
		}

		throw error;
	} finally {
		await target.close();
	}
}
