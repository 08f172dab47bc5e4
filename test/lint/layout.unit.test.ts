import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TIERED = /\.(unit|synth|int|e2e)\.test\.ts$/;

/** Every file under a folder of the repository, as paths from the root. */
const filesUnder = (folder: string): string[] =>
  readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));

/**
 * The names CONTRIBUTING.md's layout table gives: each row's folder (its first cell), and
 * in its second cell each file (written with its `.ts`) and folder (with its `/`), from
 * the row's folder.
 */
export const namedInLayout = (markdown: string): { folder: string; name: string }[] => {
  const table = markdown.slice(markdown.indexOf('| folder | what is there |'));
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => {
      const [, folder = '', text = ''] = /^\| `([^`]+)` \| (.*) \|$/.exec(line) ?? [];
      const names = [...text.matchAll(/`([\w./-]+(?:\.ts|\/))`/g)].map((match) => match[1]);
      return [
        { folder, name: '' },
        ...names.flatMap((name) => (name === undefined ? [] : [{ folder, name }])),
      ];
    });
};

/** Whether the folder holds that file or folder, at any depth (`writePath/` is in `src/counterProjection`). */
const existsIn = (folder: string, name: string): boolean => {
  if (name === '') return existsSync(join(root, folder));
  const wanted = name.replace(/\/$/, '');
  return filesUnder(folder).some(
    (file) =>
      file === `${folder}/${wanted}` || file.endsWith(`/${wanted}`) || file.includes(`/${wanted}/`),
  );
};

describe('the layout CONTRIBUTING.md describes', () => {
  it("gives every test file its tier in its name, so that none runs in no tier or in another's", () => {
    const untiered = filesUnder('test').filter(
      (file) => file.endsWith('.test.ts') && !TIERED.test(file),
    );
    expect(untiered).toEqual([]);
  });

  it('names in its layout table only files and folders that exist', () => {
    const named = namedInLayout(readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8'));
    expect(named.length).toBeGreaterThan(100);
    const missing = named.filter(({ folder, name }) => !existsIn(folder, name));
    expect(missing).toEqual([]);
  });

  it('reads a name of the table from its row, and finds a file that is gone', () => {
    const row = '| `src/adapter` | the adapter (`adapter.ts`), gone (`versionErrors.ts`), `a` |';
    const named = namedInLayout(`| folder | what is there |\n|---|---|\n${row}\n`);
    expect(named).toEqual([
      { folder: 'src/adapter', name: '' },
      { folder: 'src/adapter', name: 'adapter.ts' },
      { folder: 'src/adapter', name: 'versionErrors.ts' },
    ]);
    expect(named.filter(({ folder, name }) => !existsIn(folder, name))).toEqual([
      { folder: 'src/adapter', name: 'versionErrors.ts' },
    ]);
  });
});
