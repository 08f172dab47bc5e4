import { EventStore } from '@castore/core';
import { beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { asOneLambdaBatch, given, inBatchesOf } from '../../src/entries/testing.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import {
  makeOrdersStore,
  makeUsersStore,
  type OrdersStore,
  type UsersStore,
} from '../support/eventStores.js';
import { readStream } from '../support/streams.js';

const {
  client: dynamoDBClient,
  streamsClient,
  createTestEventTable,
  createTestCountsTable,
} = useDynamoDB();
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
  eventTableName = await createTestEventTable();
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

// FR orders were placed at 00:15, 02:15 and 01:15; 7 orders placed in all, one cancelled.
const countsOfThePushedEvents = {
  'ordersByCountry/FR': 3,
  'ordersByCountry/DE': 2,
  'ordersByCountry/ES': 1,
  'ordersByCountry/IT': 1,
  'ordersByCountry/US': 0,
  'itemsByCountry/FR': 1 + 3 + 5,
  'itemsByCountry/IT': 5,
  'openOrders/all': 7 - 1,
  'signupsByPlan/pro': 1,
  'signupsByPlan/free': 1,
  'ordersByCountry/FR/hour/2024-06-01T02:40:00.000Z': 1,
  'ordersByCountry/FR/day/2024-06-01': 3,
  'signupsByPlan/free/minute/2024-06-01T10:01': 1,
};

const projectionOnNewCountsTable = async () => {
  const countsTableName = await createTestCountsTable();
  return makeProjection(countsTableName);
};

describe('counter projection on the event table’s real stream', () => {
  it('counts what was pushed through the Lambda handler, per counter and per window, once however often Lambda redelivers', async () => {
    const projection = await projectionOnNewCountsTable();
    const records = await readStream({ dynamoDBClient, streamsClient, tableName: eventTableName });
    expect(records.map((r) => r.eventName)).toContain('MODIFY');

    await given(records)
      .when(projection, asOneLambdaBatch, { times: 2 })
      .thenCounts(countsOfThePushedEvents);
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
  });

  it('counts the same from Streams API records in small batches, and reports skips and duplicates', async () => {
    const projection = await projectionOnNewCountsTable();
    const records = await readStream({ dynamoDBClient, streamsClient, tableName: eventTableName });

    const { stats } = await given(records)
      .when(projection, inBatchesOf(3), { times: 2 })
      .thenCounts(countsOfThePushedEvents);
    // 7 orders placed (x2 counters), 9 order events for openOrders (a shipment counts by 0), 2 sign-ups.
    expect(stats[0]).toMatchObject({
      events: 12,
      skipped: 1,
      duplicates: 0,
      counted: 7 + 7 + 9 + 2,
    });
    expect(stats[1]).toMatchObject({ events: 12, skipped: 1, duplicates: 25, counted: 0 });
  });
});
