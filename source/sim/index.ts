// The simulator's library entry: startSim(options) → SimHandle. (Built by the simulator's server work.)
import type {SimHandle, SimOptions} from './sim-handle.js';

export type {SimHandle, SimOptions} from './sim-handle.js';

export async function startSim(_options: SimOptions = {}): Promise<SimHandle> {
	throw new Error('the simulator is not built yet');
}
