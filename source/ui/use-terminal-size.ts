// The terminal's size, following resizes. A fixed size can be given instead (tests, benches).
import {useEffect, useState} from 'react';
import {useStdout} from 'ink';
import type {TerminalSize} from './layout.js';

const fallback: TerminalSize = {columns: 100, rows: 30};

export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
	const {stdout} = useStdout();
	const read = (): TerminalSize => ({
		columns: stdout.columns || fallback.columns,
		rows: stdout.rows || fallback.rows,
	});
	const [size, setSize] = useState<TerminalSize>(fixed ?? read());
	useEffect(() => {
		if (fixed) {
			setSize(fixed);
			return;
		}

		const onResize = () => setSize(read());
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, fixed?.columns, fixed?.rows]);
	return fixed ?? size;
}
