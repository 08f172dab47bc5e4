import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { EventStore, isEventAlreadyExistsError } from '@castore/core';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  DynamoDBSingleTableEventStorageAdapter,
  eventTableDefinition,
} from '../../src/adapter/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import {
  makeOrdersStore,
  makeUsersStore,
  type OrdersStore,
  type UsersStore,
} from '../support/eventStores.js';

const { client, createTestEventTable } = useDynamoDB();
let tableName: string;
let ordersStore: OrdersStore;
let usersStore: UsersStore;

beforeAll(async () => {
  tableName = await createTestEventTable();
  const adapter = new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient: client });
  ordersStore = makeOrdersStore(adapter);
  usersStore = makeUsersStore(adapter);
});

describe('a Castore EventStore with JSON-schema event types on the adapter', () => {
  it('pushes events and rebuilds the aggregate', async () => {
    const placed = await ordersStore.pushEvent({
      aggregateId: 'order-1',
      version: 1,
      type: 'ORDER_PLACED',
      payload: { customerId: 'c1', country: 'FR', quantity: 3 },
    });
    expect(placed.nextAggregate).toEqual({
      aggregateId: 'order-1',
      version: 1,
      status: 'placed',
      quantity: 3,
    });
    await ordersStore.pushEvent({
      aggregateId: 'order-1',
      version: 2,
      type: 'ORDER_SHIPPED',
      payload: { carrier: 'ups' },
    });

    const { aggregate, events, lastEvent } = await ordersStore.getAggregate('order-1');
    expect(aggregate).toEqual({
      aggregateId: 'order-1',
      version: 2,
      status: 'shipped',
      quantity: 3,
    });
    expect(events.map((e) => e.type)).toEqual(['ORDER_PLACED', 'ORDER_SHIPPED']);
    expect(lastEvent?.version).toBe(2);
  });

  it('pushes a group across two event stores atomically, and refuses it whole when one event exists', async () => {
    await EventStore.pushEventGroup(
      usersStore.groupEvent({
        aggregateId: 'user-1',
        version: 1,
        type: 'USER_SIGNED_UP',
        payload: { plan: 'free' },
        metadata: { source: 'web' },
      }),
      ordersStore.groupEvent({
        aggregateId: 'order-2',
        version: 1,
        type: 'ORDER_PLACED',
        payload: { customerId: 'user-1', country: 'DE', quantity: 1 },
      }),
    );
    expect((await usersStore.getExistingAggregate('user-1')).aggregate.plan).toBe('free');
    expect((await ordersStore.getExistingAggregate('order-2')).aggregate.quantity).toBe(1);

    const error = await EventStore.pushEventGroup(
      usersStore.groupEvent({
        aggregateId: 'user-1',
        version: 2,
        type: 'USER_UPGRADED',
        payload: {},
      }),
      ordersStore.groupEvent({ aggregateId: 'order-2', version: 1, type: 'ORDER_CANCELLED' }),
    ).catch((e: unknown) => e);
    expect(isEventAlreadyExistsError(error)).toBe(true);
    expect(error).toMatchObject({ eventStoreId: 'orders', aggregateId: 'order-2', version: 1 });
    expect((await usersStore.getExistingAggregate('user-1')).aggregate.version).toBe(1);
  });

  it('lists each store’s aggregates, and only its own', async () => {
    const users = await usersStore.listAggregateIds();
    const orders = await ordersStore.listAggregateIds({ limit: 1 });
    expect(users.aggregateIds.map((a) => a.aggregateId)).toEqual(['user-1']);
    expect(orders.aggregateIds.map((a) => a.aggregateId)).toEqual(['order-1']);
    const next = await ordersStore.listAggregateIds({ pageToken: String(orders.nextPageToken) });
    expect(next).toEqual({ aggregateIds: [expect.objectContaining({ aggregateId: 'order-2' })] });
  });
});

describe('createEventTable', () => {
  it('creates an ACTIVE table with the keys, the sparse GSI, on-demand billing and a NEW_IMAGE stream', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const definition = eventTableDefinition(tableName);
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual(definition.KeySchema);
    expect(
      Table?.GlobalSecondaryIndexes?.map((index) => [
        index.IndexName,
        index.KeySchema,
        index.Projection,
      ]),
    ).toEqual([
      [
        'initialEvents',
        definition.GlobalSecondaryIndexes?.[0]?.KeySchema,
        { ProjectionType: 'KEYS_ONLY' },
      ],
    ]);
    expect(Table?.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_IMAGE',
    });
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });
});
