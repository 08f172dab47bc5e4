import { type AttributeValue, DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { ImageParser as ReferenceImageParser } from '@castore/event-storage-adapter-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { ImageParser } from '../../src/imageParser/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import {
  makeOrdersStore,
  makeUsersStore,
  type OrdersStore,
  type UsersStore,
} from '../support/eventStores.js';
import { readStream, toLambdaRecord } from '../support/streams.js';

const { client: dynamoDBClient, streamsClient, createTestEventTable } = useDynamoDB();
let tableName: string;
let ordersStore: OrdersStore;
let usersStore: UsersStore;
let parser: ImageParser<OrdersStore | UsersStore>;

beforeAll(async () => {
  tableName = await createTestEventTable();
  const adapter = new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient });
  ordersStore = makeOrdersStore(adapter);
  usersStore = makeUsersStore(adapter);
  parser = new ImageParser({ sourceEventStores: [ordersStore, usersStore] });
});

describe('ImageParser on the real stream of the event table', () => {
  it('turns each pushed event back into its typed notification message, in both record shapes', async () => {
    const pushed = [
      (
        await ordersStore.pushEvent({
          aggregateId: 'o1',
          version: 1,
          type: 'ORDER_PLACED',
          payload: { customerId: 'c#1', country: 'FR', quantity: 2 },
        })
      ).event,
      (await ordersStore.pushEvent({ aggregateId: 'o1', version: 2, type: 'ORDER_CANCELLED' }))
        .event,
      // payload {}: DynamoDB Local's stream loses the empty map's type.
      (
        await usersStore.pushEvent({
          aggregateId: 'u#1',
          version: 1,
          type: 'USER_SIGNED_UP',
          payload: { plan: 'pro' },
          metadata: {},
        })
      ).event,
      (
        await usersStore.pushEvent({
          aggregateId: 'u#1',
          version: 2,
          type: 'USER_UPGRADED',
          payload: {},
        })
      ).event,
    ];
    const eventStoreIds = ['orders', 'orders', 'users', 'users'];
    const records = await readStream({ dynamoDBClient, streamsClient, tableName });
    expect(records).toHaveLength(4);

    for (const shape of [(r: (typeof records)[number]) => r, toLambdaRecord]) {
      const parsed = records.map((record) => parser.parseRecord(shape(record)));
      expect(parsed).toEqual(
        pushed.map((event, index) => ({
          kind: 'event',
          sequenceNumber: records[index]?.dynamodb?.SequenceNumber,
          message: { eventStoreId: eventStoreIds[index], event },
        })),
      );
    }
  });

  it('gives the same message as the reference parser for well-formed images', async () => {
    const reference = new ReferenceImageParser({ sourceEventStores: [ordersStore, usersStore] });
    const records = await readStream({ dynamoDBClient, streamsClient, tableName });
    const image = records[0]?.dynamodb?.NewImage as Record<string, AttributeValue>;
    expect(parser.parseImage(image)).toEqual(reference.parseImage(image));
  });

  it('skips MODIFY and REMOVE records and keeps their sequence numbers', async () => {
    await ordersStore.pushEvent({ aggregateId: 'o2', version: 1, type: 'ORDER_CANCELLED' });
    await ordersStore
      .getEventStorageAdapter()
      .pushEvent(
        { aggregateId: 'o2', version: 1, type: 'ORDER_CANCELLED' },
        { eventStoreId: 'orders', force: true },
      );
    await dynamoDBClient.send(
      new DeleteItemCommand({
        TableName: tableName,
        Key: { aggregateId: { S: 'orders#o2' }, version: { N: '1' } },
      }),
    );
    const records = (await readStream({ dynamoDBClient, streamsClient, tableName })).slice(-3);
    expect(records.map((record) => parser.parseRecord(record))).toEqual([
      expect.objectContaining({ kind: 'event' }),
      {
        kind: 'skipped',
        reason: 'NotAnInsert',
        eventName: 'MODIFY',
        sequenceNumber: records[1]?.dynamodb?.SequenceNumber,
      },
      {
        kind: 'skipped',
        reason: 'NotAnInsert',
        eventName: 'REMOVE',
        sequenceNumber: records[2]?.dynamodb?.SequenceNumber,
      },
    ]);
  });
});
