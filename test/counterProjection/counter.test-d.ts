// Each `prettier-ignore` keeps a type error on the line right after its @ts-expect-error.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expectTypeOf, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import {
  type Counter,
  counter,
  type CounterIdempotency,
  CounterProjection,
  type CounterWindow,
} from '../../src/counterProjection/index.js';
import { makeOrdersStore, makeUsersStore } from '../support/eventStores.js';

const adapter = new DynamoDBSingleTableEventStorageAdapter({
  tableName: 't',
  dynamoDBClient: new DynamoDBClient({}),
});
const ordersStore = makeOrdersStore(adapter);
const usersStore = makeUsersStore(adapter);

describe('counters are typed from the event stores they read', () => {
  it('narrows the event to the listed types, with their JSON-schema payloads', () => {
    counter({
      name: 'byCountry',
      eventStore: ordersStore,
      eventTypes: ['ORDER_PLACED'],
      key: (event) => {
        expectTypeOf(event.type).toEqualTypeOf<'ORDER_PLACED'>();
        expectTypeOf(event.payload).toEqualTypeOf<{
          customerId: string;
          country: string;
          quantity: number;
        }>();
        return event.payload.country;
      },
      by: (event) => event.payload.quantity,
    });
  });

  it('refuses what does not fit at compile time', () => {
    void (() => {
      // prettier-ignore
      // @ts-expect-error USER_SIGNED_UP is not an event type of the orders store
      counter({ name: 'x', eventStore: ordersStore, eventTypes: ['USER_SIGNED_UP'], key: () => 'k' });
      // prettier-ignore
      // @ts-expect-error ORDER_CANCELLED has no payload to read
      counter({ name: 'x', eventStore: ordersStore, eventTypes: ['ORDER_CANCELLED'], key: (event) => event.payload.country });
      // prettier-ignore
      // @ts-expect-error the key must be a string
      counter({ name: 'x', eventStore: ordersStore, eventTypes: ['ORDER_PLACED'], key: (event) => event.payload.quantity });
      // prettier-ignore
      // @ts-expect-error no such window
      counter({ name: 'x', eventStore: ordersStore, key: () => 'k', windows: ['fortnight'] });
    });
  });

  it('types counter names in reads, and counters must read a source store', () => {
    const projection = new CounterProjection({
      dynamoDBClient: new DynamoDBClient({}),
      countsTableName: 'counts',
      sourceEventStores: [ordersStore],
      counters: [
        counter({ name: 'placed', eventStore: ordersStore, key: () => 'all' }),
        counter({ name: 'hourly', eventStore: ordersStore, key: () => 'all', windows: ['hour'] }),
      ],
    });
    void (() => {
      void projection.getCount('placed', 'all');
      void projection.getCount('hourly', 'all', { window: 'hour' });
      void projection.getCounts([
        { counterName: 'placed', key: 'all' },
        { counterName: 'hourly', key: 'all', window: 'hour', bucket: new Date() },
      ]);
      // prettier-ignore
      // @ts-expect-error 'hourly' counts the hour only
      void projection.getWindowedCounts('hourly', 'all', { window: 'day', from: 'a', to: 'b' });
      // prettier-ignore
      // @ts-expect-error 'placed' counts no window, in a batch read too
      void projection.getCounts([{ counterName: 'placed', key: 'all', window: 'hour' }]);
      // prettier-ignore
      // @ts-expect-error 'placed' counts no window
      void projection.getCount('placed', 'all', { window: 'hour' });
      // prettier-ignore
      // @ts-expect-error no counter of that name
      void projection.getCount('shipped', 'all');
      new CounterProjection({
        dynamoDBClient: new DynamoDBClient({}),
        countsTableName: 'counts',
        sourceEventStores: [ordersStore],
        // prettier-ignore
        // @ts-expect-error the users store is not a source of this projection
        counters: [counter({ name: 'signups', eventStore: usersStore, key: () => 'all' })],
      });
    });
  });

  it('types the week and month windows from the table of windows, as the others', () => {
    expectTypeOf<CounterWindow>().toEqualTypeOf<'minute' | 'hour' | 'day' | 'week' | 'month'>();
    const projection = new CounterProjection({
      dynamoDBClient: new DynamoDBClient({}),
      countsTableName: 'counts',
      sourceEventStores: [ordersStore],
      counters: [
        counter({
          name: 'periodic',
          eventStore: ordersStore,
          key: () => 'all',
          windows: ['week', 'month'],
          windowRetention: { week: 366 },
        }),
      ],
    });
    void (() => {
      void projection.getCount('periodic', 'all', { window: 'week', bucket: '2024-W05' });
      void projection.getWindowedCounts('periodic', 'all', { window: 'month', from: 'a', to: 'b' });
      // prettier-ignore
      // @ts-expect-error 'periodic' counts weeks and months, not days
      void projection.getCount('periodic', 'all', { window: 'day' });
      // prettier-ignore
      // @ts-expect-error a retention only for the counter's windows
      counter({ name: 'x', eventStore: ordersStore, key: () => 'k', windows: ['week'], windowRetention: { month: 30 } });
    });
  });

  it('names a counter without windows in the error of a window read on it, and types valid reads as before', () => {
    const projection = new CounterProjection({
      dynamoDBClient: new DynamoDBClient({}),
      countsTableName: 'counts',
      sourceEventStores: [ordersStore],
      counters: [
        counter({ name: 'placed', eventStore: ordersStore, key: () => 'all' }),
        counter({ name: 'hourly', eventStore: ordersStore, key: () => 'all', windows: ['hour'] }),
      ],
    });
    // The type a window must be is what the compiler's error shows: `Type '"hour"' is not
    // assignable to type '"counter 'placed' has no windows"'` (it said `'undefined'`).
    type Message = "counter 'placed' has no windows";
    type WindowOf<OPTIONS> = NonNullable<
      NonNullable<OPTIONS> extends { window?: infer W } ? W : never
    >;
    expectTypeOf<
      WindowOf<Parameters<typeof projection.getCount<'placed'>>[2]>
    >().toEqualTypeOf<Message>();
    expectTypeOf<
      WindowOf<Parameters<typeof projection.getExactCount<'placed'>>[2]>
    >().toEqualTypeOf<Message>();
    expectTypeOf<
      WindowOf<Parameters<typeof projection.getWindowedCounts<'placed'>>[2]>
    >().toEqualTypeOf<Message>();
    type Target<NAME> = Extract<
      Parameters<typeof projection.getCounts>[0][number],
      { counterName: NAME }
    >;
    expectTypeOf<WindowOf<Target<'placed'>>>().toEqualTypeOf<Message>();
    // A counter with windows takes them, as before, and the reads answer as before.
    expectTypeOf<
      WindowOf<Parameters<typeof projection.getCount<'hourly'>>[2]>
    >().toEqualTypeOf<'hour'>();
    expectTypeOf<WindowOf<Target<'hourly'>>>().toEqualTypeOf<'hour'>();
    void (() => {
      expectTypeOf(projection.getCount('placed', 'all', {})).toEqualTypeOf<Promise<number>>();
      expectTypeOf(
        projection.getCount('hourly', 'all', { window: 'hour', bucket: new Date() }),
      ).toEqualTypeOf<Promise<number>>();
      expectTypeOf(projection.getExactCount('placed', 'all', { window: undefined })).toEqualTypeOf<
        Promise<bigint>
      >();
      expectTypeOf(
        projection.getWindowedCounts('hourly', 'all', { window: 'hour', from: 'a', to: 'b' }),
      ).toEqualTypeOf<Promise<{ bucket: string; count: number }[]>>();
      // prettier-ignore
      // @ts-expect-error 'placed' has no windows
      void projection.getWindowedCounts('placed', 'all', { window: 'hour', from: 'a', to: 'b' });
    });
  });

  it('refuses targetRef and refShards beside a shard watermark at compile time, saying why', () => {
    void (() => {
      // prettier-ignore
      // @ts-expect-error a shard watermark counts each stream record once: no targetRef
      counter({ name: 'x', eventStore: ordersStore, key: () => 'k', idempotency: 'shardWatermark', targetRef: () => 'r' });
      // prettier-ignore
      // @ts-expect-error a shard watermark writes no refs: no refShards
      counter({ name: 'x', eventStore: ordersStore, key: () => 'k', idempotency: 'shardWatermark', refShards: 8 });
    });
    // What the compiler's error shows: `Type '() => string' is not assignable to type
    // '"none with idempotency 'shardWatermark': it counts each stream record once"'`.
    type Watermark = Parameters<
      typeof counter<typeof ordersStore, 'x', 'ORDER_PLACED', never, 'shardWatermark'>
    >[0];
    expectTypeOf<
      NonNullable<Watermark['targetRef']>
    >().toEqualTypeOf<"none with idempotency 'shardWatermark': it counts each stream record once">();
    expectTypeOf<
      NonNullable<Watermark['refShards']>
    >().toEqualTypeOf<"none with idempotency 'shardWatermark': it writes no refs">();
    // Refs counters keep both, typed from the store; a shard watermark without them, or an
    // idempotency only known at run time, compiles (the run time refuses a targetRef beside
    // shardWatermark there).
    const refs = counter({
      name: 'refs',
      eventStore: ordersStore,
      eventTypes: ['ORDER_PLACED'],
      key: () => 'k',
      refShards: 8,
      targetRef: ({ eventStoreId, event }) => {
        expectTypeOf(eventStoreId).toEqualTypeOf<'orders'>();
        return event.payload.customerId;
      },
    });
    expectTypeOf(refs).toEqualTypeOf<Counter<'orders', 'refs', never>>();
    const watermark = counter({
      name: 'w',
      eventStore: ordersStore,
      key: () => 'k',
      idempotency: 'shardWatermark',
    });
    expectTypeOf(watermark).toEqualTypeOf<Counter<'orders', 'w', never>>();
    const idempotency = 'refs' as CounterIdempotency;
    counter({
      name: 'd',
      eventStore: ordersStore,
      key: () => 'k',
      idempotency,
      targetRef: () => 'r',
    });
  });
});
