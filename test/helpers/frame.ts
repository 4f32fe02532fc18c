// Waiting for what a user would see: poll ink-testing-library's lastFrame() until a
// predicate holds, with a deadline, instead of sleeping. Frames are compared without
// colour codes (NO_COLOR or not).

// eslint-disable-next-line no-control-regex
const ansi = /\u001B\[[0-9;?]*[ -/]*[@-~]/g;

export function plain(frame: string | undefined): string {
	return (frame ?? '').replaceAll(ansi, '');
}

export type FrameSource = {lastFrame(): string | undefined};

/**
 * Resolve with the first frame (colour codes removed) for which `predicate` holds; reject
 * after `timeoutMs` with `what` and the last frame seen, so a failure shows the screen.
 */
export async function waitForFrame(
	source: FrameSource,
	predicate: (frame: string) => boolean,
	what: string,
	timeoutMs = 5000,
): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const frame = plain(source.lastFrame());
		if (predicate(frame)) {
			return frame;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last frame:\n${frame}`);
		}

		await new Promise(resolve => setTimeout(resolve, 10));
	}
}

/** The line of the frame that contains `text`, or undefined. */
export function lineWith(frame: string, text: string): string | undefined {
	return frame.split('\n').find(line => line.includes(text));
}

/** Escape sequences for keys, as a terminal sends them. */
export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	escape: '\u001B',
	enter: '\r',
	backspace: '\u007F',
	ctrlC: '\u0003',
} as const;
