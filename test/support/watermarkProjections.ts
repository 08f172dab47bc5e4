import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { makeOrdersStore } from '../../src/example/eventStores.js';

const ordersStore = makeOrdersStore();

/**
 * The counters module of the watermark schedules, in its versions: `strict` cannot key a
 * poison record (no country), `throwsOnB` is a later version that also throws on key b,
 * `fixed` counts poison as "unknown".
 */
export type Module = 'strict' | 'throwsOnB' | 'fixed';

const keyOf =
  (module: Module) =>
  (event: { payload: unknown }): string => {
    const { country } = event.payload as { country?: string };
    if (module === 'throwsOnB' && country === 'b') throw new Error('b is not supported any more');
    return module === 'fixed' ? (country ?? 'unknown') : (country as string);
  };

const countersOf = (module: Module) => [
  counter({
    name: 'marks',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: keyOf(module),
    by: (event) => event.payload.quantity,
    windows: ['day'],
    idempotency: 'shardWatermark',
  }),
  counter({
    name: 'refs',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: keyOf(module),
    by: (event) => event.payload.quantity,
  }),
];

export const projectionOf = (
  dynamoDBClient: DynamoDBClient,
  countsTableName: string,
  module: Module,
) =>
  new CounterProjection({
    dynamoDBClient,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters: countersOf(module),
    retry: { maxAttempts: 1, baseDelayMs: 0 },
    logger: { error: () => undefined },
  });
