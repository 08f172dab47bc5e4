import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { beforeAll, describe, expect, it } from 'vitest';

import { builtPackage } from './packedTarball.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The package as `npm run build` builds it (the one build the package tests share, packed
 * for the others: packedTarball.ts), loaded as users would.
 */
describe('the built package', () => {
  let outDir: string;
  beforeAll(async () => {
    outDir = join(await builtPackage(), 'dist');
  }, 300_000);

  it('loads as an ES module and as CommonJS, with the same exports', async () => {
    const printKeys = 'console.log(JSON.stringify(Object.keys(m).sort()))';
    const esm = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import * as m from '${join(outDir, 'esm/src/index.js')}'; ${printKeys}`,
      ],
      { cwd: root },
    );
    const cjs = await run(
      process.execPath,
      ['-e', `const m = require('${join(outDir, 'cjs/src/index.js')}'); ${printKeys}`],
      { cwd: root },
    );
    const esmExports = JSON.parse(esm.stdout) as string[];
    expect(esmExports).toEqual(
      expect.arrayContaining([
        'DynamoDBSingleTableEventStorageAdapter',
        'ImageParser',
        'CounterProjection',
        'counter',
        'createEventTable',
        'createCountsTable',
      ]),
    );
    expect(JSON.parse(cjs.stdout)).toEqual(esmExports);
  });

  it('exposes the stream runner and the CDK construct as their own entry points', async () => {
    const load = (path: string, name: string) =>
      run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { ${name} } from '${join(outDir, path)}'; console.log(typeof ${name})`,
        ],
        { cwd: root },
      );
    expect((await load('esm/src/streamRunner/index.js', 'StreamRunner')).stdout.trim()).toBe(
      'function',
    );
    expect((await load('esm/infra/index.js', 'CounterProjectionPipeline')).stdout.trim()).toBe(
      'function',
    );
  });

  it('runs the CLI from the build', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(outDir, 'esm/src/cli/index.js'), '--help'],
      { cwd: root },
    );
    expect(stdout).toContain('Usage: castore-dynamodb-counter');
  });
});
