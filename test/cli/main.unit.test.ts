import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { main } from '../../src/cli/main.js';

// The CLI in process: main(argv, io) resolves to the exit code and prints to io, so that
// arguments and usage errors are tested without a child process or a server.
const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
};

describe('main(argv, io)', () => {
  it('says its version on io.out and resolves to 0', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: 0, stdout: version, stderr: '' });
  });

  it('shows its help and fails without a command', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).not.toBe(0);
    expect(`${stdout}${stderr}`).toMatch(/Usage: castore-dynamodb-counter[\s\S]*Commands:/);
  });

  it('names an unknown command and suggests the near one, on io.err', async () => {
    const { code, stdout, stderr } = await run(['dmeo']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/unknown command 'dmeo'[\s\S]*Did you mean demo\?/);
  });

  it('refuses a missing required option and a batch size that is not a positive integer', async () => {
    const missing = await run(['counts', 'get', '--counts-table', 'c', '--counter', 'x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/required option '--counters <module>' not specified/);
    const zero = await run([
      'run',
      '--counters',
      'm.js',
      '--event-table',
      'e',
      '--counts-table',
      'c',
      '--checkpoint-table',
      'k',
      '--batch-size',
      '0',
    ]);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toMatch(/--batch-size.*0/);
  });

  it('keeps the output of two runs at once apart', async () => {
    const [version, unknown] = await Promise.all([run(['--version']), run(['dmeo'])]);
    expect(version.stderr).toBe('');
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/unknown command 'dmeo'/);
  });
});
