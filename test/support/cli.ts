import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { expect } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

// tsx by its path: a test may run the CLI in a folder of its own (cwd), where `--import tsx` would not resolve.
const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;

/**
 * Starts the CLI as a user would (`npm start` runs the same entry point through tsx), in the
 * repository's folder or in `cwd`.
 */
export const startCli = (
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = root,
): ChildProcess =>
  spawn(process.execPath, ['--import', tsx, join(root, 'src', 'cli', 'index.ts'), ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

export const runCli = (
  args: string[],
  env?: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = startCli(args, env, cwd);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });

/** A mistake ends in one line on stderr, a non-zero exit and no stack trace; resolves to that line. */
export const expectOneLine = async (
  args: string[],
  pattern: RegExp,
  env?: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<string> => {
  const { code, stderr } = await runCli(args, env, cwd);
  expect(code).not.toBe(0);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
  return stderr;
};
