// dist/cjs sits inside a "type": "module" package: without this marker Node would
// read its .js files as ES modules.
import { writeFileSync } from 'node:fs';
import { URL } from 'node:url';

writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{ "type": "commonjs" }\n');
