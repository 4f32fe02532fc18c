// The `freeze` fault: an API server that stops answering while every connection stays open,
// as one stopped with SIGSTOP (or stuck on a dead etcd) behaves. While frozen nothing is
// written to any client: requests are held unread, watch events and answers already being
// prepared wait. On thaw everything held goes out in the order it was held, as a process
// continued with SIGCONT works through its backlog; a client that gave up meanwhile has
// closed its connection, and what was held for it is dropped. The world (controllers, the
// data plane) keeps running: only the API server is stopped.

export class FreezeGate {
	private held: Array<() => void> = [];
	private frozenFlag = false;

	get frozen(): boolean {
		return this.frozenFlag;
	}

	freeze(): void {
		this.frozenFlag = true;
	}

	thaw(): void {
		this.frozenFlag = false;
		const held = this.held;
		this.held = [];
		for (const run of held) {
			// Something held may freeze again (a test's fault script): keep the rest in order.
			if (this.frozenFlag) {
				this.held.push(run);
				continue;
			}

			run();
		}
	}

	/** Run `fn` now, or, while frozen, when thawed. */
	pass(fn: () => void): void {
		if (this.frozenFlag) {
			this.held.push(fn);
			return;
		}

		fn();
	}

	/** Forget what is held and answer again (the server is going away; its sockets are destroyed). */
	drop(): void {
		this.held = [];
		this.frozenFlag = false;
	}
}
