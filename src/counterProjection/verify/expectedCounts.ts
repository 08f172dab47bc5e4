import type { EventStore } from '@castore/core';

import type { ImageParser, StreamRecord } from '../../imageParser/index.js';
import { errorMessageOf } from '../../shared/index.js';
import type { Counter } from '../counter.js';
import { planBatch } from '../planBatch.js';
import { noStats } from '../processRecordsResult.js';
import type { PlannedIncrement } from '../writePath/index.js';
import { addTo, countedItemId, type CountedItems, isPastRetention } from './countedItems.js';

/** How many failed records a report lists (all are counted). */
const LISTED_FAILURES = 5;

/** What the events of the event table say the counts table should hold, tallied page by page. */
export interface ExpectedCounts {
  items: CountedItems;
  /** Refs counters: the (counter, key, targetRef) counted, each once, as the ref items make it. */
  refs: Set<string>;
  /** Buckets past their retention (expired in the table), not compared. */
  expired: Set<string>;
  events: number;
  skipped: number;
  /** Records that no counter can count (a counter function throws, a malformed item). */
  uncountable: { count: number; errors: string[] };
  /** When the retention is judged (ms). */
  now: number;
}

export const noExpectedCounts = (now: number): ExpectedCounts => ({
  items: new Map(),
  refs: new Set(),
  expired: new Set(),
  events: 0,
  skipped: 0,
  uncountable: { count: 0, errors: [] },
  now,
});

/**
 * Adds what a page of the event table counts, in memory: the projection's own planning
 * (parsing, listensTo, key, by, targetRef, buckets), a refs counter's duplicate targetRefs
 * counted once, as its ref items make them.
 */
export const tallyRecords = (
  records: readonly StreamRecord[],
  context: { imageParser: ImageParser<EventStore>; counters: readonly Counter[] },
  expected: ExpectedCounts,
): void => {
  const stats = noStats();
  const plan = planBatch(records, { ...context, collectFailures: true }, stats);
  expected.events += stats.events;
  expected.skipped += stats.skipped;
  for (const { error } of plan.failures) {
    expected.uncountable.count += 1;
    if (expected.uncountable.errors.length < LISTED_FAILURES)
      expected.uncountable.errors.push(errorMessageOf(error));
  }
  for (const increment of plan.increments)
    if (countsOnce(expected, increment)) add(expected, increment);
};

// A shardWatermark counter counts each stream record once: every event of the table is one.
const countsOnce = (expected: ExpectedCounts, { counter, key, targetRef }: PlannedIncrement) => {
  if (counter.idempotency !== 'refs') return true;
  const ref = `${counter.name}\u0000${key}\u0000${targetRef}`;
  if (expected.refs.has(ref)) return false;
  expected.refs.add(ref);
  return true;
};

const add = (expected: ExpectedCounts, { counter, key, by, buckets }: PlannedIncrement) => {
  const counterName = counter.name;
  addTo(expected.items, { counterName, key }, BigInt(by));
  counter.windows.forEach((window, index) => {
    const bucket = buckets[index] as string;
    if (isPastRetention(counter, window, bucket, expected.now))
      expected.expired.add(countedItemId({ counterName, key, window, bucket, count: 0n }));
    else addTo(expected.items, { counterName, key, window, bucket }, BigInt(by));
  });
};
