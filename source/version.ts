// knockdown's own version, from package.json (one directory up from source/ and from dist/
// alike), so every report can say which knockdown measured it.
import {createRequire} from 'node:module';

const require = createRequire(import.meta.url);

export const knockdownVersion: string = (require('../package.json') as {version: string}).version;
