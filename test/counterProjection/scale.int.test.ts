import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { EventDetail } from '@castore/core';
import { describe, expect, it } from 'vitest';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { itemSize } from '../../src/shared/itemSize.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { insertRecord, sequenceNumberOf } from '../support/records.js';

const { client, createTestCountsTable } = useDynamoDB();

const ordersStore = makeOrdersStore();
const hotCounter = counter({
  name: 'placed',
  eventStore: ordersStore,
  eventTypes: ['ORDER_PLACED'],
  key: (e) => e.payload.country,
});

const placedRecords = (from: number, count: number, country = 'FR') =>
  Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    const event = {
      aggregateId: `o${index}`,
      version: 1,
      type: 'ORDER_PLACED',
      timestamp: '2024-01-01T00:00:00.000Z',
      payload: { customerId: 'c', country, quantity: 1 },
    } as EventDetail;
    return insertRecord('orders', event, sequenceNumberOf(index));
  });

const makeProjection = async () => {
  const countsTableName = await createTestCountsTable();
  return {
    countsTableName,
    projection: new CounterProjection({
      dynamoDBClient: client,
      countsTableName,
      sourceEventStores: [ordersStore],
      counters: [hotCounter],
    }),
  };
};

describe('a hot counter', () => {
  it('keeps its item the same size after 20,000 increments: refs live in their own items', async () => {
    const { projection, countsTableName } = await makeProjection();
    const readTotal = async () =>
      (
        await client.send(
          new GetItemCommand({
            TableName: countsTableName,
            Key: { pk: { S: 'T#placed#FR' }, sk: { S: 'total' } },
            ConsistentRead: true,
          }),
        )
      ).Item ?? {};

    expect((await projection.processRecords(placedRecords(0, 100))).batchItemFailures).toEqual([]);
    const after100 = await readTotal();
    for (let from = 100; from < 20_000; from += 1_000) {
      const { batchItemFailures } = await projection.processRecords(
        placedRecords(from, Math.min(1_000, 20_000 - from)),
      );
      expect(batchItemFailures).toEqual([]);
    }
    const after20000 = await readTotal();

    expect(await projection.getCount('placed', 'FR')).toBe(20_000);
    expect(Object.keys(after20000).sort()).toEqual(Object.keys(after100).sort());
    // Only the count's digits may differ: "100" and "20000" take 2 and 3 bytes.
    expect(itemSize(after20000) - itemSize(after100)).toBeLessThanOrEqual(1);
    expect(itemSize(after20000)).toBeLessThan(100);
    // The counter's partition holds the counter alone.
    const partition = await client.send(
      new QueryCommand({
        TableName: countsTableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'T#placed#FR' } },
      }),
    );
    expect(partition.Count).toBe(1);
  });

  it('spreads its refs over refShards partitions and lists each exactly once', async () => {
    const { projection } = await makeProjection();
    await projection.processRecords(placedRecords(0, 500, 'DE'));
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await projection.listCountedRefs('placed', 'DE', {
        limit: 45,
        ...(pageToken !== undefined ? { pageToken } : {}),
      });
      expect(page.refs.length).toBeLessThanOrEqual(45);
      seen.push(...page.refs.map((ref) => ref.targetRef));
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    expect(seen.sort()).toEqual(Array.from({ length: 500 }, (_, i) => `orders#o${i}#1`).sort());
  });

  it('counts each event once when 8 invocations process the same batch at once', async () => {
    const { projection } = await makeProjection();
    const batch = [...placedRecords(0, 300, 'FR'), ...placedRecords(300, 200, 'DE')];
    const results = await Promise.all(
      Array.from({ length: 8 }, () => projection.processRecords(batch)),
    );
    expect(results.map((r) => r.batchItemFailures)).toEqual(Array.from({ length: 8 }, () => []));
    expect(
      await projection.getCounts([
        { counterName: 'placed', key: 'FR' },
        { counterName: 'placed', key: 'DE' },
      ]),
    ).toEqual([300, 200]);
    const counted = results.reduce((sum, r) => sum + r.stats.counted, 0);
    const duplicates = results.reduce((sum, r) => sum + r.stats.duplicates, 0);
    expect(counted).toBe(500);
    expect(duplicates).toBe(7 * 500);
  });
});
