import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/** The manual: README.md and every page of docs/. */
const pages = (): string[] => [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Each ```ts block of a page, with the line it starts on. */
const snippets = (page: string): { page: string; line: number; code: string }[] => {
  const lines = readFileSync(join(root, page), 'utf8').split('\n');
  const found: { page: string; line: number; code: string }[] = [];
  lines.forEach((text, index) => {
    if (text.trim() !== '```ts') return;
    const end = lines.findIndex((other, at) => at > index && other.trim() === '```');
    found.push({ page, line: index + 1, code: lines.slice(index + 1, end).join('\n') });
  });
  return found;
};

/** "README_md_line140.ts" for README.md's block at line 140. */
const fileOf = ({ page, line }: { page: string; line: number }) =>
  `${page.replace(/[/.]/g, '_')}_line${line}.ts`;

describe('the manual (README.md and docs/)', () => {
  it('has TypeScript snippets that compile against the library, as a user would paste them', async () => {
    const blocks = pages().flatMap(snippets);
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    // Every page of the manual with code shows some that compiles.
    expect(new Set(blocks.map(({ page }) => page))).toContain('README.md');
    const cache = join(root, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    const folder = mkdtempSync(join(cache, 'readme-'));
    try {
      blocks.forEach((block) =>
        // `export {}`: a snippet without imports is a module too (top-level await).
        writeFileSync(join(folder, fileOf(block)), `${block.code}\nexport {};\n`),
      );
      copyFileSync(join(root, 'test', 'readme', 'globals.d.ts.txt'), join(folder, 'globals.d.ts'));
      // The "your event stores" module a snippet imports: the example's.
      writeFileSync(
        join(folder, 'eventStores.ts'),
        `export { ordersStore, usersStore } from '${join(root, 'src', 'example', 'counters.js')}';\n`,
      );
      writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify(tsconfig(folder)));
      const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      const errors = await exec(process.execPath, [tsc, '-p', folder], { cwd: root }).then(
        () => '',
        (error: unknown) => (error as { stdout: string }).stdout,
      );
      // "docs_errors_md_line40.ts(12,3): error …" is docs/errors.md line 40 + 12.
      const where = new Map(blocks.map((block) => [fileOf(block), block]));
      expect(
        errors.replace(/(\w+_line\d+\.ts)\((\d+),/g, (_, file: string, at: string) => {
          const block = where.get(file);
          return `${block?.page}(${(block?.line ?? 0) + Number(at)},`;
        }),
      ).toBe('');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});

const tsconfig = (folder: string) => ({
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
    baseUrl: folder,
    // The package's own entry points, resolved to its sources.
    paths: {
      'castore-dynamodb-counter': [join(root, 'src', 'index.ts')],
      'castore-dynamodb-counter/reactions': [join(root, 'src', 'entries', 'reactions.ts')],
      'castore-dynamodb-counter/stream-runner': [join(root, 'src', 'entries', 'streamRunner.ts')],
      'castore-dynamodb-counter/testing': [join(root, 'src', 'entries', 'testing.ts')],
      'castore-dynamodb-counter/infra': [join(root, 'infra', 'index.ts')],
    },
  },
  include: [join(folder, '*.ts')],
});
