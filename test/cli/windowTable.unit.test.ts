import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';

import { buildProgram } from '../../src/cli/program.js';
import { counter, COUNTER_WINDOWS } from '../../src/counterProjection/index.js';
import { WINDOWS } from '../../src/counterProjection/windowTable.js';
import { makeOrdersStore } from '../support/eventStores.js';

const subcommand = (parent: Command, name: string): Command => {
  const found = parent.commands.find((command) => command.name() === name);
  if (found === undefined) throw new Error(`no command ${name}`);
  return found;
};
const windowOption = (command: Command): Option | undefined =>
  command.options.find(({ long }) => long === '--window');

const sourceFiles = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(folder, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(folder, entry.name)]
        : [],
  );

// A window named in code: a string literal ('week') or an object key (week: ...).
const WINDOW_NAMED = /['"`](\w+)['"`]|\b(\w+): /g;

describe('the table of windows is the one place a window is spelled', () => {
  it('lists COUNTER_WINDOWS from the table, week and month included', () => {
    expect(COUNTER_WINDOWS).toEqual(Object.keys(WINDOWS));
    expect(COUNTER_WINDOWS).toEqual(expect.arrayContaining(['week', 'month']));
  });

  it("gives the CLI's --window the table's windows as choices, in counts get and counts list", () => {
    const counts = subcommand(
      buildProgram({ exitCode: 0 }, { out: () => {}, err: () => {} }),
      'counts',
    );
    for (const name of ['get', 'list'])
      expect(windowOption(subcommand(counts, name))?.argChoices, name).toEqual([
        ...COUNTER_WINDOWS,
      ]);
  });

  it("names every window of the table when a counter's window is refused", () => {
    const define = () =>
      counter({
        name: 'c',
        eventStore: makeOrdersStore(),
        key: () => 'k',
        windows: ['fortnight' as 'week'],
      });
    expect(define).toThrow(expect.objectContaining({ code: 'InvalidCounterDefinition' }) as Error);
    expect(define).toThrow(new RegExp(COUNTER_WINDOWS.join('.*')));
  });

  it('spells no list of windows in src outside windowTable.ts (the example counters only use some)', () => {
    const spelling = sourceFiles('src')
      .filter(
        (file) => !file.endsWith('windowTable.ts') && !file.startsWith(join('src', 'example')),
      )
      .flatMap((file) => {
        const code = readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line))
          .join('\n');
        const named = new Set(
          [...code.matchAll(WINDOW_NAMED)]
            .map(([, literal, key]) => literal ?? key)
            .filter((name) => (COUNTER_WINDOWS as readonly (string | undefined)[]).includes(name)),
        );
        return named.size >= 2 ? [`${file}: ${[...named].join(', ')}`] : [];
      });
    expect(spelling).toEqual([]);
  });
});
