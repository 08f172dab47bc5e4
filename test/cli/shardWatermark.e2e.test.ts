import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { createCheckpointTable } from '../../src/streamRunner/index.js';
import { runCli, startCli } from '../support/cli.js';
import { asLambdaWritesItToS3 } from '../support/deadLetters.js';
import { dynamoDBEndpoint, useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { orderPlacedRecord } from '../support/records.js';
import { waitUntil } from '../support/waitFor.js';

const src = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

/** A shardWatermark counter; `fallback` is what an order without a country counts as (none: it fails). */
const countersModule = (fallback: string | undefined) => `
import { counter } from '${src('counterProjection/index.ts')}';
import { makeOrdersStore } from '${src('example/eventStores.ts')}';
const store = makeOrdersStore();
export const sourceEventStores = [store];
export const counters = [
  counter({
    name: 'byCountry',
    eventStore: store,
    eventTypes: ['ORDER_PLACED'],
    key: (event) => event.payload.country ${fallback === undefined ? '' : `?? '${fallback}'`},
    idempotency: 'shardWatermark',
  }),
];
`;

const { client, uniqueTableName, createTestEventTable, createTestCountsTable } = useDynamoDB();
let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'counters-'));
  writeFileSync(join(folder, 'strict.mjs'), countersModule(undefined));
  writeFileSync(join(folder, 'fixed.mjs'), countersModule('unknown'));
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('the CLI with a shardWatermark counter', () => {
  it('runs past a record that fails (set aside), shows it in status, and counts it with count-set-aside once the module is fixed', async () => {
    const eventTable = await createTestEventTable();
    const countsTable = await createTestCountsTable();
    const checkpointTable = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient: client, tableName: checkpointTable });
    const store = makeOrdersStore(
      new DynamoDBSingleTableEventStorageAdapter({ tableName: eventTable, dynamoDBClient: client }),
    );
    const order = (index: number, payload: Record<string, unknown>) =>
      store.pushEvent({
        aggregateId: `o${index}`,
        version: 1,
        type: 'ORDER_PLACED',
        payload: { customerId: 'c', quantity: 1, ...payload } as never,
      });
    await order(1, { country: 'FR' });
    await order(2, {}); // no country: the strict module's key is undefined
    await order(3, { country: 'FR' });
    const endpoint = ['--endpoint', dynamoDBEndpoint()];
    const tables = ['--event-table', eventTable, '--checkpoint-table', checkpointTable];
    const projection = new CounterProjection({
      dynamoDBClient: client,
      countsTableName: countsTable,
      sourceEventStores: [store],
      counters: [
        counter({
          name: 'byCountry',
          eventStore: store,
          eventTypes: ['ORDER_PLACED'],
          key: (e) => e.payload.country,
          idempotency: 'shardWatermark',
        }),
      ],
    });

    const child = startCli([
      'run',
      '--counters',
      join(folder, 'strict.mjs'),
      '--counts-table',
      countsTable,
      ...tables,
      ...endpoint,
    ]);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitUntil(async () => (await projection.getCount('byCountry', 'FR')) === 2, {
      what: 'the two FR orders counted past the one set aside',
    });
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.once('close', resolve))).toBe(0);
    expect(stderr).toMatch(
      /record \d+ set aside, its shard going on; once its cause is fixed, count it with count-set-aside .*: InvalidIncrement/,
    );

    const waiting = await runCli(['status', ...tables, '--counts-table', countsTable, ...endpoint]);
    expect(waiting.code).toBe(2);
    expect(waiting.stdout).toContain('records set aside: 1 WAITING');

    const still = await runCli([
      'count-set-aside',
      '--counters',
      join(folder, 'strict.mjs'),
      '--counts-table',
      countsTable,
      ...endpoint,
    ]);
    expect(still.code).toBe(1);
    expect(still.stdout).toMatch(/Record \d+ of shard .+ still fails: Counter byCountry/);
    expect(still.stdout).toContain('\n1 record still failing: fix the counters module');

    const counted = await runCli([
      'count-set-aside',
      '--counters',
      join(folder, 'fixed.mjs'),
      '--counts-table',
      countsTable,
      ...endpoint,
    ]);
    expect(counted.stdout).toContain('Counted 1 record set aside.');
    expect(counted.code).toBe(0);
    expect(await projection.getCount('byCountry', 'unknown')).toBe(1);
    const healthy = await runCli(['status', ...tables, '--counts-table', countsTable, ...endpoint]);
    expect(healthy.stdout).toContain('records set aside: none waiting, 1 counted');
    expect(healthy.code).toBe(0);
  }, 120_000);

  it('says a replayed dead letter left the counter not exact, and exits 2 (a replay cannot count into its marks: rebuild it)', async () => {
    const countsTable = await createTestCountsTable();
    const records = ['FR', 'DE'].map((country, index) =>
      orderPlacedRecord(index, { customerId: 'c', country, quantity: 1 }),
    );
    // An object of the mapping's S3 on-failure destination, saved to a file: its records are in it.
    const message = join(folder, 'deadLetter.json');
    writeFileSync(
      message,
      asLambdaWritesItToS3(records, {
        shardId: 'shardId-00000001767225600000-8a1b2c3d',
        streamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/events/stream/x',
      }).body,
    );
    const replayed = await runCli([
      'replay',
      '--counters',
      join(folder, 'strict.mjs'),
      '--counts-table',
      countsTable,
      '--message',
      message,
      '--endpoint',
      dynamoDBEndpoint(),
    ]);
    expect(replayed.stdout).toContain('Replayed 2 of the 2 records of shard');
    expect(replayed.stdout).toMatch(
      /^counter byCountry: NOT EXACT since \S+ \(.+\); its reads refuse: rebuild it into a fresh counts table and switch to it$/m,
    );
    expect(replayed.code).toBe(2);
  }, 60_000);
});
