// `npm run bench`: run every benchmark script in this folder, one after another, each in
// its own process so that one's heap does not weigh on the next. Each prints its numbers.
import {spawnSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const folder = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const scripts = readdirSync(folder)
	.filter(name => name.endsWith('.ts') && name !== 'run.ts')
	// The soak runs for an hour: only when named (npm run bench soak, or npm run soak).
	.filter(name => (only.length === 0 && !name.startsWith('soak')) || only.some(word => name.includes(word)))
	.sort();

let failed = 0;
for (const script of scripts) {
	process.stdout.write(`\n## ${script}\n`);
	const result = spawnSync(process.execPath, ['--import', 'tsx', folder + script], {stdio: 'inherit'});
	if (result.status !== 0) {
		failed++;
		process.stdout.write(`(${script} exited with ${result.status ?? result.signal})\n`);
	}
}

process.exitCode = failed > 0 ? 1 : 0;
