import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { expect } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Starts the CLI as a user would (`npm start` runs the same entry point through tsx). */
export const startCli = (args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

export const runCli = (
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = startCli(args, env);
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
): Promise<string> => {
  const { code, stderr } = await runCli(args, env);
  expect(code).not.toBe(0);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
  return stderr;
};
