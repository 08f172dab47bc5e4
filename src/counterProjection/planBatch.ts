import type { EventStore } from '@castore/core';

import type { ImageParser, StreamRecord } from '../imageParser/index.js';
import type { Counter } from './counter.js';
import type { ProcessRecordsStats } from './processRecordsResult.js';
import type { RecordSkipReason } from './recordFates.js';
import { planIncrements, type PlannedIncrement } from './writePath/index.js';

/** A record that failed for a reason of its own (malformed, a counter function throwing). */
export interface FailedRecord {
  position: number;
  record: StreamRecord;
  error: unknown;
}

export interface BatchPlan {
  /** What each record counts, in record order. */
  increments: PlannedIncrement[];
  skipped: Map<number, RecordSkipReason>;
  /**
   * The records that failed, in order: the first only, unless every failure is collected
   * (a batch of shardWatermark counters sets them aside rather than stop at them).
   */
  failures: FailedRecord[];
}

/**
 * What each record of a batch would count, in order, without writing anything: one pass,
 * constant work per record and counter. Stops at the first record that fails, unless
 * `collectFailures`.
 */
export const planBatch = (
  records: readonly StreamRecord[],
  context: {
    imageParser: ImageParser<EventStore>;
    counters: readonly Counter[];
    collectFailures: boolean;
  },
  stats: ProcessRecordsStats,
): BatchPlan => {
  const plan: BatchPlan = { increments: [], skipped: new Map(), failures: [] };
  for (let position = 0; position < records.length; position++) {
    const record = records[position] as StreamRecord;
    try {
      const parsed = context.imageParser.parseRecord(record);
      if (parsed.kind === 'skipped') {
        stats.skipped += 1;
        plan.skipped.set(position, parsed.reason);
        continue;
      }
      stats.events += 1;
      const planned = planIncrements({
        counters: context.counters,
        message: parsed.message,
        position,
        sequenceNumber: parsed.sequenceNumber,
      });
      for (const increment of planned) plan.increments.push(increment);
    } catch (error) {
      plan.failures.push({ position, record, error });
      if (!context.collectFailures) break;
    }
  }
  return plan;
};
