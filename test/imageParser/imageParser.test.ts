import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventStore } from '@castore/core';
import { ImageParser as ReferenceImageParser } from '@castore/event-storage-adapter-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import {
  ImageParser,
  InvalidStreamRecordError,
  invalidStreamRecordErrorCode,
} from '../../src/imageParser/index.js';
import {
  createTestEventTable,
  makeDynamoDBClient,
  makeStreamsClient,
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
let tableName: string;
let ordersStore: OrdersStore;
let usersStore: UsersStore;
let parser: ImageParser<OrdersStore | UsersStore>;

beforeAll(async () => {
  dynamoDBClient = makeDynamoDBClient();
  streamsClient = makeStreamsClient();
  tableName = await createTestEventTable(dynamoDBClient);
  const adapter = new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient });
  ordersStore = makeOrdersStore(adapter);
  usersStore = makeUsersStore(adapter);
  parser = new ImageParser({ sourceEventStores: [ordersStore, usersStore] });
});
afterAll(() => {
  dynamoDBClient.destroy();
  streamsClient.destroy();
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

describe('ImageParser on malformed records', () => {
  const goodImage = (): Record<string, unknown> => ({
    aggregateId: { S: 'orders#o9' },
    version: { N: '3' },
    type: { S: 'ORDER_SHIPPED' },
    timestamp: { S: '2024-02-02T10:00:00.000Z' },
    payload: { M: { carrier: { S: 'dhl' } } },
  });
  const insert = (image: unknown, sequenceNumber: string | undefined = '000000000000000000042') =>
    ({
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: sequenceNumber, NewImage: image },
    }) as never;

  it('parses the well-formed base image (so each case below fails for its own reason)', () => {
    expect(parser.parseRecord(insert(goodImage()))).toMatchObject({
      kind: 'event',
      message: { eventStoreId: 'orders' },
    });
  });

  it.each([
    ['no aggregateId', { aggregateId: undefined }, 'aggregateId', undefined],
    ['an aggregateId without #', { aggregateId: { S: 'orders' } }, 'aggregateId', 'orders'],
    [
      'an empty aggregate id after the store',
      { aggregateId: { S: 'orders#' } },
      'aggregateId',
      'orders#',
    ],
    ['a numeric aggregateId', { aggregateId: { N: '12' } }, 'aggregateId', { N: '12' }],
    ['an unknown event store', { aggregateId: { S: 'invoices#i1' } }, 'eventStoreId', 'invoices'],
    ['an event type of another store', { type: { S: 'USER_SIGNED_UP' } }, 'type', 'USER_SIGNED_UP'],
    ['no type', { type: undefined }, 'type', undefined],
    ['version 0', { version: { N: '0' } }, 'version', { N: '0' }],
    ['a negative version', { version: { N: '-2' } }, 'version', { N: '-2' }],
    ['a fractional version', { version: { N: '1.5' } }, 'version', { N: '1.5' }],
    // Each reads as 1 through Number: the version of another event.
    [
      'a version with a fraction too small for a number',
      { version: { N: '1.0000000000000000001' } },
      'version',
      { N: '1.0000000000000000001' },
    ],
    ['a hexadecimal version', { version: { N: '0x1' } }, 'version', { N: '0x1' }],
    ['a version with a space', { version: { N: ' 1' } }, 'version', { N: ' 1' }],
    ['a version with a sign', { version: { N: '+1' } }, 'version', { N: '+1' }],
    ['a version with an exponent', { version: { N: '1e0' } }, 'version', { N: '1e0' }],
    // Date.parse rolls these into the next day, and so into another window bucket.
    [
      'a date that does not exist',
      { timestamp: { S: '2024-02-30T10:00:00.000Z' } },
      'timestamp',
      '2024-02-30T10:00:00.000Z',
    ],
    [
      'hour 24',
      { timestamp: { S: '2024-01-01T24:00:00.000Z' } },
      'timestamp',
      '2024-01-01T24:00:00.000Z',
    ],
    [
      'February 29 of a common year',
      { timestamp: { S: '2023-02-29T00:00:00.000Z' } },
      'timestamp',
      '2023-02-29T00:00:00.000Z',
    ],
    ['a string version', { version: { S: '1' } }, 'version', { S: '1' }],
    [
      'a string tag holding a number (unmarshall would take it)',
      { version: { S: 1 } },
      'version',
      { S: 1 },
    ],
    ['no version', { version: undefined }, 'version', undefined],
    ['no timestamp', { timestamp: undefined }, 'timestamp', undefined],
    ['a timestamp that is not ISO', { timestamp: { S: 'tuesday' } }, 'timestamp', 'tuesday'],
    ['an attribute value of no known type', { payload: { Q: 'x' } }, 'image', expect.anything()],
  ])(
    'refuses %s with a typed error naming the record, field and value',
    (_, change, field, value) => {
      const image = Object.fromEntries(
        Object.entries({ ...goodImage(), ...change }).filter(([, v]) => v !== undefined),
      );
      const error = (() => {
        try {
          parser.parseRecord(insert(image));
        } catch (e) {
          return e;
        }
      })() as InvalidStreamRecordError;
      expect(error).toBeInstanceOf(InvalidStreamRecordError);
      expect(error).toMatchObject({
        code: invalidStreamRecordErrorCode,
        sequenceNumber: '000000000000000000042',
        field,
        value,
      });
      expect(error.message).toContain('Stream record 000000000000000000042');
    },
  );

  it.each([
    ['no eventName', { dynamodb: { SequenceNumber: '7', NewImage: {} } }, 'eventName'],
    // Not a DynamoDB stream's event name: failed, never skipped as "not an insert".
    [
      'a lower-case eventName',
      { eventName: 'insert', dynamodb: { SequenceNumber: '7', NewImage: {} } },
      'eventName',
    ],
    [
      'an unknown eventName',
      { eventName: 'FOO', dynamodb: { SequenceNumber: '7', NewImage: {} } },
      'eventName',
    ],
    [
      'an INSERT without NewImage (KEYS_ONLY stream)',
      { eventName: 'INSERT', dynamodb: { SequenceNumber: '7', Keys: {} } },
      'dynamodb.NewImage',
    ],
    [
      'an image that is not a map',
      { eventName: 'INSERT', dynamodb: { SequenceNumber: '7', NewImage: 'x' } },
      'dynamodb.NewImage',
    ],
  ])('refuses a record with %s', (_, record, field) => {
    expect(() => parser.parseRecord(record as never)).toThrow(
      expect.objectContaining({ code: invalidStreamRecordErrorCode, field }),
    );
  });

  it('skips the events of other stores when asked to, and only then', () => {
    const lenient = new ImageParser({
      sourceEventStores: [ordersStore],
      unknownEventStores: 'skip',
    });
    const other = insert({ ...goodImage(), aggregateId: { S: 'invoices#i1' } });
    expect(lenient.parseRecord(other)).toMatchObject({
      kind: 'skipped',
      reason: 'UnknownEventStore',
    });
    expect(() => new ImageParser({ sourceEventStores: [ordersStore] }).parseRecord(other)).toThrow(
      InvalidStreamRecordError,
    );
  });

  it('refuses source event stores whose id contains #', () => {
    const store = new EventStore({
      eventStoreId: 'a#b',
      eventTypes: [],
      reducer: () => ({ aggregateId: 'x', version: 1 }),
    });
    expect(() => new ImageParser({ sourceEventStores: [store as unknown as OrdersStore] })).toThrow(
      expect.objectContaining({ code: 'InvalidEventStoreId' }),
    );
  });
});
