// The OUTAGE stopwatch in block digits five rows high, so the back row of a room can read
// it off a projector. A 3×5 pixel font, each pixel two cells wide (terminal cells are about
// twice as tall as wide, so the pixels come out square).

const font: Record<string, string[]> = {
	'0': ['###', '# #', '# #', '# #', '###'],
	'1': [' # ', '## ', ' # ', ' # ', '###'],
	'2': ['###', '  #', '###', '#  ', '###'],
	'3': ['###', '  #', '###', '  #', '###'],
	'4': ['# #', '# #', '###', '  #', '  #'],
	'5': ['###', '#  ', '###', '  #', '###'],
	'6': ['###', '#  ', '###', '# #', '###'],
	'7': ['###', '  #', '  #', '  #', '  #'],
	'8': ['###', '# #', '###', '# #', '###'],
	'9': ['###', '# #', '###', '  #', '###'],
	':': [' ', '#', ' ', '#', ' '],
	'.': [' ', ' ', ' ', ' ', '#'],
	' ': [' ', ' ', ' ', ' ', ' '],
};

export const bigDigitRows = 5;

/** `7.4` below a minute, `1:07.4` from one: the shortest form, so the digits can be wide. */
export function bigClockText(ms: number): string {
	const tenths = Math.floor(Math.max(0, ms) / 100);
	const minutes = Math.floor(tenths / 600);
	const seconds = (tenths % 600) / 10;
	return minutes === 0 ? seconds.toFixed(1) : `${minutes}:${seconds.toFixed(1).padStart(4, '0')}`;
}

/** The text drawn in block characters: five lines of equal width (characters outside the font are left out). */
export function bigDigits(text: string): string[] {
	const glyphs = [...text].map(character => font[character]).filter(glyph => glyph !== undefined);
	return Array.from({length: bigDigitRows}, (_, row) => glyphs
		.map(glyph => [...glyph[row]].map(pixel => (pixel === '#' ? '██' : '  ')).join(''))
		.join('  '));
}

/** Columns the block form of `text` takes. */
export function bigDigitsWidth(text: string): number {
	return bigDigits(text)[0]?.length ?? 0;
}
