// A CommandIo that collects what a command prints, for the tests that run a command.
import {PassThrough} from 'node:stream';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {CommandIo} from '../../source/commands/io.js';
import {systemClock} from '../../source/time/clock.js';

export type CapturedIo = CommandIo & {out(): string; err(): string; abort(): void};

export function captureIo(): CapturedIo {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', chunk => {
		out += String(chunk);
	});
	stderr.on('data', chunk => {
		err += String(chunk);
	});
	const controller = new AbortController();
	return {
		stdout,
		stderr,
		stdin: new PassThrough(),
		env: {},
		cwd: mkdtempSync(path.join(tmpdir(), 'knockdown-cmd-')),
		signal: controller.signal,
		clock: systemClock(),
		out: () => out,
		err: () => err,
		abort: () => controller.abort(),
	};
}

/** A kubeconfig file for a served simulator; client-node 1.x needs insecure-skip-tls-verify for plain http. */
export function kubeconfigFile(kubeconfig: string): string {
	const text = kubeconfig.includes('insecure-skip-tls-verify')
		? kubeconfig
		: kubeconfig.replace(/^(\s+)server: (.*)$/m, '$1server: $2\n$1insecure-skip-tls-verify: true');
	const file = path.join(mkdtempSync(path.join(tmpdir(), 'knockdown-kc-')), 'config');
	writeFileSync(file, text);
	return file;
}
