// The live screen as `knockdown` runs it: the App with every feature plugged in (see
// extensions.tsx), its header read from the context. One component, so the tests that drive
// the whole screen render exactly what the command renders.
import React from 'react';
import {App} from './app.js';
import {useScreenExtensions} from './extensions.js';
import type {ScreenContext} from './screen-context.js';
import {makeTheme} from './theme.js';

export function Screen({context, onQuit}: {context: ScreenContext; onQuit(): void}) {
	const extensions = useScreenExtensions(context);
	const {config, connection} = context;
	return (
		<App
			store={context.store}
			info={{
				contextName: connection.contextName,
				server: connection.server,
				namespace: config.namespace,
				readOnly: config.readOnly,
				demo: config.demo,
			}}
			theme={context.theme ?? makeTheme(false)}
			size={context.size}
			onQuit={onQuit}
			extensions={extensions}
			stage={config.stage}
		/>
	);
}
