import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventStore } from '@castore/core';

import type { ImageParser } from '../../imageParser/index.js';
import type { RetryOptions } from '../../shared/index.js';
import type { Counter, CounterIdempotency } from '../counter.js';
import { type CountsHealth, readCountsHealth } from '../countsHealth.js';
import type { NotExact } from '../countsItems/index.js';
import { asInsertRecords, countersNamed } from '../rebuild.js';
import { scanSegments } from '../scanSegments.js';
import { type CountDifference, differencesOf } from './differences.js';
import { type ExpectedCounts, noExpectedCounts, tallyRecords } from './expectedCounts.js';
import { readTableCounts } from './tableCounts.js';

/** Where a verify is: items read so far of the event table, then of the counts table. */
export interface VerifyProgress {
  table: 'events' | 'counts';
  itemsRead: number;
}

export interface VerifyOptions {
  eventTableName: string;
  /** Parallel Scan segments, for each table. Default 4. */
  segments?: number;
  /** Items per Scan page. Default 500. */
  pageSize?: number;
  onProgress?: (progress: VerifyProgress) => void;
}

/** What `CounterProjection.verify` takes: the counters to verify, all when absent. */
export type VerifyInput<NAME extends string> = VerifyOptions & { counterNames?: readonly NAME[] };

/** What a verify found: the differences first, and what else bears on them. */
export interface VerifyReport {
  /** Events read from the event table (items of the source stores). */
  events: number;
  /** Items of the event table that are no events of the source stores (`unknownEventStores: 'skip'`). */
  skipped: number;
  /** Events that no counter can count (its function throws, a malformed item): the first errors. */
  uncountable: { count: number; errors: string[] };
  /** Per counter verified: its totals and buckets expected, and whether it is marked not exact. */
  counters: {
    counterName: string;
    idempotency: CounterIdempotency;
    keys: number;
    buckets: number;
    notExact?: NotExact;
  }[];
  /** Every total or bucket whose count is not what the events say; none when all match. */
  differences: CountDifference[];
  /** Buckets past their window's retention (expired in the table by TTL): not compared. */
  expiredBuckets: number;
  /** Records set aside by shardWatermark batches: uncounted until count-set-aside. */
  setAside: { waiting: number; counted: number };
}

interface VerifyContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  retry: RetryOptions;
  imageParser: ImageParser<EventStore>;
  counters: readonly Counter[];
}

/**
 * Recounts the counters from the event table in memory and compares with the counts table,
 * item by item. Reads only: two parallel Scans and two Queries, no write.
 */
export const verifyCounts = async (
  projection: VerifyContext,
  options: VerifyInput<string>,
): Promise<VerifyReport> => {
  const context = {
    ...projection,
    counters: countersNamed(projection.counters, options.counterNames),
  };
  const now = Date.now();
  const expected = noExpectedCounts(now);
  const reader = { ...context, segments: options.segments, pageSize: options.pageSize };
  let itemsRead = 0;
  const progress = (table: VerifyProgress['table'], items: number) => {
    itemsRead += items;
    options.onProgress?.({ table, itemsRead });
  };
  await scanSegments(
    { ...reader, tableName: options.eventTableName },
    (items, { segment, page }) => {
      tallyRecords(asInsertRecords(items, `verify-${segment}-${page}`), context, expected);
      progress('events', items.length);
    },
  );
  itemsRead = 0;
  const table = await readTableCounts(
    { ...reader, now, expired: expected.expired },
    context.counters,
    (items) => progress('counts', items),
  );
  return reportOf(context, expected, {
    differences: differencesOf(expected.items, table),
    health: await readCountsHealth(context),
  });
};

const reportOf = (
  context: VerifyContext,
  expected: ExpectedCounts,
  { differences, health }: { differences: CountDifference[]; health: CountsHealth },
): VerifyReport => {
  const notExact = new Map(health.notExact.map(({ counterName, ...mark }) => [counterName, mark]));
  const expectedItems = [...expected.items.values()];
  return {
    events: expected.events,
    skipped: expected.skipped,
    uncountable: expected.uncountable,
    counters: context.counters.map(({ name: counterName, idempotency }) => {
      const own = expectedItems.filter((item) => item.counterName === counterName);
      const keys = own.filter(({ bucket }) => bucket === undefined).length;
      const mark = notExact.get(counterName);
      return {
        counterName,
        idempotency,
        keys,
        buckets: own.length - keys,
        ...(mark !== undefined ? { notExact: mark } : {}),
      };
    }),
    differences,
    expiredBuckets: expected.expired.size,
    setAside: health.setAside,
  };
};
