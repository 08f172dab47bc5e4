import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { makeOrdersStore } from '../support/eventStores.js';

// Each call below is refused before any request: the client is never used.
const ordersStore = makeOrdersStore();
const projection = new CounterProjection({
  dynamoDBClient: {} as DynamoDBClient,
  countsTableName: 'counts',
  sourceEventStores: [ordersStore],
  counters: [counter({ name: 'orders', eventStore: ordersStore, key: () => 'all' })],
});
const unknown = 'unknown' as never;

/** Calls `call` and returns its promise, failing if the call itself throws. */
const promiseOf = (call: () => Promise<unknown>): Promise<unknown> => {
  let promise: Promise<unknown> | undefined;
  expect(() => {
    promise = call();
  }).not.toThrow();
  return promise ?? Promise.resolve();
};

describe('a refused argument rejects, never throws synchronously (unit)', () => {
  const calls: Record<string, () => Promise<unknown>> = {
    getCount: () => projection.getCount(unknown, 'all'),
    getExactCount: () => projection.getExactCount(unknown, 'all'),
    getCounts: () => projection.getCounts([{ counterName: unknown, key: 'all' }]),
    getWindowedCounts: () =>
      projection.getWindowedCounts(unknown, 'all', { window: unknown, from: 'a', to: 'b' }),
    listCountedRefs: () => projection.listCountedRefs(unknown, 'all'),
    increment: () => projection.increment({ counterName: unknown, key: 'all', targetRef: 'r' }),
    setTarget: () => projection.setTarget({ counterName: unknown, key: 'all', target: 1 }),
  };

  it.each(Object.entries(calls))(
    '%s of an unknown counter rejects with UnknownCounter',
    async (_, call) => {
      await expect(promiseOf(call)).rejects.toMatchObject({
        code: 'UnknownCounter',
        knownCounters: ['orders'],
      });
    },
  );
});
