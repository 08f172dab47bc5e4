import type { Readable } from 'node:stream';

import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';

import { dropTables } from '../../src/dynamoDBLocal/dropTables.js';
import { runCli } from '../support/cli.js';
import { dynamoDBEndpoint, makeDynamoDBClient } from '../support/dynamoDB.js';
import { outputIncludes } from '../support/waitFor.js';

describe('castore-dynamodb-counter demo', () => {
  it('runs the whole pipeline on its own DynamoDB Local and every count matches what was pushed', async () => {
    const { code, stdout, stderr } = await runCli(['demo', '--events', '2000']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^2000 events pushed and counted in [\d.]+ s: \d+ events\/s end to end\.$/m,
    );
    expect(stdout).toMatch(/│ counter +│ key +│ counted +│ expected +│ check +│/);
    const rows = stdout
      .split('\n')
      .filter((line) => /^│ \w+ +│/.test(line) && !line.includes('counter'));
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const [, , , counted, expected, check] = row.split('│').map((cell) => cell.trim());
      expect(check).toBe('ok');
      expect(counted).toBe(expected);
    }
    expect(stdout).toContain(`All ${rows.length} counts equal what was pushed.`);
    // The reactions: each country's orders reaching 10, 100, 1000, one event each.
    const reachedByCounts = rows
      .map((row) => row.split('│').map((cell) => cell.trim()))
      .filter(([, counterName]) => counterName === 'ordersByCountry')
      .flatMap(([, , , counted]) => [10, 100, 1_000].filter((t) => t <= Number(counted)));
    expect(reachedByCounts.length).toBeGreaterThan(0);
    expect(stdout).toMatch(
      new RegExp(
        `^Reactions: ${reachedByCounts.length} thresholds reached, one COUNT_REACHED event each \\(ordersByCountry \\w+ reached \\d+`,
        'm',
      ),
    );
  });
});

describe('castore-dynamodb-counter demo, interrupted', () => {
  it('stops on Ctrl-C (SIGINT) and stops its DynamoDB Local', async () => {
    const { startCli } = await import('../support/cli.js');
    const child = startCli(['demo', '--events', '200000']);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // Interrupt once it pushes.
    await outputIncludes(child.stdout as Readable, 'pushed');
    const javaPid = Number(
      (await import('node:child_process'))
        .execFileSync('pgrep', ['-P', String(child.pid), '-f', 'DynamoDBLocal.jar'], {
          encoding: 'utf8',
        })
        .trim()
        .split('\n')[0],
    );
    expect(javaPid).toBeGreaterThan(0);
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(130);
    expect(stdout).toContain('Interrupted.');
    expect(() => process.kill(javaPid, 0)).toThrow(); // no such process any more
  }, 120_000);

  it('stops cleanly on Ctrl-C in a terminal, which signals the whole process group', async () => {
    const { spawn, execFileSync } = await import('node:child_process');
    // A process group of its own, as a shell gives a foreground job.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', 'demo', '--events', '200000'],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await outputIncludes(child.stdout, 'pushed');
    const javaPid = Number(
      execFileSync('pgrep', ['-P', String(child.pid), '-f', 'DynamoDBLocal.jar'], {
        encoding: 'utf8',
      })
        .trim()
        .split('\n')[0],
    );
    process.kill(-(child.pid as number), 'SIGINT');
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(130);
    expect(stdout).toContain('Interrupted.');
    expect(() => process.kill(javaPid, 0)).toThrow();
  }, 120_000);
});

describe('castore-dynamodb-counter demo on a DynamoDB of the user’s (--endpoint)', () => {
  const demoTables = async () => {
    const client = makeDynamoDBClient();
    try {
      const { TableNames = [] } = await client.send(new ListTablesCommand({}));
      return TableNames.filter((name) => name.startsWith('demo-'));
    } finally {
      client.destroy();
    }
  };

  it('drops its tables at the end and says so, unless --keep', async () => {
    const before = await demoTables();
    const dropped = await runCli(['demo', '--events', '50', '--endpoint', dynamoDBEndpoint()]);
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toMatch(
      /Dropped the demo's tables from .* \(pass --keep to keep them\)\./,
    );
    expect(await demoTables()).toEqual(before);

    const kept = await runCli([
      'demo',
      '--events',
      '50',
      '--keep',
      '--endpoint',
      dynamoDBEndpoint(),
    ]);
    expect(kept.code).toBe(0);
    const added = (await demoTables()).filter((name) => !before.includes(name));
    expect(added).toHaveLength(4);
    expect(kept.stdout).toContain(`Kept the tables`);
    for (const name of added) expect(kept.stdout).toContain(name);
    const client = makeDynamoDBClient();
    await dropTables(client, added);
    client.destroy();
  });
});

describe('castore-dynamodb-counter demo --port on a port another DynamoDB holds', () => {
  it('refuses in one line instead of running against that other server', async () => {
    const port = new URL(dynamoDBEndpoint()).port;
    const client = makeDynamoDBClient();
    const tablesOf = async () => (await client.send(new ListTablesCommand({}))).TableNames ?? [];
    const before = await tablesOf();
    const { code, stderr } = await runCli(['demo', '--events', '10', '--port', port]);
    const after = await tablesOf();
    client.destroy();
    expect(code).not.toBe(0);
    expect(stderr.trim()).toBe(
      `Port ${port} is already in use by another server: choose another --port, or none to get a free one (to use a DynamoDB that is already running there, pass --endpoint http://127.0.0.1:${port}).`,
    );
    expect(after.filter((name) => name.startsWith('demo-') && !before.includes(name))).toEqual([]);
  });
});
