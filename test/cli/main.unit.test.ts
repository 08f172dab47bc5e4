import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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

  it('signs for a real region when none is set, and shows an answer that is not JSON as what it is', async () => {
    const authorizations: string[] = [];
    const server = createServer((request, response) => {
      authorizations.push(String(request.headers.authorization));
      response.writeHead(403, { 'content-type': 'text/html' });
      response.end('<html><body>Forbidden</body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const saved = { region: process.env.AWS_REGION, fallback: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { code, stderr } = await run([
        'tables',
        'create',
        '--event-table',
        'events',
        '--counts-table',
        'counts',
        '--checkpoint-table',
        'checkpoints',
        '--endpoint',
        endpoint,
      ]);
      expect(code).toBe(1);
      expect(stderr).toBe(
        `The server at ${endpoint} answered HTTP 403, not with DynamoDB's JSON (its answer begins "<html><bod"): is --endpoint a DynamoDB? A server that checks regions refuses one it does not serve: requests were signed for us-east-1, since AWS_REGION is not set.`,
      );
      expect(authorizations[0]).toMatch(/Credential=[^/]+\/\d{8}\/us-east-1\/dynamodb\//);
    } finally {
      if (saved.region !== undefined) process.env.AWS_REGION = saved.region;
      if (saved.fallback !== undefined) process.env.AWS_DEFAULT_REGION = saved.fallback;
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
