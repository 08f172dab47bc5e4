import type { EventStore } from '@castore/core';

import { type ImageParser, readRecordFields, type StreamRecord } from '../imageParser/index.js';
import { isCounterError } from '../shared/index.js';
import type { Counter } from './counter.js';
import type { RefsBefore } from './countsItems/index.js';
import type { ProcessRecordsStats } from './processRecordsResult.js';
import type { RecordSkipReason } from './recordFates.js';
import { stampWatermark } from './watermarkBatch.js';
import { countsThroughRefs } from './watermarkRebuild.js';
import { planIncrements, type PlannedIncrement } from './writePath/index.js';

/** A record that failed for a reason of its own, to be set aside rather than hold its shard back. */
export interface FailedRecord {
  position: number;
  record: StreamRecord;
  error: unknown;
}

export interface BatchPlan {
  increments: PlannedIncrement[];
  skipped: Map<number, RecordSkipReason>;
  /** Records to set aside (only when setAside is on). */
  aside: FailedRecord[];
  /** The first record that failed and is not set aside: the batch stops there. */
  failure: { position: number; error: unknown } | undefined;
}

/**
 * What each record of a batch would count, in order, without writing anything. With
 * `stamp`, shardWatermark increments get their record's sequence number. With `setAside`, a
 * record that fails (malformed, a counter function throwing) is listed to be set aside and
 * the batch goes on; a sequence number out of shape or order still stops it (nothing could
 * key it). Records in `alreadyAside` (sequence numbers as watermarks) are skipped.
 */
export const planBatch = (
  records: readonly StreamRecord[],
  context: {
    imageParser: ImageParser<EventStore>;
    counters: readonly Counter[];
    stamp: boolean;
    setAside: boolean;
    alreadyAside: ReadonlySet<string>;
    /** Rebuilt counters' marks: which records they count through refs. */
    rebuildMarks: ReadonlyMap<string, RefsBefore>;
    toWatermark: (sequenceNumber: string | undefined) => string | undefined;
  },
  stats: ProcessRecordsStats,
): BatchPlan => {
  const plan: BatchPlan = { increments: [], skipped: new Map(), aside: [], failure: undefined };
  const order: { last?: string } = {};
  for (const [position, record] of records.entries()) {
    try {
      const parsed = context.imageParser.parseRecord(record);
      const watermark = context.toWatermark(parsed.sequenceNumber);
      const setAsideBefore = watermark !== undefined && context.alreadyAside.has(watermark);
      if (setAsideBefore || parsed.kind === 'skipped') {
        stats.skipped += 1;
        plan.skipped.set(position, parsed.kind === 'skipped' ? parsed.reason : 'SetAside');
        continue;
      }
      stats.events += 1;
      const recordIncrements = planIncrements({
        counters: context.counters,
        message: parsed.message,
        position,
        sequenceNumber: parsed.sequenceNumber,
      });
      if (context.stamp)
        stampWatermark(recordIncrements, parsed.sequenceNumber, order, (counter) =>
          countsThroughRefs(context.rebuildMarks, counter, record),
        );
      plan.increments.push(...recordIncrements);
    } catch (error) {
      const keyable = context.toWatermark(readRecordFields(record).sequenceNumber) !== undefined;
      if (!context.setAside || !keyable || isCounterError(error, 'WatermarkRefused'))
        return { ...plan, failure: { position, error } };
      plan.aside.push({ position, record, error });
      plan.skipped.set(position, 'SetAside');
    }
  }
  return plan;
};
