import type { SkipReason } from '../imageParser/index.js';
import { type BatchFates, errorCodeOf } from '../streamBatch/index.js';
import type { PlannedIncrement } from './writePath/planIncrements.js';

/**
 * Why a record changed no count: the parser's reasons, an event that no counter counts, a
 * record set aside (it failed for a reason of its own in a batch of shardWatermark
 * counters: countSetAside counts it once fixed), or a record of a replayed dead letter
 * that only shardWatermark counters count (they are marked not exact instead).
 */
export type RecordSkipReason = SkipReason | 'NoCounter' | 'SetAside' | 'NotExact';

export const RECORD_SKIP_REASONS: readonly RecordSkipReason[] = [
  'NotAnInsert',
  'UnknownEventStore',
  'NoCounter',
  'SetAside',
  'NotExact',
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
    skipped: { NotAnInsert: 0, UnknownEventStore: 0, NoCounter: 0, SetAside: 0, NotExact: 0 },
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

/**
 * The skips with, as NotExact, the records whose every planned increment was dropped before
 * the commit (a replayed dead letter's, for shardWatermark counters, which are marked not
 * exact instead): without it they would read as events no counter counts.
 */
export const withDroppedAsNotExact = (
  skipped: ReadonlyMap<number, RecordSkipReason>,
  { planned, kept }: { planned: readonly PlannedIncrement[]; kept: readonly PlannedIncrement[] },
): ReadonlyMap<number, RecordSkipReason> => {
  const keptAt = new Set(kept.map(({ position }) => position));
  const all = new Map(skipped);
  for (const { position } of planned)
    if (!keptAt.has(position) && !all.has(position)) all.set(position, 'NotExact');
  return all;
};
