// Colours, or none: with NO_COLOR (https://no-color.org) every hue is dropped and the
// screen must still read, which is why every state also has a marker or a word.
export type Theme = {
	/** undefined = no colour. */
	color(name: ThemeColor): string | undefined;
	readonly noColor: boolean;
};

export type ThemeColor = 'ok' | 'warn' | 'bad' | 'new' | 'flash' | 'accent' | 'muted' | 'title';

const palette: Record<ThemeColor, string> = {
	ok: 'green',
	warn: 'yellow',
	bad: 'red',
	new: 'greenBright',
	flash: 'yellowBright',
	accent: 'cyan',
	muted: 'gray',
	title: 'magentaBright',
};

export function makeTheme(noColor: boolean): Theme {
	return {
		noColor,
		color: name => (noColor ? undefined : palette[name]),
	};
}

/** NO_COLOR set to anything non-empty turns colour off. */
export function noColorFromEnv(env: NodeJS.ProcessEnv): boolean {
	return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

/** The colour a pod's STATUS reads in. */
export function statusColor(status: string): ThemeColor {
	if (status === 'Running' || status === 'Completed' || status === 'Succeeded') {
		return 'ok';
	}

	if (status === 'Terminating' || status === 'Pending' || status === 'ContainerCreating' || status === 'PodInitializing' || (status.startsWith('Init:') && !/Err|BackOff|Error/.test(status))) {
		return 'warn';
	}

	return 'bad';
}
