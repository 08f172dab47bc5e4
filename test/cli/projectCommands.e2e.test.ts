import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { CounterProjection } from '../../src/counterProjection/index.js';
import { counters } from '../../src/example/counters.js';
import { makeOrdersStore, makeUsersStore } from '../../src/example/eventStores.js';
import { expectedCounts } from '../../src/example/expectedCounts.js';
import { type PushedEvent, pushWorkload } from '../../src/example/pushWorkload.js';
import { planWorkload } from '../../src/example/workloadPlan.js';
import { createCheckpointTable } from '../../src/streamRunner/index.js';
import { expectOneLine, runCli, startCli } from '../support/cli.js';
import { dynamoDBEndpoint, useDynamoDB } from '../support/dynamoDB.js';
import { waitUntil } from '../support/waitFor.js';

const { client, uniqueTableName, createTestEventTable, createTestCountsTable } = useDynamoDB();
let eventTable: string;
let pushed: PushedEvent[];
const endpoint = () => dynamoDBEndpoint();
const countersModule = 'src/example/counters.ts';

beforeAll(async () => {
  eventTable = await createTestEventTable();
  const adapter = new DynamoDBSingleTableEventStorageAdapter({
    tableName: eventTable,
    dynamoDBClient: client,
  });
  pushed = await pushWorkload({
    operations: planWorkload({ events: 3_000, seed: 7 }),
    stores: { orders: makeOrdersStore(adapter), users: makeUsersStore(adapter) },
    concurrency: 16,
    signal: new AbortController().signal,
    onPushed: () => undefined,
  });
});

const newCountsTable = async () => {
  const tableName = await createTestCountsTable();
  return tableName;
};

/** Every counter key's count in the table against what was pushed: [] when all match. */
const mismatches = async (countsTableName: string) => {
  const projection = new CounterProjection({
    dynamoDBClient: client,
    countsTableName,
    sourceEventStores: [makeOrdersStore(), makeUsersStore()],
    counters,
  });
  const expected = [...expectedCounts(counters, pushed).values()];
  const actual = await projection.getCounts(
    expected.map(({ counterName, key }) => ({ counterName: counterName as 'upgrades', key })),
  );
  return expected
    .map((e, index) => ({ ...e, actual: actual[index] }))
    .filter(({ count, actual: found }) => found !== count);
};

describe('rebuild', () => {
  it('reproduces the counts from the event table, also over counts a live projection already made', async () => {
    const countsTable = await newCountsTable();
    // Half counted already, as by a live projection: the rest must be added, nothing twice.
    const partly = new CounterProjection({
      dynamoDBClient: client,
      countsTableName: countsTable,
      sourceEventStores: [makeOrdersStore(), makeUsersStore()],
      counters,
    });
    for (const message of pushed.slice(0, 1_500)) {
      for (const c of counters.filter((candidate) => candidate.listensTo(message))) {
        const [key, by, targetRef] = (['key', 'by', 'targetRef'] as const).map((field) =>
          c.read(field, message),
        );
        await partly.increment({
          counterName: c.name,
          key: key as string,
          by: by as number,
          targetRef: targetRef as string,
          timestamp: message.event.timestamp,
        });
      }
    }
    expect((await mismatches(countsTable)).length).toBeGreaterThan(0);

    const { code, stdout, stderr } = await runCli([
      'rebuild',
      '--counters',
      countersModule,
      '--event-table',
      eventTable,
      '--counts-table',
      countsTable,
      '--endpoint',
      endpoint(),
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /Rebuilt from 3000 events: \d+ counter increments applied \(one per counter that counts an event\), \d+ increments already counted/,
    );
    expect(await mismatches(countsTable)).toEqual([]);
  });
});

describe('rebuild --counter', () => {
  it('rebuilds the counters named and no other; an unknown name is refused in one line naming the known ones', async () => {
    const countsTable = await newCountsTable();
    const rebuild = (...names: string[]) =>
      runCli([
        'rebuild',
        '--counters',
        countersModule,
        '--event-table',
        eventTable,
        '--counts-table',
        countsTable,
        ...names.flatMap((name) => ['--counter', name]),
        '--endpoint',
        endpoint(),
      ]);
    const { code, stderr } = await rebuild('ordersByCountry', 'upgrades');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const wrong = await mismatches(countsTable);
    expect(wrong.length).toBeGreaterThan(0);
    // Only the counters not named are left uncounted.
    expect(new Set(wrong.map(({ counterName }) => counterName))).toEqual(
      new Set(['itemsByCountry', 'openOrders', 'signupsByPlan']),
    );
    expect(wrong.every(({ actual }) => actual === 0)).toBe(true);

    const refused = await rebuild('ordersByCountry', 'ordersByCounty');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/ordersByCounty.*ordersByCountry/);
  });
});

describe('run', () => {
  it('killed with SIGKILL mid-run and restarted, loses nothing and counts nothing twice', async () => {
    const countsTable = await newCountsTable();
    const checkpointTable = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient: client, tableName: checkpointTable });
    const args = [
      'run',
      '--counters',
      countersModule,
      '--event-table',
      eventTable,
      '--counts-table',
      countsTable,
      '--checkpoint-table',
      checkpointTable,
      '--batch-size',
      '50',
      '--endpoint',
      endpoint(),
    ];

    const first = startCli(args);
    let firstOutput = '';
    first.stdout?.on('data', (chunk: Buffer) => (firstOutput += chunk.toString()));
    // Kill it as soon as it has checkpointed its first batch: mid-run, whatever the machine's speed.
    await waitUntil(
      async () => {
        const { Count = 0 } = await client.send(
          new ScanCommand({ TableName: checkpointTable, Select: 'COUNT' }),
        );
        return Count > 0;
      },
      { what: 'the first checkpoint', intervalMs: 10 },
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('close', resolve));
    expect(firstOutput).toContain('Projecting the stream');
    expect((await mismatches(countsTable)).length).toBeGreaterThan(0);

    const second = startCli(args);
    let secondOutput = '';
    second.stdout?.on('data', (chunk: Buffer) => (secondOutput += chunk.toString()));
    await waitUntil(async () => (await mismatches(countsTable)).length === 0, {
      what: 'the second run to count every event',
      intervalMs: 100,
    });
    expect(await mismatches(countsTable)).toEqual([]);
    // SIGTERM: stops after the batch in flight, and exits 0.
    second.kill('SIGTERM');
    const code = await new Promise((resolve) => second.once('close', resolve));
    expect(code).toBe(0);
    expect(secondOutput).toMatch(/Stopped after committing \d+ records\./);
    // The live line: the transactions the projection sent, from processRecords' results.
    expect(secondOutput).toMatch(/, transactions [1-9]\d* \(retried \d+\), lag /);
  });
});

describe('run --until-caught-up', () => {
  it('counts every event written so far, then exits 0 on its own', async () => {
    const countsTable = await newCountsTable();
    const checkpointTable = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient: client, tableName: checkpointTable });
    const { code, stdout, stderr } = await runCli([
      'run',
      '--until-caught-up',
      '--counters',
      countersModule,
      '--event-table',
      eventTable,
      '--counts-table',
      countsTable,
      '--checkpoint-table',
      checkpointTable,
      '--endpoint',
      endpoint(),
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/until caught up; Ctrl-C stops/);
    expect(stdout).toMatch(/\nCaught up after committing \d+ records\.\n$/);
    expect(await mismatches(countsTable)).toEqual([]);
  });
});

describe('mistakes a user can make end with one clear line and a non-zero exit', () => {
  it('an unknown table', () =>
    expectOneLine(
      [
        'counts',
        'get',
        '--counters',
        countersModule,
        '--counts-table',
        'no-such-table',
        '--counter',
        'upgrades',
        '--key',
        'all',
        '--endpoint',
        endpoint(),
      ],
      /no-such-table|non-existent table.*tables create/i,
    ));

  it('an endpoint nothing listens on', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    await expectOneLine(
      [
        'tables',
        'create',
        '--event-table',
        'events',
        '--counts-table',
        'counts',
        '--checkpoint-table',
        'checkpoints',
        '--endpoint',
        `http://127.0.0.1:${port}`,
      ],
      /Cannot reach DynamoDB at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
  });

  it('an endpoint that is not a URL', () =>
    expectOneLine(
      [
        'tables',
        'create',
        '--event-table',
        'events',
        '--counts-table',
        'counts',
        '--checkpoint-table',
        'checkpoints',
        '--endpoint',
        'localhost:8000',
      ],
      /Invalid --endpoint "localhost:8000"/,
    ));

  it('a counters module that does not export counters', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'counters-'));
    writeFileSync(join(folder, 'bad.mjs'), 'export const nothing = 1;\n');
    await expectOneLine(
      [
        'counts',
        'get',
        '--counters',
        join(folder, 'bad.mjs'),
        '--counts-table',
        'x',
        '--counter',
        'c',
        '--key',
        'k',
        '--endpoint',
        endpoint(),
      ],
      /does not export `counters`/,
    );
    rmSync(folder, { recursive: true, force: true });
  });

  it('a port already taken by another server', async () => {
    const taken = createServer().listen(0, '0.0.0.0');
    await new Promise((resolve) => taken.once('listening', resolve));
    const { port } = taken.address() as { port: number };
    try {
      await expectOneLine(
        ['demo', '--events', '10', '--port', String(port)],
        /Port \d+ is already in use by another server: choose another --port/,
      );
    } finally {
      taken.close();
    }
  });

  it('no Java on the machine', async () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'empty-path-'));
    try {
      await expectOneLine(
        ['demo', '--events', '10'],
        /Java was not found.*apt-get install openjdk-17-jre-headless/,
        { ...process.env, PATH: emptyPath },
      );
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
    }
  });
});
