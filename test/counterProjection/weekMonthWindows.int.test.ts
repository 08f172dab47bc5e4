import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { EventDetail } from '@castore/core';
import { beforeAll, describe, expect, it } from 'vitest';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { isCounterError } from '../../src/shared/index.js';
import { eventRecords } from '../../src/testing/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';

const { client, createTestCountsTable } = useDynamoDB();
const ordersStore = makeOrdersStore();

const makeCounters = () => [
  counter({
    name: 'placed',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: (event) => event.payload.country,
    windows: ['week', 'month'],
  }),
  counter({
    name: 'placedKept',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: (event) => event.payload.country,
    windows: ['week', 'month'],
    windowRetention: { week: 7, month: 36_500 },
  }),
];
let projection: CounterProjection<typeof ordersStore, ReturnType<typeof makeCounters>[number]>;
let countsTableName: string;

const placed = (aggregateId: string, timestamp: string) => ({
  eventStoreId: ordersStore.eventStoreId,
  event: {
    aggregateId,
    version: 1,
    type: 'ORDER_PLACED',
    timestamp,
    payload: { customerId: 'c', country: 'FR', quantity: 1 },
  } as EventDetail,
});

// Across the end of 2020, whose ISO week 53 runs to Sunday 2021-01-03.
const TIMESTAMPS = [
  '2020-12-28T10:00:00.000Z', // Monday: 2020-W53, 2020-12
  '2020-12-31T23:59:59.999Z', // 2020-W53, 2020-12
  '2021-01-03T12:00:00.000Z', // Sunday: 2020-W53, 2021-01
  '2021-01-04T00:00:00.000Z', // Monday: 2021-W01, 2021-01
  '2021-02-01T00:00:00.000Z', // 2021-W05, 2021-02
];

beforeAll(async () => {
  countsTableName = await createTestCountsTable();
  projection = new CounterProjection({
    dynamoDBClient: client,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters: makeCounters(),
  });
  const result = await projection.processRecords(
    eventRecords(TIMESTAMPS.map((timestamp, index) => placed(`o${index}`, timestamp))),
  );
  expect(result.batchItemFailures).toEqual([]);
  expect(result.stats.counted).toBe(2 * TIMESTAMPS.length);
});

describe('week and month windows (ISO weeks, calendar months, UTC)', () => {
  it('counts events into their ISO week and month, read by the bucket or any time inside it', async () => {
    const read = (window: 'week' | 'month', bucket: string | Date) =>
      projection.getCount('placed', 'FR', { window, bucket });
    expect(await read('week', '2020-W53')).toBe(3);
    expect(await read('week', new Date('2021-01-01T00:00:00Z'))).toBe(3);
    expect(await read('week', '2021-01-04T23:00:00Z')).toBe(1);
    expect(await read('month', '2020-12')).toBe(2);
    expect(await read('month', '2021-01-31')).toBe(2);
    expect(await read('week', '2021-W02')).toBe(0);
    expect(
      await projection.getCounts([
        { counterName: 'placed', key: 'FR', window: 'week', bucket: '2020-W53' },
        { counterName: 'placed', key: 'FR', window: 'week', bucket: '2021-W01' },
        { counterName: 'placed', key: 'FR', window: 'month', bucket: '2020-12' },
        { counterName: 'placed', key: 'FR', window: 'month', bucket: '2021-02' },
        { counterName: 'placed', key: 'FR' },
      ]),
    ).toEqual([3, 1, 2, 1, 5]);
  });

  it('reads a range of weeks or months across the year boundary, in order, the non-empty ones', async () => {
    expect(
      await projection.getWindowedCounts('placed', 'FR', {
        window: 'week',
        from: '2020-12-01',
        to: '2021-W05',
      }),
    ).toEqual([
      { bucket: '2020-W53', count: 3 },
      { bucket: '2021-W01', count: 1 },
      { bucket: '2021-W05', count: 1 },
    ]);
    expect(
      await projection.getWindowedCounts('placed', 'FR', {
        window: 'month',
        from: '2020-11',
        to: new Date('2021-01-15T00:00:00Z'),
      }),
    ).toEqual([
      { bucket: '2020-12', count: 2 },
      { bucket: '2021-01', count: 2 },
    ]);
  });

  it('keeps a bucket its retention after the bucket ends: a long-past week reads 0, the month is kept', async () => {
    expect(
      await projection.getCount('placedKept', 'FR', { window: 'week', bucket: '2020-W53' }),
    ).toBe(0);
    expect(
      await projection.getCount('placedKept', 'FR', { window: 'month', bucket: '2020-12' }),
    ).toBe(2);
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: countsTableName,
        Key: { pk: { S: 'W#placedKept#month#FR' }, sk: { S: '2021-01' } },
      }),
    );
    expect(Item?.expiresAt?.N).toBe(
      String(Date.parse('2021-02-01T00:00:00Z') / 1000 + 36_500 * 86_400),
    );
  });

  it('refuses a bucket that does not exist with InvalidCountQuery naming it', async () => {
    const refused = await projection
      .getCount('placed', 'FR', { window: 'week', bucket: '2021-W53' })
      .catch((error: unknown) => error);
    expect(isCounterError(refused, 'InvalidCountQuery')).toBe(true);
    expect((refused as Error).message).toMatch(
      /2021-W53.*a week bucket that exists, such as 1970-W01/,
    );
  });
});
