import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventDetail } from '@castore/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

import {
  counter,
  CounterProjection,
  UNKNOWN_EVENT_STORES_ENV,
} from '../../src/counterProjection/index.js';
import { eventRecord } from '../../src/testing/index.js';
import { makeOrdersStore } from '../support/eventStores.js';

// Records of stores the projection does not read change no count: no request is sent.
const ordersStore = makeOrdersStore();
const projection = (unknownEventStores?: 'fail' | 'skip') =>
  new CounterProjection({
    dynamoDBClient: {} as DynamoDBClient,
    countsTableName: 'counts',
    sourceEventStores: [ordersStore],
    counters: [counter({ name: 'orders', eventStore: ordersStore, key: () => 'all' })],
    ...(unknownEventStores !== undefined ? { unknownEventStores } : {}),
    logger: { error: () => undefined },
  });
const reached = eventRecord({
  eventStoreId: 'counterEvents',
  event: {
    aggregateId: 'orders#all#threshold#10',
    version: 1,
    type: 'COUNT_REACHED',
    timestamp: '2024-01-01T00:00:00.000Z',
  } as EventDetail,
  sequenceNumber: '100000000000000000001',
});

describe('events of stores the projection does not read (unit)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('fail by default, and are skipped when the deployment sets CASTORE_COUNTER_UNKNOWN_EVENT_STORES=skip', async () => {
    expect((await projection().processRecords([reached])).stats).toMatchObject({ failed: 1 });
    vi.stubEnv(UNKNOWN_EVENT_STORES_ENV, 'skip');
    expect((await projection().processRecords([reached])).stats).toMatchObject({
      skipped: 1,
      failed: 0,
    });
  });

  it('follow the option given in code over the environment', async () => {
    vi.stubEnv(UNKNOWN_EVENT_STORES_ENV, 'skip');
    expect((await projection('fail').processRecords([reached])).stats).toMatchObject({
      failed: 1,
    });
  });
});
