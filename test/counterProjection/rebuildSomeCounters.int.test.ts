import { describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { isCounterError } from '../../src/index.js';
import { shardDeliveries } from '../../src/testing/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { readStream } from '../support/streams.js';

const {
  client,
  streamsClient,
  createTestEventTable,
  createTestCountsTable,
  createTestCheckpointTable,
} = useDynamoDB();

/** An event table with `orders` orders placed in FR, and a projection of a refs and a shardWatermark counter. */
const setUp = async (orders: number) => {
  const eventTableName = await createTestEventTable();
  const store = makeOrdersStore(
    new DynamoDBSingleTableEventStorageAdapter({
      tableName: eventTableName,
      dynamoDBClient: client,
    }),
  );
  for (let index = 0; index < orders; index++)
    await store.pushEvent({
      aggregateId: `o${index}`,
      version: 1,
      type: 'ORDER_PLACED',
      payload: { customerId: 'c', country: 'FR', quantity: 1 },
    });
  const projectionOn = async (countsTableName: string) =>
    new CounterProjection({
      dynamoDBClient: client,
      countsTableName,
      sourceEventStores: [store],
      counters: [
        counter({
          name: 'byCountry',
          eventStore: store,
          eventTypes: ['ORDER_PLACED'],
          key: (e) => e.payload.country,
        }),
        counter({
          name: 'hot',
          eventStore: store,
          eventTypes: ['ORDER_PLACED'],
          key: (e) => e.payload.country,
          idempotency: 'shardWatermark',
        }),
      ],
    });
  return { eventTableName, projectionOn };
};

describe('rebuild({ counterNames }): rebuilding some counters of a projection (DynamoDB Local)', () => {
  it('rebuilds a refs counter in the live counts table that a shardWatermark counter counts too, leaving the watermark counter as it was', async () => {
    const { eventTableName, projectionOn } = await setUp(5);
    const projection = await projectionOn(await createTestCountsTable());
    const live = await readStream({
      dynamoDBClient: client,
      streamsClient,
      tableName: eventTableName,
    });
    // The live stream counted the first 3 records only (the rest, say, lost to a retention gap).
    const checkpointTableName = await createTestCheckpointTable();
    await shardDeliveries({ dynamoDBClient: client, checkpointTableName }).deliver(
      projection,
      live.slice(0, 3),
    );
    // All counters: refused, since the table holds the watermark counter's counts.
    await expect(projection.rebuild({ eventTableName })).rejects.toSatisfy(
      (error) => isCounterError(error, 'WatermarkRefused') && error.counterName === 'hot',
    );

    const stats = await projection.rebuild({ eventTableName, counterNames: ['byCountry'] });

    expect(stats).toMatchObject({ events: 5, counted: 2, duplicates: 3 });
    expect(await projection.getCount('byCountry', 'FR')).toBe(5);
    expect(await projection.getCount('hot', 'FR')).toBe(3);
  });

  it('rebuilds one shardWatermark counter into a fresh counts table, and no other counter', async () => {
    const { eventTableName, projectionOn } = await setUp(4);
    const fresh = await projectionOn(await createTestCountsTable());

    await fresh.rebuild({ eventTableName, counterNames: ['hot'] });

    expect(await fresh.getCount('hot', 'FR')).toBe(4);
    expect(await fresh.getCount('byCountry', 'FR')).toBe(0);
  });

  it('refuses a counter name it does not have, or none, before it counts anything', async () => {
    const { eventTableName, projectionOn } = await setUp(2);
    const projection = await projectionOn(await createTestCountsTable());

    await expect(
      projection.rebuild({ eventTableName, counterNames: ['byCountry', 'nope' as never] }),
    ).rejects.toSatisfy(
      (error) =>
        isCounterError(error, 'UnknownCounter') &&
        error.counterName === 'nope' &&
        error.knownCounters.join() === 'byCountry,hot',
    );
    await expect(projection.rebuild({ eventTableName, counterNames: [] })).rejects.toSatisfy(
      (error) => isCounterError(error, 'InvalidOption') && error.option === 'counterNames',
    );
    expect(await projection.getCount('byCountry', 'FR')).toBe(0);
    expect(await projection.getCount('hot', 'FR')).toBe(0);
  });
});
