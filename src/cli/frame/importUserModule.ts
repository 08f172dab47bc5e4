import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { CounterError, errorMessageOf } from '../../shared/index.js';
import { loadForCommand } from './loadForCommand.js';
import { importNotFound, noModuleAt } from './moduleNotFound.js';

const TYPESCRIPT = /\.(c|m)?tsx?$/;

/**
 * Imports a module of the user's (a counters module), TypeScript included: README's
 * examples are TypeScript, and Node alone refuses `.ts`. tsx (an optional peer) compiles
 * it on the fly; without tsx, one line says to install it.
 */
export const importUserModule = async (path: string): Promise<Record<string, unknown>> => {
  const file = resolve(path);
  // Before tsx is asked for: a .ts path that is wrong says so, not that tsx is missing.
  if (!existsSync(file)) throw new CounterError('CliUsage', { explanation: noModuleAt(path) });
  if (TYPESCRIPT.test(file)) {
    // Typed by hand: the CommonJS build resolves types the Node10 way, which cannot see
    // tsx's exports map (the bin itself is ES modules only).
    const { register } = await loadForCommand(
      `--counters ${path}`,
      () => import('tsx/esm/api' as string) as Promise<{ register: () => unknown }>,
    );
    register();
  }
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CounterError('CliUsage', {
      explanation:
        importNotFound(path, error) ??
        `Cannot load the counters module ${path}: ${describeLoadError(error, file)}`,
    });
  }
};

/** The reason in one line, with the file and line of a syntax error when one can be found. */
const describeLoadError = (error: unknown, file: string): string => {
  const lines = errorMessageOf(error).split('\n');
  // tsx (esbuild) names the place on a line of its own: "/path/x.ts:3:12: ERROR: …".
  const located = lines.find((line) => line.includes(file) && /:\d+:\d+/.test(line));
  if (located !== undefined) return located.trim();
  if (error instanceof SyntaxError && !TYPESCRIPT.test(file))
    return `${syntaxErrorLocation(file) ?? file}: SyntaxError: ${error.message}`;
  return lines[0] ?? String(error);
};

/** Node's import() of a module with a syntax error does not say where; `node --check` does. */
const syntaxErrorLocation = (file: string): string | undefined => {
  const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
  const first = check.stderr.split('\n')[0]?.trim();
  return first !== undefined && /:\d+$/.test(first) ? first : undefined;
};
