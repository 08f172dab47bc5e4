import type { EventDetail } from '@castore/core';
import { describe, expect, it } from 'vitest';

import { watermarkedUpdate } from '../../src/counterProjection/countsItems/index.js';
import { type Counter, counter } from '../../src/counterProjection/index.js';
import { planBatch } from '../../src/counterProjection/planBatch.js';
import { noStats } from '../../src/counterProjection/processRecordsResult.js';
import { groupMarkRuns, runUpdate } from '../../src/counterProjection/shardWatermark/markRuns.js';
import { readRecordFacts } from '../../src/counterProjection/shardWatermark/recordFacts.js';
import { buildTransaction } from '../../src/counterProjection/writePath/buildTransaction.js';
import { packTransactions } from '../../src/counterProjection/writePath/index.js';
import { ImageParser } from '../../src/imageParser/index.js';
import { eventRecord } from '../../src/testing/index.js';
import { makeOrdersStore } from '../support/eventStores.js';

// Issue 33: a batch's planning and packing grew with the square of a hot key's records
// (each increment recomputed its chunk's actions, and their buckets). Counted here in
// operations, not time: how often the work reads the counter (any of its properties, its
// windows' entries included), per record.

const ordersStore = makeOrdersStore();
const imageParser = new ImageParser({ sourceEventStores: [ordersStore] });

/** A counter that counts how often it (and its windows) are read. */
const countingCounter = (idempotency: 'refs' | 'shardWatermark') => {
  const reads = { count: 0 };
  const base = counter({
    name: 'hot',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: () => 'all',
    windows: ['minute', 'hour', 'day'],
    idempotency,
  });
  const windows = new Proxy([...base.windows], {
    get: (target, property, receiver) => {
      reads.count += 1;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  const counted = new Proxy(
    { ...base, windows },
    {
      get: (target, property, receiver) => {
        reads.count += 1;
        return Reflect.get(target, property, receiver) as unknown;
      },
    },
  );
  return { counter: counted as Counter, reads };
};

/** One hot key's records, each in a minute of its own: a bucket per record in the minute window. */
const hotRecords = (n: number) =>
  Array.from({ length: n }, (_, index) =>
    eventRecord({
      eventStoreId: 'orders',
      event: {
        aggregateId: `o${index}`,
        version: 1,
        type: 'ORDER_PLACED',
        timestamp: new Date(Date.UTC(2024, 0, 1) + index * 60_000).toISOString(),
        payload: { customerId: 'c', country: 'FR', quantity: 1 },
      } as EventDetail,
      sequenceNumber: String(100_000_000_000_000_000_000n + BigInt(index)),
    }),
  );

/** The whole no-I/O work of a batch: plan, then pack and build (refs) or group and build (marks). */
const workPerRecord = (idempotency: 'refs' | 'shardWatermark', n: number): number => {
  const { counter: hot, reads } = countingCounter(idempotency);
  const records = hotRecords(n);
  const plan = planBatch(
    records,
    { imageParser, counters: [hot], collectFailures: false },
    noStats(),
  );
  if (idempotency === 'refs') {
    for (const chunks of packTransactions(plan.increments))
      buildTransaction({ tableName: 't', chunks, countedAt: '2024-01-01T00:00:00.000Z' });
  } else {
    const facts = readRecordFacts(records, 'hot');
    for (const run of groupMarkRuns(plan.increments))
      watermarkedUpdate(
        runUpdate(run, run.increments, {
          facts,
          shardId: 's',
          tableName: 't',
          rebuildId: undefined,
        }),
      );
  }
  return reads.count / n;
};

describe('a batch’s work stays flat in its size (unit, counted in operations)', () => {
  for (const idempotency of ['refs', 'shardWatermark'] as const)
    it(`plans and ${idempotency === 'refs' ? 'packs' : 'groups'} a hot key's 10,000 records with the same work per record as its 100 (${idempotency})`, () => {
      const small = workPerRecord(idempotency, 100);
      const large = workPerRecord(idempotency, 10_000);
      expect(small).toBeGreaterThan(0);
      expect(large / small).toBeLessThan(1.5);
    });
});
