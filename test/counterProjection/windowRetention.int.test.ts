import { DescribeTimeToLiveCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { bucketExpiry } from '../../src/counterProjection/windows.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';

const { client, createTestCountsTable } = useDynamoDB();
const ordersStore = makeOrdersStore();
const DAY_MS = 86_400_000;

describe('window retention (DynamoDB TTL on buckets)', () => {
  it('gives each bucket its end plus the retention, in epoch seconds, the same for every write to it', () => {
    expect(bucketExpiry('hour', '2024-01-31T12', 2)).toBe(
      Date.parse('2024-02-02T13:00:00Z') / 1000,
    );
    expect(bucketExpiry('minute', '2024-01-31T23:59', 1)).toBe(
      Date.parse('2024-02-02T00:00:00Z') / 1000,
    );
    expect(bucketExpiry('day', '2024-02-29', 30)).toBe(Date.parse('2024-03-31T00:00:00Z') / 1000);
  });

  it('refuses a retention for a window the counter does not count, or one that is not whole days', () => {
    const define = (windowRetention: object) => () =>
      counter({
        name: 'c',
        eventStore: ordersStore,
        key: () => 'k',
        windows: ['minute'],
        windowRetention: windowRetention as { minute: number },
      });
    for (const retention of [{ hour: 2 }, { minute: 0 }, { minute: 1.5 }])
      expect(define(retention)).toThrow(
        expect.objectContaining({ code: 'InvalidCounterDefinition' }) as Error,
      );
  });

  it('stamps the TTL attribute on buckets with a retention, reads a bucket past it as absent, and keeps the others', async () => {
    const countsTableName = await createTestCountsTable();
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: countsTableName }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    const projection = new CounterProjection({
      dynamoDBClient: client,
      countsTableName,
      sourceEventStores: [ordersStore],
      counters: [
        counter({
          name: 'views',
          eventStore: ordersStore,
          key: () => 'k',
          windows: ['minute', 'day'],
          windowRetention: { minute: 1 },
        }),
      ],
    });
    const old = new Date(Date.now() - 3 * DAY_MS);
    const recent = new Date(Date.now() - 60_000);
    await projection.increment({
      counterName: 'views',
      key: 'k',
      targetRef: 'a',
      timestamp: old.toISOString(),
    });
    await projection.increment({
      counterName: 'views',
      key: 'k',
      targetRef: 'b',
      timestamp: recent.toISOString(),
    });

    expect(await projection.getCount('views', 'k', { window: 'minute', bucket: old })).toBe(0);
    expect(await projection.getCount('views', 'k', { window: 'minute', bucket: recent })).toBe(1);
    expect(await projection.getCount('views', 'k', { window: 'day', bucket: old })).toBe(1);
    expect(
      await projection.getCounts([
        { counterName: 'views', key: 'k', window: 'minute', bucket: old },
      ]),
    ).toEqual([0]);
    const listed = await projection.getWindowedCounts('views', 'k', {
      window: 'minute',
      from: old,
      to: new Date(),
    });
    expect(listed).toEqual([{ bucket: recent.toISOString().slice(0, 16), count: 1 }]);
    expect(await projection.getCount('views', 'k')).toBe(2); // the total keeps everything

    const bucket = recent.toISOString().slice(0, 16);
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: countsTableName,
        Key: { pk: { S: 'W#views#minute#k' }, sk: { S: bucket } },
      }),
    );
    expect(Item?.expiresAt?.N).toBe(String(bucketExpiry('minute', bucket, 1)));
    const day = await client.send(
      new GetItemCommand({
        TableName: countsTableName,
        Key: { pk: { S: 'W#views#day#k' }, sk: { S: old.toISOString().slice(0, 10) } },
      }),
    );
    expect(day.Item?.expiresAt).toBeUndefined();
  });

  it('refuses a windowRetention that is not an object', () => {
    expect(() =>
      counter({
        name: 'c',
        eventStore: ordersStore,
        key: () => 'k',
        windows: ['minute'],
        windowRetention: 3 as never,
      }),
    ).toThrow(expect.objectContaining({ code: 'InvalidCounterDefinition' }) as Error);
  });
});
