import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventStore } from '@castore/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import {
  counter,
  CounterProjection,
  createCountsTable,
} from '../../src/counterProjection/index.js';
import {
  createTestEventTable,
  makeDynamoDBClient,
  makeStreamsClient,
  uniqueTableName,
} from '../support/dynamoDB.js';
import {
  makeOrdersStore,
  makeUsersStore,
  type OrdersStore,
  type UsersStore,
} from '../support/eventStores.js';
import { readStream, toLambdaRecord } from '../support/streams.js';

let dynamoDBClient: DynamoDBClient;
let streamsClient: DynamoDBStreamsClient;
let eventTableName: string;
let ordersStore: OrdersStore;
let usersStore: UsersStore;

const makeProjection = (countsTableName: string) =>
  new CounterProjection({
    dynamoDBClient,
    countsTableName,
    sourceEventStores: [ordersStore, usersStore],
    counters: [
      counter({
        name: 'ordersByCountry',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: (event) => event.payload.country,
        windows: ['hour', 'day'],
      }),
      counter({
        name: 'itemsByCountry',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: (event) => event.payload.country,
        by: (event) => event.payload.quantity,
      }),
      counter({
        name: 'openOrders',
        eventStore: ordersStore,
        key: () => 'all',
        by: (event) =>
          event.type === 'ORDER_PLACED' ? 1 : event.type === 'ORDER_CANCELLED' ? -1 : 0,
      }),
      counter({
        name: 'signupsByPlan',
        eventStore: usersStore,
        eventTypes: ['USER_SIGNED_UP'],
        key: (event) => event.payload.plan,
        windows: ['minute'],
      }),
    ],
    logger: { error: () => undefined },
  });

beforeAll(async () => {
  dynamoDBClient = makeDynamoDBClient();
  streamsClient = makeStreamsClient();
  eventTableName = await createTestEventTable(dynamoDBClient);
  const adapter = new DynamoDBSingleTableEventStorageAdapter({
    tableName: eventTableName,
    dynamoDBClient,
  });
  ordersStore = makeOrdersStore(adapter);
  usersStore = makeUsersStore(adapter);

  const at = (hour: number) => `2024-06-01T${String(hour).padStart(2, '0')}:15:00.000Z`;
  const countries = ['FR', 'DE', 'FR', 'ES', 'FR', 'DE'];
  for (const [index, country] of countries.entries()) {
    await ordersStore.pushEvent({
      aggregateId: `o${index}`,
      version: 1,
      type: 'ORDER_PLACED',
      timestamp: at(index % 3),
      payload: { customerId: `u${index}`, country, quantity: index + 1 },
    });
  }
  await ordersStore.pushEvent({
    aggregateId: 'o0',
    version: 2,
    type: 'ORDER_SHIPPED',
    payload: { carrier: 'ups' },
  });
  await ordersStore.pushEvent({ aggregateId: 'o1', version: 2, type: 'ORDER_CANCELLED' });
  // A group across both stores: a sign-up and its first order, one transaction, one timestamp.
  await EventStore.pushEventGroup(
    { force: false },
    usersStore.groupEvent({
      aggregateId: 'u9',
      version: 1,
      type: 'USER_SIGNED_UP',
      timestamp: '2024-06-01T10:01:30.000Z',
      payload: { plan: 'pro' },
      metadata: { source: 'web' },
    }),
    ordersStore.groupEvent({
      aggregateId: 'o9',
      version: 1,
      type: 'ORDER_PLACED',
      payload: { customerId: 'u9', country: 'IT', quantity: 5 },
    }),
  );
  await usersStore.pushEvent({
    aggregateId: 'u8',
    version: 1,
    type: 'USER_SIGNED_UP',
    timestamp: '2024-06-01T10:01:59.000Z',
    payload: { plan: 'free' },
    metadata: {},
  });
  await usersStore.pushEvent({ aggregateId: 'u8', version: 2, type: 'USER_UPGRADED', payload: {} });
  // A MODIFY: overwriting an event with force.
  await ordersStore
    .getEventStorageAdapter()
    .pushEvent(
      { aggregateId: 'o0', version: 2, type: 'ORDER_SHIPPED', payload: { carrier: 'dhl' } },
      { eventStoreId: 'orders', force: true },
    );
});
afterAll(() => {
  dynamoDBClient.destroy();
  streamsClient.destroy();
});

const expectCountsOfThePushedEvents = async (projection: ReturnType<typeof makeProjection>) => {
  const counts = await projection.getCounts([
    { counterName: 'ordersByCountry', key: 'FR' },
    { counterName: 'ordersByCountry', key: 'DE' },
    { counterName: 'ordersByCountry', key: 'ES' },
    { counterName: 'ordersByCountry', key: 'IT' },
    { counterName: 'ordersByCountry', key: 'US' },
    { counterName: 'itemsByCountry', key: 'FR' },
    { counterName: 'itemsByCountry', key: 'IT' },
    { counterName: 'openOrders', key: 'all' },
    { counterName: 'signupsByPlan', key: 'pro' },
    { counterName: 'signupsByPlan', key: 'free' },
  ]);
  expect(counts).toEqual([3, 2, 1, 1, 0, 1 + 3 + 5, 5, 7 - 1, 1, 1]);
  // FR orders were placed at 00:15, 02:15 and 01:15.
  expect(
    await projection.getCount('ordersByCountry', 'FR', {
      window: 'hour',
      bucket: '2024-06-01T02:40:00.000Z',
    }),
  ).toBe(1);
  expect(
    await projection.getCount('ordersByCountry', 'FR', { window: 'day', bucket: '2024-06-01' }),
  ).toBe(3);
  expect(
    await projection.getWindowedCounts('ordersByCountry', 'DE', {
      window: 'hour',
      from: '2024-06-01T00:00:00.000Z',
      to: '2024-06-01T23:59:59.999Z',
    }),
  ).toEqual([
    { bucket: '2024-06-01T01', count: 1 },
    { bucket: '2024-06-01T02', count: 1 },
  ]);
  expect(
    await projection.getCount('signupsByPlan', 'free', {
      window: 'minute',
      bucket: '2024-06-01T10:01',
    }),
  ).toBe(1);
};

describe('counter projection on the event table’s real stream', () => {
  it('counts what was pushed through the Lambda handler, per counter and per window', async () => {
    const countsTableName = uniqueTableName('counts');
    await createCountsTable({ dynamoDBClient, tableName: countsTableName });
    const projection = makeProjection(countsTableName);
    const records = await readStream({ dynamoDBClient, streamsClient, tableName: eventTableName });
    expect(records.map((r) => r.eventName)).toContain('MODIFY');

    const event: DynamoDBStreamEvent = { Records: records.map(toLambdaRecord) };
    expect(await projection.handler(event)).toEqual({ batchItemFailures: [] });
    await expectCountsOfThePushedEvents(projection);

    // Lambda redelivers the same batch (a timeout after the commit, say): nothing changes.
    expect(await projection.handler(event)).toEqual({ batchItemFailures: [] });
    await expectCountsOfThePushedEvents(projection);
  });

  it('counts the same from Streams API records in small batches, and reports skips and duplicates', async () => {
    const countsTableName = uniqueTableName('counts');
    await createCountsTable({ dynamoDBClient, tableName: countsTableName });
    const projection = makeProjection(countsTableName);
    const records = await readStream({ dynamoDBClient, streamsClient, tableName: eventTableName });

    const totals = { counted: 0, duplicates: 0, skipped: 0, events: 0 };
    for (let start = 0; start < records.length; start += 3) {
      const { batchItemFailures, stats } = await projection.processRecords(
        records.slice(start, start + 3),
      );
      expect(batchItemFailures).toEqual([]);
      for (const name of ['counted', 'duplicates', 'skipped', 'events'] as const)
        totals[name] += stats[name];
    }
    // 7 orders placed (x2 counters), 9 order events for openOrders (a shipment counts by 0), 2 sign-ups.
    expect(totals).toEqual({ events: 12, skipped: 1, duplicates: 0, counted: 7 + 7 + 9 + 2 });
    await expectCountsOfThePushedEvents(projection);

    const again = await projection.processRecords(records);
    expect(again.stats).toMatchObject({ counted: 0, duplicates: 25 });
    await expectCountsOfThePushedEvents(projection);
  });
});
