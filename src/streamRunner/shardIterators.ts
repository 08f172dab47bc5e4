import {
  type _Record as StreamsApiRecord,
  type DynamoDBStreamsClient,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';

import type { ShardCheckpoint } from '../checkpoints/index.js';
import { isAwsError } from '../shared/index.js';

/** Where a shard's reading resumes: after a handled record, from LATEST's saved iterator, or from the oldest record kept. */
export type ShardStart =
  | { kind: 'after'; sequenceNumber: string }
  | { kind: 'at'; sequenceNumber: string }
  | { kind: 'iterator'; iterator: string; takenAt: string }
  | { kind: 'trimHorizon'; skipCreatedBefore?: Date };

/**
 * Records the runner may never have seen: its checkpoint (or LATEST's iterator) fell out
 * of the stream's 24-hour retention before it was read on (`CheckpointTrimmed`,
 * `LatestIteratorExpired`), or the checkpointed shard itself did, closed, before it was read
 * to its end (`ShardExpired`: no longer listed). The Streams API tells neither which nor how
 * many: only that records after `afterSequenceNumber` and before the first one read now
 * (of the shard, or of its children) are gone.
 */
export interface RetentionGap {
  shardId: string;
  reason: 'CheckpointTrimmed' | 'LatestIteratorExpired' | 'ShardExpired';
  afterSequenceNumber?: string;
}

export interface IteratorContext {
  streamsClient: DynamoDBStreamsClient;
  streamArn: string;
  shardId: string;
  /** Resolves once the gap is saved and told (the shard hands over nothing before). */
  onRetentionGap: (gap: RetentionGap) => Promise<void>;
}

/**
 * An iterator for the start. A checkpoint older than the retention makes
 * AFTER_SEQUENCE_NUMBER fail with TrimmedDataAccessException: the shard then resumes from
 * TRIM_HORIZON (the oldest record kept, what AWS recommends) and the gap is reported,
 * instead of the runner stopping on a condition AWS produces in normal operation.
 */
export const iteratorFor = async (
  context: IteratorContext,
  start: ShardStart,
): Promise<{ iterator: string | undefined; start: ShardStart }> => {
  if (start.kind === 'iterator') return { iterator: start.iterator, start };
  if (start.kind === 'after' || start.kind === 'at') {
    try {
      const type = start.kind === 'after' ? 'AFTER_SEQUENCE_NUMBER' : 'AT_SEQUENCE_NUMBER';
      return { iterator: await getIterator(context, type, start.sequenceNumber), start };
    } catch (error) {
      if (!isAwsError(error, 'TrimmedDataAccessException')) throw error;
      await context.onRetentionGap({
        shardId: context.shardId,
        reason: 'CheckpointTrimmed',
        afterSequenceNumber: start.sequenceNumber,
      });
      return iteratorFor(context, { kind: 'trimHorizon' });
    }
  }
  return { iterator: await getIterator(context, 'TRIM_HORIZON'), start };
};

export const getIterator = async (
  context: Pick<IteratorContext, 'streamsClient' | 'streamArn' | 'shardId'>,
  type: 'TRIM_HORIZON' | 'LATEST' | 'AFTER_SEQUENCE_NUMBER' | 'AT_SEQUENCE_NUMBER',
  sequenceNumber?: string,
): Promise<string | undefined> => {
  const { ShardIterator } = await context.streamsClient.send(
    new GetShardIteratorCommand({
      StreamArn: context.streamArn,
      ShardId: context.shardId,
      ShardIteratorType: type,
      ...(sequenceNumber !== undefined ? { SequenceNumber: sequenceNumber } : {}),
    }),
  );
  return ShardIterator;
};

/**
 * How far ahead of AWS's clock the host's may be without a LATEST start skipping a record
 * written after it: AWS stamps records with its own clock, the start is the host's.
 */
export const LATEST_CLOCK_SKEW_MS = 5 * 60_000;

/** The stream's retention: records older than this may be trimmed. */
export const STREAM_RETENTION_MS = 24 * 3_600_000;

/**
 * After an iterator failed (expired after 15 minutes, or trimmed): resume after the last
 * handled record; with none handled yet, LATEST's saved iterator cannot be taken again,
 * so the shard is read from TRIM_HORIZON, skipping records created before the start less
 * LATEST_CLOCK_SKEW_MS, rounded down to the minute (creation times are rounded: to the
 * second on AWS, the minute on DynamoDB Local). Records written up to about six minutes
 * before the start may then be handled; none after it is skipped.
 */
export const startAfterFailure = (
  lastHandled: string | undefined,
  start: ShardStart,
): ShardStart => {
  if (lastHandled !== undefined) return { kind: 'after', sequenceNumber: lastHandled };
  if (start.kind === 'iterator') {
    const cut = Date.parse(start.takenAt) - LATEST_CLOCK_SKEW_MS;
    return {
      kind: 'trimHorizon',
      ...(Number.isNaN(cut) ? {} : { skipCreatedBefore: new Date(cut - (cut % 60_000)) }),
    };
  }
  return start;
};

/**
 * Whether records written after a LATEST start may be past the retention now: only then is
 * an expired LATEST iterator a gap (an idle shard's iterator expires every 15 minutes).
 */
export const latestStartMayBeTrimmed = (takenAt: string, now: Date): boolean => {
  const taken = Date.parse(takenAt);
  return Number.isNaN(taken) || now.getTime() - taken >= STREAM_RETENTION_MS - LATEST_CLOCK_SKEW_MS;
};

/**
 * How long before the retention ends a reading that handled nothing counts as maybe
 * trimmed: AWS trims by its own clock (the host's may lag it by minutes), records written a
 * little before the reading began (the shard was found holding some) are that much older,
 * and a start takes a while before its first records are read (throttling, empty pages).
 * An hour covers these; a false alarm costs a gap told for a shard left a day (23 hours)
 * with nothing handled, a missed one a count that reads exact and is not.
 */
export const READING_SINCE_MARGIN_MS = 3_600_000;

/**
 * Whether a shard read from TRIM_HORIZON since `readingSince` (no record handled since,
 * no LATEST start) may have lost records to the retention before they were read: with no
 * checkpoint to resume after, AWS reports no trimming (TRIM_HORIZON is always valid).
 */
export const unreadMayBeTrimmed = (checkpoint: ShardCheckpoint, now: Date): boolean => {
  if (
    checkpoint.readingSince === undefined ||
    checkpoint.sequenceNumber !== undefined ||
    checkpoint.latest !== undefined
  )
    return false;
  const since = Date.parse(checkpoint.readingSince);
  return (
    Number.isNaN(since) || now.getTime() - since >= STREAM_RETENTION_MS - READING_SINCE_MARGIN_MS
  );
};

/** Drops the records a TRIM_HORIZON resumption of a LATEST start skips (startAfterFailure). */
export const skipOlderThanStart = (
  records: StreamsApiRecord[],
  start: ShardStart,
): StreamsApiRecord[] => {
  if (start.kind !== 'trimHorizon' || start.skipCreatedBefore === undefined) return records;
  const limit = start.skipCreatedBefore.getTime();
  return records.filter(
    (record) => (record.dynamodb?.ApproximateCreationDateTime?.getTime() ?? limit) >= limit,
  );
};

/**
 * Where a shard's reading starts from its checkpoint: after the last handled record; at the
 * first record a LATEST start handed over (its anchor); from LATEST's saved iterator; with
 * no checkpoint, TRIM_HORIZON. Lambda applies LATEST only to the shards open when the
 * consumer first started (their iterators were saved then); a shard found later holds only
 * records written after that start and is read from its beginning.
 */
export const startOf = (checkpoint: ShardCheckpoint | undefined): ShardStart => {
  if (checkpoint?.sequenceNumber !== undefined)
    return { kind: 'after', sequenceNumber: checkpoint.sequenceNumber };
  if (checkpoint?.latest?.first !== undefined)
    return { kind: 'at', sequenceNumber: checkpoint.latest.first };
  if (checkpoint?.latest !== undefined) {
    const { iterator, takenAt } = checkpoint.latest;
    return { kind: 'iterator', iterator, takenAt };
  }
  return { kind: 'trimHorizon' };
};

/** Whether a start comes from LATEST without an anchor yet: its first batch fixes one. */
export const startsFromLatest = (start: ShardStart): boolean =>
  start.kind === 'iterator' ||
  (start.kind === 'trimHorizon' && start.skipCreatedBefore !== undefined);
