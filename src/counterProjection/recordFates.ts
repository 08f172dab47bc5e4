import type { SkipReason } from '../imageParser/index.js';
import { type BatchFates, errorCodeOf } from '../streamBatch/index.js';

/**
 * Why a record changed no count: the parser's reasons, an event that no counter counts, or
 * a record set aside (it failed for a reason of its own in a batch of shardWatermark
 * counters: countSetAside counts it once fixed).
 */
export type RecordSkipReason = SkipReason | 'NoCounter' | 'SetAside';

export const RECORD_SKIP_REASONS: readonly RecordSkipReason[] = [
  'NotAnInsert',
  'UnknownEventStore',
  'NoCounter',
  'SetAside',
];

/**
 * What became of each record of a batch; the four fates add up to the batch's records.
 * These are the figures the handler reports as metrics and logs.
 */
// A type, not an interface: a log's attributes must be indexable (Powertools' Logger).
export type RecordFates = BatchFates & {
  /** Records at least one of whose increments was applied now. */
  counted: number;
  /** Records whose every increment had been applied before (a redelivery, a replay). */
  duplicate: number;
  skipped: Record<RecordSkipReason, number>;
};

/** What processRecords learnt of each position of the batch. */
export interface BatchOutcome {
  records: number;
  skipped: ReadonlyMap<number, RecordSkipReason>;
  countedAt: ReadonlySet<number>;
  duplicateAt: ReadonlySet<number>;
  failure?: { position: number; error: unknown };
}

/**
 * Each record's fate. Records from the failing one on are failed, whatever part of them
 * committed: Lambda delivers them again, and their committed increments are then duplicates.
 */
export const recordFates = (outcome: BatchOutcome): RecordFates => {
  const failedFrom = outcome.failure?.position ?? outcome.records;
  const fates: RecordFates = {
    counted: 0,
    duplicate: 0,
    skipped: { NotAnInsert: 0, UnknownEventStore: 0, NoCounter: 0, SetAside: 0 },
    failed: outcome.records - failedFrom,
  };
  for (let position = 0; position < failedFrom; position++) {
    const skipReason = outcome.skipped.get(position);
    if (skipReason !== undefined) fates.skipped[skipReason] += 1;
    else if (outcome.countedAt.has(position)) fates.counted += 1;
    else if (outcome.duplicateAt.has(position)) fates.duplicate += 1;
    else fates.skipped.NoCounter += 1;
  }
  if (outcome.failure !== undefined) fates.failedCode = errorCodeOf(outcome.failure.error);
  return fates;
};
