import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TcpProxy } from '../../chaos/tcpProxy.js';
import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { createCountsTable } from '../../src/counterProjection/index.js';
import { findFreePort } from '../../src/dynamoDBLocal/index.js';
import { createCheckpointTable } from '../../src/streamRunner/index.js';
import { runCli, startCli } from '../support/cli.js';
import { dynamoDBEndpoint, useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { outputIncludes, waitUntil } from '../support/waitFor.js';

const src = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

/** A payload typo: `contry` is undefined on every event, so the key function throws. */
const typoModule = `
import { counter } from '${src('counterProjection/index.ts')}';
import { makeOrdersStore } from '${src('example/eventStores.ts')}';
const store = makeOrdersStore();
export const sourceEventStores = [store];
export const counters = [
  counter({ name: 'typo', eventStore: store, eventTypes: ['ORDER_PLACED'], key: (event) => event.payload.contry.toUpperCase() }),
];
`;

const { client, uniqueTableName, createTestEventTable } = useDynamoDB();
let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'counters-'));
  writeFileSync(join(folder, 'typo.mjs'), typoModule);
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('run with a counter that throws on every event', () => {
  const setUp = async () => {
    const eventTable = await createTestEventTable();
    const store = makeOrdersStore(
      new DynamoDBSingleTableEventStorageAdapter({ tableName: eventTable, dynamoDBClient: client }),
    );
    await store.pushEvent({
      aggregateId: 'o1',
      version: 1,
      type: 'ORDER_PLACED',
      payload: { customerId: 'c', country: 'FR', quantity: 1 },
    });
    const countsTable = uniqueTableName('counts');
    const checkpointTable = uniqueTableName('checkpoints');
    await createCountsTable({ dynamoDBClient: client, tableName: countsTable });
    await createCheckpointTable({ dynamoDBClient: client, tableName: checkpointTable });
    return [
      'run',
      '--counters',
      join(folder, 'typo.mjs'),
      '--event-table',
      eventTable,
      '--counts-table',
      countsTable,
      '--checkpoint-table',
      checkpointTable,
      '--endpoint',
      dynamoDBEndpoint(),
    ];
  };

  it('says the failure once in one line, then how often it repeats, and at the first Ctrl-C stops and exits 1 (a batch still failing)', async () => {
    const child = startCli(await setUp());
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const repeated = new Promise<void>((resolve) =>
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('(4 repeat(s) so far)')) resolve();
      }),
    );
    await repeated;
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.once('close', resolve));

    expect(code).toBe(1);
    expect(stdout).toContain('Stopping after the batch in flight');
    expect(stdout).toContain('Stopped after committing 0 records.');
    expect(stderr).not.toMatch(/\n\s+at /);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(
      /record \d+ not counted: InvalidIncrement: Counter typo for stream record \d+: key "TypeError: Cannot read properties of undefined \(reading 'toUpperCase'\)"/,
    );
    expect(lines.slice(1)).toEqual([
      '  … the same failure again (1 repeat(s) so far)',
      '  … the same failure again (2 repeat(s) so far)',
      '  … the same failure again (4 repeat(s) so far)',
      'Stopped while a batch was still failing: it was not checkpointed, and the next run starts from it (the failure is said above).',
    ]);
  });

  it('stops by itself after --max-retries, exits 1 and says how to go on, skipping nothing', async () => {
    const { code, stderr } = await runCli([...(await setUp()), '--max-retries', '2']);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/record \d+ not counted: InvalidIncrement/);
    expect(lines[lines.length - 1]).toMatch(
      /^UndeliverableRecords: Record \d+ of shard .* still fails after 3 attempts \(--max-retries 2\); the last attempt failed with InvalidIncrement: Counter typo for stream record \d+: .* The run stopped rather than skip them: fix the cause, then run again; it starts from its checkpoint\. --max-retries -1 retries until it succeeds\.$/,
    );
  });

  it('rides out a DynamoDB that resets every connection while run starts, then projects (outage forced by a proxy)', async () => {
    const args = await setUp();
    const endpointAt = args.indexOf('--endpoint') + 1;
    const target = Number(new URL(args[endpointAt] as string).port);
    const port = await findFreePort();
    // First a server that resets every connection, as a DynamoDB being restarted does.
    let resets = 0;
    const resetting = createServer((socket) => {
      resets += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => resetting.listen(port, '127.0.0.1', resolve));
    args[endpointAt] = `http://127.0.0.1:${port}`;
    const child = startCli(args);
    const projecting = outputIncludes(child.stdout as Readable, 'Projecting the stream', 120_000);
    // The typo counter's first failure: the run reads and handles the stream.
    const handling = outputIncludes(child.stderr as Readable, 'not counted', 120_000);
    try {
      // More than the SDK's own 3 attempts of one call: run itself must try again.
      await waitUntil(() => resets >= 6, { what: 'run to try DynamoDB six times' });
    } finally {
      await new Promise((resolve) => resetting.close(resolve));
    }
    const proxy = new TcpProxy(port, target);
    await proxy.open();
    try {
      await projecting;
      const stderr = await handling;
      expect(stderr).not.toMatch(/Cannot reach DynamoDB/);
      child.kill('SIGINT');
      expect(await new Promise((resolve) => child.once('close', resolve))).toBe(1);
    } finally {
      await proxy.cut();
    }
  });
});
