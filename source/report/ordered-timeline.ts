// The headless `kill` prints its timeline while the experiment runs, in time order. An entry
// is stamped with when it happened, but some are known only later: a probe that timed out is
// a failure at its send time, known a probe timeout (and the API-server check after it) later.
// So each entry is held until nothing earlier can still arrive (holdMs after its stamp), then
// printed in order. One that arrives later than that anyway is printed at once, marked late,
// rather than lost or held back forever.
import type {TimelineEntry} from '../model/measurement.js';

export type PlacedEntry<Entry extends {at: number} = TimelineEntry> = {entry: Entry; late: boolean};

export class OrderedTimeline<Entry extends {at: number} = TimelineEntry> {
	private pending: Entry[] = [];
	private printedUpTo = Number.NEGATIVE_INFINITY;

	constructor(private readonly holdMs: number) {}

	add(entry: Entry): void {
		// After every entry with the same or an earlier time: equal times keep their arrival order.
		let index = this.pending.length;
		while (index > 0 && this.pending[index - 1].at > entry.at) {
			index--;
		}

		this.pending.splice(index, 0, entry);
	}

	/** The entries that can be placed as of `now` (all of them when the experiment is over), in order. */
	take(now: number, all = false): Array<PlacedEntry<Entry>> {
		const placed: Array<PlacedEntry<Entry>> = [];
		while (this.pending.length > 0 && (all || this.pending[0].at <= now - this.holdMs)) {
			const entry = this.pending.shift()!;
			placed.push({entry, late: entry.at < this.printedUpTo});
			this.printedUpTo = Math.max(this.printedUpTo, entry.at);
		}

		return placed;
	}
}
