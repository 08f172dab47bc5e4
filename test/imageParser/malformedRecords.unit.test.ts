import { EventStore } from '@castore/core';
import { describe, expect, it } from 'vitest';

import { ImageParser } from '../../src/imageParser/index.js';
import { CounterError, type CounterErrorOf } from '../../src/index.js';
import { makeOrdersStore, makeUsersStore, type OrdersStore } from '../support/eventStores.js';

// Parsing is pure: no server, records built here in the adapter's exact item layout.
const ordersStore = makeOrdersStore();
const parser = new ImageParser({ sourceEventStores: [ordersStore, makeUsersStore()] });

describe('ImageParser on malformed records (unit)', () => {
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
      })() as CounterErrorOf<'InvalidStreamRecord'>;
      expect(error).toBeInstanceOf(CounterError);
      expect(error).toMatchObject({
        code: 'InvalidStreamRecord',
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
      expect.objectContaining({ code: 'InvalidStreamRecord', field }),
    );
  });

  // A record's image comes from JSON (Lambda's event, the Streams API's answer), where
  // "__proto__" is an attribute like another; unmarshall's `item[name] = …` would make it the
  // item's prototype, and the event would read a payload its item does not have.
  it.each([
    ['as AWS streams it', {}, {}],
    // DynamoDB Local streams an empty map without its type: the parser's second reading.
    ["with an empty map's type lost, as DynamoDB Local streams it", {}, { note: {} }],
  ])('reads nothing of an attribute named __proto__ (%s)', (_, options, extra) => {
    const { payload: _payload, ...withoutPayload } = goodImage();
    const image: unknown = JSON.parse(
      JSON.stringify({
        ...withoutPayload,
        ...extra,
        __proto__placeholder: {
          M: { payload: { M: { carrier: { S: 'forged' } } }, metadata: { M: {} } },
        },
      }).replace('__proto__placeholder', '__proto__'),
    );
    expect(Object.hasOwn(image as object, '__proto__')).toBe(true);
    const parsed = parser.parseRecord(insert(image), options);
    if (parsed.kind !== 'event') throw new Error(`not parsed as an event: ${parsed.kind}`);
    const event: Record<string, unknown> = parsed.message.event;
    expect(event.payload).toBeUndefined();
    expect(event.metadata).toBeUndefined();
    expect(event).toMatchObject({ aggregateId: 'o9', version: 3 });
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
      expect.objectContaining({ code: 'InvalidStreamRecord' }),
    );
    // The refusal says both ways out, the reactions' case among them.
    expect(() => new ImageParser({ sourceEventStores: [ordersStore] }).parseRecord(other)).toThrow(
      /add its store to sourceEventStores, or pass unknownEventStores: 'skip'.*COUNT_REACHED/,
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
