import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import { EventStore } from '@castore/core';
import { describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import {
  CounterReactions,
  countReachedEventType,
  type Crossing,
  pushEventReaction,
} from '../../src/entries/reactions.js';
import { counter, CounterProjection } from '../../src/index.js';
import { shardDeliveries } from '../../src/testing/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { readStream, toLambdaRecord } from '../support/streams.js';

const {
  client: dynamoDBClient,
  streamsClient,
  createTestEventTable,
  createTestCountsTable,
  createTestCheckpointTable,
} = useDynamoDB();

/**
 * The whole chain on DynamoDB Local: orders pushed to an event table, counted from its
 * stream into a counts table whose stream the reactions read, pushing COUNT_REACHED into
 * a store of their own.
 */
const setUp = async ({
  idempotency = 'refs',
}: { idempotency?: 'refs' | 'shardWatermark' } = {}) => {
  const eventTable = await createTestEventTable();
  const ordersStore = makeOrdersStore(
    new DynamoDBSingleTableEventStorageAdapter({ tableName: eventTable, dynamoDBClient }),
  );
  // The store a user writes: the published COUNT_REACHED event type, nothing copied.
  const countReachedStore = new EventStore({
    eventStoreId: 'counterEvents',
    eventTypes: [countReachedEventType()],
    reducer: (_, event) => ({ aggregateId: event.aggregateId, version: event.version }),
    eventStorageAdapter: new DynamoDBSingleTableEventStorageAdapter({
      tableName: await createTestEventTable(),
      dynamoDBClient,
    }),
  });
  const countsTableName = await createTestCountsTable({ stream: true });
  const checkpointTableName = await createTestCheckpointTable();
  const counters = [
    counter({
      name: 'ordersByCountry',
      eventStore: ordersStore,
      eventTypes: ['ORDER_PLACED'],
      key: (event) => event.payload.country,
      thresholds: [3, 5],
      idempotency,
    }),
    counter({
      name: 'stock',
      eventStore: ordersStore,
      eventTypes: ['ORDER_PLACED'],
      key: () => 'widget',
      by: (event) => -event.payload.quantity, // negative quantities restock
      floors: [0],
      idempotency,
    }),
  ];
  const projection = new CounterProjection({
    dynamoDBClient,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters,
  });
  const fired: Crossing[] = [];
  const react = pushEventReaction({ eventStore: countReachedStore, eventType: 'COUNT_REACHED' });
  const reactions = new CounterReactions({
    counters,
    react: async (crossing) => {
      const outcome = await react(crossing);
      if (outcome === 'fired') fired.push(crossing);
      return outcome;
    },
  });
  let orders = 0;
  const place = (country: string, quantity = 1) =>
    ordersStore.pushEvent({
      aggregateId: `order-${(orders += 1)}`,
      version: 1,
      type: 'ORDER_PLACED',
      payload: { customerId: 'c', country, quantity },
    });
  const read = (tableName: string) => readStream({ dynamoDBClient, streamsClient, tableName });
  /** Counts the event table's stream (all of it: a redelivery for what was counted), then reacts to the counts table's. */
  const count = async ({ batchSize = 100 } = {}) => {
    const events = await read(eventTable);
    // DynamoDB Local's stream of a table has one shard; each count is a runner from its start.
    const shard = shardDeliveries({
      dynamoDBClient,
      checkpointTableName,
      shardId: 'shardId-local',
    });
    for (let start = 0; start < events.length; start += batchSize)
      await shard.deliver(projection, events.slice(start, start + batchSize));
  };
  const deliver = async (options: { batchSize?: number } = {}) => {
    await count(options);
    return reactions.processRecords(await read(countsTableName));
  };
  const reachedEvents = async () => {
    const { aggregateIds } = await countReachedStore.listAggregateIds();
    const events = await Promise.all(
      aggregateIds.map(async ({ aggregateId }) => ({
        aggregateId,
        events: (await countReachedStore.getEvents(aggregateId)).events,
      })),
    );
    return events;
  };
  return {
    place,
    count,
    deliver,
    projection,
    reactions,
    fired,
    reachedEvents,
    countsRecords: () => read(countsTableName),
  };
};

const idsOf = (crossings: Crossing[]) => crossings.map(({ idempotencyKey }) => idempotencyKey);

describe('reactions on DynamoDB Local’s streams', () => {
  it('fires each threshold once, even crossed inside one coalesced transaction, however often both streams are delivered', async () => {
    const chain = await setUp();
    await chain.place('FR');
    await chain.place('FR');
    await chain.deliver();
    expect(chain.fired).toEqual([]);
    // Four more FR orders counted in one batch: one transaction takes FR from 2 to 6.
    for (let index = 0; index < 4; index++) await chain.place('FR');
    const result = await chain.deliver();
    expect(idsOf(chain.fired)).toEqual([
      'ordersByCountry#FR#threshold#3',
      'ordersByCountry#FR#threshold#5',
    ]);
    expect(chain.fired[0]).toMatchObject({ count: 6, value: 3, kind: 'threshold', key: 'FR' });
    // Both streams again, and the counts stream once more in Lambda's shape: nothing new.
    await chain.deliver({ batchSize: 1 });
    await chain.reactions.handler({
      Records: (await chain.countsRecords()).map(toLambdaRecord),
    });
    expect(chain.fired).toHaveLength(2);
    const events = await chain.reachedEvents();
    expect(events.map(({ aggregateId }) => aggregateId).sort()).toEqual([
      'ordersByCountry#FR#threshold#3',
      'ordersByCountry#FR#threshold#5',
    ]);
    for (const { events: reached } of events)
      expect(reached).toMatchObject([{ version: 1, type: 'COUNT_REACHED' }]);
    expect(result.stats).toMatchObject({ crossings: 2, fired: 2, failed: 0 });
  });

  it('fires the crossings of shardWatermark counters alike: their totals are written as refs counters write them', async () => {
    const chain = await setUp({ idempotency: 'shardWatermark' });
    await chain.place('FR', -10); // restocked: stock 10
    await chain.deliver();
    for (let index = 0; index < 5; index++) await chain.place('FR');
    await chain.place('FR', 7); // stock -2: the floor 0 is reached
    await chain.deliver();
    await chain.deliver({ batchSize: 2 }); // the event stream again, in other batches
    expect(idsOf(chain.fired).sort()).toEqual([
      'ordersByCountry#FR#threshold#3',
      'ordersByCountry#FR#threshold#5',
      'stock#widget#floor#0',
    ]);
    expect(await chain.projection.getCount('ordersByCountry', 'FR')).toBe(7);
  });

  it('fires a floor reached by negative increments once, not again when the count goes down and up across it', async () => {
    const chain = await setUp();
    await chain.place('DE', -5); // restocked: stock 5
    await chain.deliver();
    await chain.place('DE', 7); // stock -2: the floor 0 is reached
    await chain.deliver();
    await chain.place('DE', -10); // back to 8
    await chain.place('DE', 9); // and down to -1 again
    await chain.deliver();
    expect(idsOf(chain.fired).filter((id) => id.startsWith('stock'))).toEqual([
      'stock#widget#floor#0',
    ]);
    expect(chain.fired.find(({ kind }) => kind === 'floor')).toMatchObject({ count: -2 });
  });

  it('fires a target set before, after or beyond the count once, when the count is at or above it', async () => {
    const chain = await setUp();
    await chain.projection.setTarget({ counterName: 'ordersByCountry', key: 'IT', target: 2 });
    await chain.place('IT');
    await chain.deliver();
    expect(chain.fired).toEqual([]);
    await chain.place('IT');
    await chain.deliver(); // set before: fires when the count gets there
    expect(idsOf(chain.fired)).toEqual(['ordersByCountry#IT#target#2']);

    await chain.place('ES');
    await chain.place('ES');
    await chain.deliver();
    await chain.projection.setTarget({ counterName: 'ordersByCountry', key: 'ES', target: 1 });
    await chain.projection.setTarget({ counterName: 'ordersByCountry', key: 'ES', target: 1 });
    await chain.projection.setTarget({ counterName: 'ordersByCountry', key: 'PT', target: 4 });
    await chain.deliver(); // set below the count: fires at once; beyond it: waits
    expect(idsOf(chain.fired)).toEqual([
      'ordersByCountry#IT#target#2',
      'ordersByCountry#ES#target#1',
    ]);
    for (let index = 0; index < 4; index++) await chain.place('PT');
    await chain.deliver();
    expect(idsOf(chain.fired)).toEqual([
      'ordersByCountry#IT#target#2',
      'ordersByCountry#ES#target#1',
      'ordersByCountry#PT#threshold#3',
      'ordersByCountry#PT#target#4',
    ]);
    expect(await chain.projection.getCount('ordersByCountry', 'PT')).toBe(4);
    expect((await chain.reachedEvents()).length).toBe(4);
  });

  it('refuses a target or key that is not one with InvalidIncrement, writing nothing', async () => {
    const chain = await setUp();
    await expect(
      chain.projection.setTarget({ counterName: 'ordersByCountry', key: 'FR', target: 2.5 }),
    ).rejects.toMatchObject({ code: 'InvalidIncrement', field: 'target', value: 2.5 });
    await expect(
      chain.projection.setTarget({ counterName: 'ordersByCountry', key: '', target: 2 }),
    ).rejects.toMatchObject({ code: 'InvalidIncrement', field: 'key' });
    await expect(
      chain.projection.setTarget({ counterName: 'nope' as 'stock', key: 'FR', target: 2 }),
    ).rejects.toMatchObject({ code: 'UnknownCounter' });
    expect(await chain.countsRecords()).toEqual([]);
  });

  it('fires once when two consumers react to the same records at the same time', async () => {
    const chain = await setUp();
    for (let index = 0; index < 5; index++) await chain.place('NL');
    await chain.count();
    const records: StreamsApiRecord[] = await chain.countsRecords();
    const results = await Promise.all([
      chain.reactions.processRecords(records),
      chain.reactions.processRecords(records),
      chain.reactions.processRecords(records),
    ]);
    expect(idsOf(chain.fired)).toEqual([
      'ordersByCountry#NL#threshold#3',
      'ordersByCountry#NL#threshold#5',
    ]);
    // Each crossing pushed by one of them; the others met EventAlreadyExists.
    expect(results.map(({ stats }) => stats.fired).reduce((a, b) => a + b)).toBe(2);
    expect(results.map(({ stats }) => stats.alreadyFired).reduce((a, b) => a + b)).toBe(4);
  });
});
