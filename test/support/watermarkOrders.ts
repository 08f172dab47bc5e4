import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventDetail } from '@castore/core';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { makeOrdersStore } from '../../src/example/eventStores.js';
import { insertRecord } from './records.js';

/**
 * What the stream runner's watermark tests share (gaps told, a shard finished, trimmed
 * before the first checkpoint, another runner's untold gap): orders by country counted with
 * a shard watermark, and the records they play on a simulated stream.
 */
const ordersStore = makeOrdersStore();

/** An ORDER_PLACED record of aggregate `id` (FR, quantity 1), as the event table's stream carries it. */
export const orderOf = (id: string): StreamsApiRecord =>
  insertRecord(
    'orders',
    {
      aggregateId: id,
      version: 1,
      type: 'ORDER_PLACED',
      timestamp: '2026-01-01T00:00:00.000Z',
      payload: { customerId: 'c', country: 'FR', quantity: 1 },
    } as EventDetail,
    '0', // the simulated stream numbers it
  );

/** The aggregate of a record (`a` for `orders#a`). */
export const idOf = (record: StreamsApiRecord): string =>
  (record.dynamodb?.NewImage?.aggregateId?.S ?? '?').replace(/^orders#/, '');

/** A projection counting ORDER_PLACED by country (`byCountry`, shardWatermark) into `countsTableName`. */
export const byCountryProjection = (dynamoDBClient: DynamoDBClient, countsTableName: string) =>
  new CounterProjection({
    dynamoDBClient,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters: [
      counter({
        name: 'byCountry',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: (e) => e.payload.country,
        idempotency: 'shardWatermark',
      }),
    ],
  });
