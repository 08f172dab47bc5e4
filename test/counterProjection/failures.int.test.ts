import {
  type DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';

import {
  counter,
  CounterProjection,
  createCountsTable,
} from '../../src/counterProjection/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { orderPlacedRecord, sequenceNumberOf } from '../support/records.js';

const { client, uniqueTableName, createTestCountsTable } = useDynamoDB();

const ordersStore = makeOrdersStore();
const placed = orderPlacedRecord;

const setUp = async (
  options: { dynamoDBClient?: DynamoDBClient; refShards?: number; countsTableName?: string } = {},
) => {
  const countsTableName = options.countsTableName ?? uniqueTableName('counts');
  if (options.countsTableName === undefined)
    await createCountsTable({ dynamoDBClient: client, tableName: countsTableName });
  const logged: unknown[][] = [];
  const projection = new CounterProjection({
    dynamoDBClient: options.dynamoDBClient ?? client,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters: [
      counter({
        name: 'orders',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: (e) => e.payload.country,
        ...(options.refShards !== undefined ? { refShards: options.refShards } : {}),
      }),
      counter({
        name: 'items',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: () => 'all',
        by: (e) => e.payload.quantity,
      }),
    ],
    retry: { maxAttempts: 3, baseDelayMs: 1 },
    logger: { error: (...args: unknown[]) => logged.push(args) },
  });
  return { projection, logged, countsTableName };
};

const withImage = (record: StreamsApiRecord, change: Record<string, unknown>): StreamsApiRecord => {
  const image = Object.fromEntries(
    Object.entries({ ...record.dynamodb?.NewImage, ...change }).filter(
      ([, value]) => value !== undefined,
    ),
  );
  return { ...record, dynamodb: { ...record.dynamodb, NewImage: image as never } };
};

describe('a malformed record in a batch', () => {
  it.each([
    ['an unknown event store', { aggregateId: { S: 'invoices#o2' } }, 'InvalidStreamRecord'],
    ['an unknown event type', { type: { S: 'ORDER_LOST' } }, 'InvalidStreamRecord'],
    ['version 0', { version: { N: '0' } }, 'InvalidStreamRecord'],
    ['a fractional version', { version: { N: '2.5' } }, 'InvalidStreamRecord'],
    ['no aggregate id', { aggregateId: undefined }, 'InvalidStreamRecord'],
    ['no timestamp', { timestamp: undefined }, 'InvalidStreamRecord'],
    [
      'a payload the counter cannot key (country missing)',
      { payload: { M: { customerId: { S: 'c' }, quantity: { N: '1' } } } },
      'InvalidIncrement',
    ],
    [
      'a payload whose increment is not an integer',
      { payload: { M: { customerId: { S: 'c' }, country: { S: 'FR' }, quantity: { N: '1.5' } } } },
      'InvalidIncrement',
    ],
  ])('with %s is reported, logged with its reason, and never counted', async (_, change, code) => {
    const { projection, logged } = await setUp();
    const records = [placed(0), placed(1), withImage(placed(2), change), placed(3)];
    const result = await projection.processRecords(records);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberOf(2) }]);
    expect(result.error).toMatchObject({ code });
    expect(result.stats).toMatchObject({ failed: 2, counted: 4 });
    expect(logged).toHaveLength(1);
    expect(String(logged[0]?.[0])).toContain(sequenceNumberOf(2));
    // Everything before it is committed; it and what follows are not.
    expect(
      await projection.getCounts([
        { counterName: 'orders', key: 'FR' },
        { counterName: 'items', key: 'all' },
      ]),
    ).toEqual([2, 4]);
  });
});

describe('DynamoDB refusing transactions (injected: DynamoDB Local cannot produce TransactionConflict or throttling)', () => {
  const refusing = (codes: string[], refusals: number) => {
    let calls = 0;
    return new Proxy(client, {
      get: (target, property, receiver) =>
        property !== 'send'
          ? Reflect.get(target, property, receiver)
          : async (command: unknown) => {
              if (command instanceof TransactWriteItemsCommand && calls++ < refusals) {
                const reasons = (command.input.TransactItems ?? []).map((_, index) => ({
                  Code: codes[index % codes.length],
                }));
                throw new TransactionCanceledException({
                  message: 'cancelled',
                  $metadata: {},
                  CancellationReasons: reasons,
                });
              }
              return target.send(command as never);
            },
    });
  };

  it('retries conflicts and throttling with backoff, then counts once', async () => {
    const { projection } = await setUp({
      dynamoDBClient: refusing(['None', 'TransactionConflict', 'ThrottlingError'], 2),
    });
    const result = await projection.processRecords([placed(0), placed(1)]);
    expect(result.batchItemFailures).toEqual([]);
    expect(await projection.getCount('orders', 'FR')).toBe(2);
  });

  it('reports the batch past the retry budget, writes nothing, and counts it all on redelivery', async () => {
    const countsTableName = await createTestCountsTable();
    const failing = await setUp({
      dynamoDBClient: refusing(['TransactionConflict'], 3),
      countsTableName,
    });
    const records = [placed(0), placed(1), placed(2)];
    const result = await failing.projection.processRecords(records);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberOf(0) }]);
    expect(result.error).toMatchObject({ code: 'CountWriteFailed', attempts: 3 });
    expect(await failing.projection.getCount('orders', 'FR')).toBe(0);

    const healthy = await setUp({ countsTableName });
    expect((await healthy.projection.processRecords(records)).batchItemFailures).toEqual([]);
    expect(await healthy.projection.getCount('orders', 'FR')).toBe(3);
  });
});

describe('refShards', () => {
  it('cannot change once a counter has counted: replays would land in other partitions', async () => {
    const countsTableName = await createTestCountsTable();
    const before = await setUp({ countsTableName, refShards: 8 });
    await before.projection.processRecords([placed(0)]);

    const after = await setUp({ countsTableName, refShards: 16 });
    const result = await after.projection.processRecords([placed(0), placed(1)]);
    expect(result.error).toMatchObject({
      code: 'CounterShardsChanged',
      counterName: 'orders',
      refShards: 16,
    });
    expect(await after.projection.getCount('orders', 'FR')).toBe(1);
  });
});
