import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { EventDetail } from '@castore/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { ImageParser } from '../../src/imageParser/index.js';
import { CounterError } from '../../src/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore, makeUsersStore } from '../support/eventStores.js';
import { insertRecord } from '../support/records.js';

const { client, createTestCountsTable } = useDynamoDB();
let countsTableName: string;
const ordersStore = makeOrdersStore();
const usersStore = makeUsersStore();
const counters = [
  counter({
    name: 'byCountry',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: (e) => e.payload.country,
    by: (e) => e.payload.quantity,
  }),
  counter({
    name: 'signups',
    eventStore: usersStore,
    eventTypes: ['USER_SIGNED_UP'],
    key: (e) => e.payload.plan,
  }),
];
const good = insertRecord(
  'orders',
  {
    aggregateId: 'o1',
    version: 1,
    type: 'ORDER_PLACED',
    timestamp: '2024-01-01T00:00:00.000Z',
    payload: { customerId: 'c', country: 'FR', quantity: 2 },
  } as EventDetail,
  '100',
);

beforeAll(async () => {
  countsTableName = await createTestCountsTable();
});

// ---- values that are wrong wherever they stand ----
const garbage: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(undefined),
    fc.constant(null),
    fc.integer(),
    fc.double(),
    fc.string(),
    fc.boolean(),
    fc.uint8Array({ maxLength: 8 }),
    fc.constant('x'.repeat(300_000)),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('S', 'N', 'M', 'L', 'B', 'BOOL', 'NULL', 'Q', '', '#'),
      tie('value'),
      { maxKeys: 3 },
    ),
  ),
})).value;

/** Attribute values that each make one field of the image invalid. */
const invalidField = {
  aggregateId: fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      { S: '' },
      { S: 'orders' },
      { S: 'orders#' },
      { S: '#o1' },
      { S: '#' },
      { S: 'invoices#o1' },
      { S: 'users' },
      { N: '1' },
      { B: new Uint8Array([35]) },
      { S: 'x'.repeat(5_000) },
    ),
    garbage.filter((value) => typeof value !== 'object' || value === null || !('S' in value)),
  ),
  version: fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      { N: '0' },
      { N: '-1' },
      { N: '1.5' },
      { N: '1e400' },
      { N: 'NaN' },
      { S: '1' },
      { BOOL: true },
      { NULL: true },
      { N: '99999999999999999999' },
    ),
    garbage.filter((value) => typeof value !== 'object' || value === null || !('N' in value)),
  ),
  type: fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      { S: '' },
      { S: 'USER_SIGNED_UP' },
      { S: 'order_placed' },
      { S: 'ORDER_PLACED#' },
      { N: '1' },
      { L: [] },
    ),
    fc
      .string()
      .filter((t) => !['ORDER_PLACED', 'ORDER_SHIPPED', 'ORDER_CANCELLED'].includes(t))
      .map((S) => ({ S })),
  ),
  timestamp: fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      { S: '' },
      { S: 'yesterday' },
      { S: '2024-13-45T99:99:99Z' },
      { S: '2024-01-01' },
      { S: '2024-01-01T00:00:00+02:00' },
      { N: '1704067200' },
    ),
  ),
  payload: fc.oneof(
    fc.constantFrom(
      { NULL: true },
      { S: 'x' },
      { M: {} },
      { M: { country: { N: '1' } } },
      { M: { country: { S: 'FR' }, quantity: { N: '1.5' } } },
      { M: { country: { S: '' }, quantity: { N: '1' } } },
    ),
    fc.constant(undefined),
  ),
  image: fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.string(),
    fc.integer(),
    fc.array(fc.anything(), { maxLength: 2 }),
  ),
  eventName: fc.oneof(fc.constant(undefined), fc.integer(), fc.constant(null)),
};

const malformedRecord = fc.oneof(
  ...(['aggregateId', 'version', 'type', 'timestamp', 'payload'] as const).map((field) =>
    fc.tuple(invalidField[field], fc.constant(field)).map(([value, name]) => {
      const image = { ...(good.dynamodb?.NewImage as Record<string, unknown>), [name]: value };
      if (value === undefined) delete image[name];
      return {
        ...good,
        dynamodb: { ...good.dynamodb, NewImage: image as Record<string, AttributeValue> },
      };
    }),
  ),
  invalidField.image.map((image) => ({
    ...good,
    dynamodb: { ...good.dynamodb, NewImage: image as never },
  })),
  invalidField.eventName.map((eventName) => ({ ...good, eventName: eventName as never })),
  garbage.map((record) => record as never),
);

describe('hostile stream records (10,000 generated)', () => {
  it('never crash the parser or the handler, always give a typed error, a batch item failure, and no count', async () => {
    const projection = new CounterProjection({
      dynamoDBClient: client,
      countsTableName,
      sourceEventStores: [ordersStore, usersStore],
      counters,
      logger: { error: () => undefined },
    });
    const parser = new ImageParser({ sourceEventStores: [ordersStore, usersStore] });
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(malformedRecord, async (record) => {
        // The handler: reported, with a typed error.
        const { batchItemFailures, error, stats } = await projection.processRecords([
          record as never,
        ]);
        expect(batchItemFailures).toHaveLength(1);
        expect(stats.counted).toBe(0);
        const code = (error as { code?: string }).code as string;
        expect(['InvalidStreamRecord', 'InvalidIncrement']).toContain(code);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        // The parser alone: a typed error, or (payload problems) a valid message the counters then refuse.
        try {
          parser.parseRecord(record as never);
          expect(code).toBe('InvalidIncrement');
        } catch (parseError) {
          expect(parseError).toMatchObject({ code: 'InvalidStreamRecord' });
          expect(parseError).toBeInstanceOf(CounterError);
        }
      }),
      { numRuns: 10_000 },
    );
    expect(codes.get('InvalidStreamRecord')).toBeGreaterThan(1_000);
    expect(codes.get('InvalidIncrement')).toBeGreaterThan(100);
    // Nothing was ever counted.
    expect(
      await projection.getCounts([
        { counterName: 'byCountry', key: 'FR' },
        { counterName: 'signups', key: 'free' },
      ]),
    ).toEqual([0, 0]);
    // ...while a well-formed record in the same setting is counted.
    expect((await projection.processRecords([good])).stats.counted).toBe(1);
  });
});
