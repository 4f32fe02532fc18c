// Durations on the command line read like `500ms`, `2s`, `1m`, `1m30s`; a bare number is milliseconds.
const units: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};

export function parseDuration(text: string): number | undefined {
	const trimmed = text.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) {
		return Number(trimmed);
	}

	const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
	let total = 0;
	let consumed = 0;
	for (const match of trimmed.matchAll(part)) {
		total += Number(match[1]) * units[match[2]];
		consumed += match[0].length;
	}

	return consumed === trimmed.length && consumed > 0 ? total : undefined;
}

export function formatDuration(ms: number): string {
	if (ms < 1000) {
		return `${Math.round(ms)}ms`;
	}

	if (ms < 60_000) {
		return `${Number((ms / 1000).toFixed(1))}s`;
	}

	const minutes = Math.floor(ms / 60_000);
	const seconds = Math.round((ms % 60_000) / 1000);
	return seconds ? `${minutes}m${seconds}s` : `${minutes}m`;
}
