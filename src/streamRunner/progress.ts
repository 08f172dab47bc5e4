import {
  oldestRecordAgeMs,
  recordCreatedAtMs,
  type StreamsApiRecord,
} from '../imageParser/index.js';
import type { BatchFates } from '../streamBatch/index.js';
import type { StreamHandler } from './invokeBatch.js';

/**
 * The fates of the records the handler reported (CounterProjection's processRecords does),
 * added up over a run: a record retried counts once per attempt.
 */
export interface FateTotals {
  counted: number;
  duplicate: number;
  skipped: number;
  failed: number;
}

export const noFates = (): FateTotals => ({ counted: 0, duplicate: 0, skipped: 0, failed: 0 });

/** The totals with a batch's fates added: a new object, so that earlier progress copies stay as they were. */
export const addFates = (totals: FateTotals, fates: BatchFates): FateTotals => ({
  counted: totals.counted + fates.counted,
  duplicate: totals.duplicate + fates.duplicate,
  skipped: totals.skipped + Object.values(fates.skipped).reduce((sum, n) => sum + n, 0),
  failed: totals.failed + fates.failed,
});

/**
 * The handler, adding to the progress what its results report (fates, transactions and
 * retries: processRecords' results do) and the age of each batch's oldest record. A batch
 * the handler throws on failed whole: its records are counted failed, as a handler that
 * reports its failures counts them.
 */
export const withHandlerTotals =
  (handler: StreamHandler, progress: StreamRunnerProgress): StreamHandler =>
  async (records, context) => {
    progress.oldestRecordAgeMs = oldestRecordAgeMs(records, new Date());
    const result = await handler(records, context).catch((error: unknown) => {
      progress.fates = { ...progress.fates, failed: progress.fates.failed + records.length };
      throw error;
    });
    if (result?.fates !== undefined) progress.fates = addFates(progress.fates, result.fates);
    progress.transactions += result?.stats?.transactions ?? 0;
    progress.transactionRetries += result?.stats?.retries ?? 0;
    return result;
  };

/** What the runner reports through onProgress (copies: each call gets its own). */
export interface StreamRunnerProgress {
  read: number;
  committed: number;
  /** Records given to onFailure. */
  deadLettered: number;
  /**
   * How old the last handled record is, from its approximate creation time (ms); once a
   * shard is read to its current end its lag is 0 (nothing of it waits), and this the
   * largest lag of the shards being read.
   */
  lagMs: number | undefined;
  /** Per shard being read, as `lagMs` (a finished shard leaves it; a caught-up one is 0). */
  lagMsByShard: Record<string, number>;
  activeShards: number;
  finishedShards: number;
  caughtUp: boolean;
  /**
   * Times a shard resumed from TRIM_HORIZON because its checkpoint had been trimmed, or a
   * checkpointed shard had expired before it was read to its end: records may be lost there.
   */
  retentionGaps: number;
  /** Batches a stop ended while they were still failing: not checkpointed, read again by the next run. */
  abandonedBatches: number;
  /** While DynamoDB or its stream cannot be reached: since when, and the last error. */
  outage: { since: string; error: string } | undefined;
  /** What became of the records, when the handler's results say (`fates`); a batch the handler throws on counts as failed. */
  fates: FateTotals;
  /** Transactions the handler sent, and its retries of them (throttling, conflicts), when its results say (`stats`). */
  transactions: number;
  transactionRetries: number;
  /** How old the oldest record of the latest batch given to the handler was when it was given (ms). */
  oldestRecordAgeMs: number | undefined;
}

export const initialProgress = (): StreamRunnerProgress => ({
  read: 0,
  committed: 0,
  deadLettered: 0,
  lagMs: undefined,
  lagMsByShard: {},
  activeShards: 0,
  finishedShards: 0,
  caughtUp: false,
  retentionGaps: 0,
  abandonedBatches: 0,
  outage: undefined,
  fates: noFates(),
  transactions: 0,
  transactionRetries: 0,
  oldestRecordAgeMs: undefined,
});

/** A batch of a shard handled (committed or dead-lettered): the totals and that shard's lag. */
export const recordHandled = (
  progress: StreamRunnerProgress,
  {
    shardId,
    lastRecord,
    committed,
    failed,
    now,
  }: {
    shardId: string;
    lastRecord: StreamsApiRecord;
    committed: number;
    failed: number;
    now: Date;
  },
): void => {
  progress.committed += committed;
  progress.deadLettered += failed;
  const createdAt = recordCreatedAtMs(lastRecord);
  progress.lagMs = createdAt === undefined ? undefined : Math.max(0, now.getTime() - createdAt);
  // A new object each time: the copies given to onProgress stay as they were.
  if (progress.lagMs !== undefined)
    progress.lagMsByShard = { ...progress.lagMsByShard, [shardId]: progress.lagMs };
};

/**
 * A shard read to its current end: nothing of it waits, so its lag is 0 and `lagMs` the
 * largest of the others (the last handled record's age would otherwise stay shown while idle).
 */
export const shardCaughtUp = (progress: StreamRunnerProgress, shardId: string): void => {
  progress.lagMsByShard = { ...progress.lagMsByShard, [shardId]: 0 };
  progress.lagMs = Math.max(...Object.values(progress.lagMsByShard));
};

/** Finished shards are read no more: their lag would only get stale. */
export const forgetFinishedShards = (
  progress: StreamRunnerProgress,
  finished: ReadonlySet<string>,
): void => {
  progress.lagMsByShard = Object.fromEntries(
    Object.entries(progress.lagMsByShard).filter(([id]) => !finished.has(id)),
  );
};
