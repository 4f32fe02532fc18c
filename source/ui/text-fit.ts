// Fitting text into fixed-width cells. Pod and node names differ at their ends
// (kube-proxy-gke-demo-…-dvbd), so those are shortened in the middle; everything else at the end.

/** Exactly `width` characters: cut at the end with `…`, or padded. */
export function fitEnd(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) {
		return '';
	}

	const cut = text.length > width ? (width === 1 ? '…' : text.slice(0, width - 1) + '…') : text;
	return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
}

/** Exactly `width` characters: cut in the middle with `…`, or padded. */
export function fitMiddle(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	if (text.length <= width) {
		return text.padEnd(width);
	}

	if (width < 5) {
		return fitEnd(text, width);
	}

	const keepEnd = Math.floor((width - 1) / 2);
	const keepStart = width - 1 - keepEnd;
	return text.slice(0, keepStart) + '…' + text.slice(text.length - keepEnd);
}

/** Cut at the end without padding (for the last thing on a line). */
export function clip(text: string, width: number): string {
	return text.length > width ? fitEnd(text, width) : text;
}
