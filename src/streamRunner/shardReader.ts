import { GetRecordsCommand, type DynamoDBStreamsClient, type _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';

import { backoffDelay, isAwsError, sleep } from '../shared/retry.js';
import type { CheckpointStore, ShardCheckpoint } from './checkpointStore.js';
import { iteratorFor, startAfterFailure, type RetentionGap, type ShardStart } from './shardIterators.js';

export interface ShardReaderOptions {
  streamsClient: DynamoDBStreamsClient;
  streamArn: string;
  shardId: string;
  checkpoints: CheckpointStore;
  batchSize: number;
  /** How long to gather records before calling the handler with fewer than batchSize. */
  maximumBatchingWindowMs: number;
  pollIntervalMs: number;
  /** Consecutive empty reads of an open shard taken as "caught up" (an empty page is not the end on AWS). */
  emptyReadsBeforeCaughtUp: number;
  isStopping: () => boolean;
  /** Handles a batch in order; resolves once it is checkpointed, to false if it was given up because the runner stops. */
  handleBatch: (records: StreamsApiRecord[]) => Promise<boolean>;
  onRead: (records: StreamsApiRecord[]) => void;
  /** Everything read so far is handled and the shard gave nothing new for a while. */
  onCaughtUp: () => void;
  onRetentionGap: (gap: RetentionGap) => void;
}

/** Iterator errors that a fresh iterator (from the checkpoint) gets past. */
const ITERATOR_LOST = ['ExpiredIteratorException', 'TrimmedDataAccessException'];

/**
 * Reads one shard from its checkpoint to its end (or until stopped), handing batches
 * over in order. Returns true when the shard is closed and fully handled.
 */
export const readShard = async (options: ShardReaderOptions): Promise<boolean> => {
  const checkpoint = await options.checkpoints.get(options.shardId);
  if (checkpoint?.finished === true) return true;
  let lastHandled = checkpoint?.sequenceNumber;
  let { iterator, start } = await iteratorFor(options, startOf(checkpoint));
  let buffer: StreamsApiRecord[] = [];
  let bufferSince = Date.now();
  let emptyReads = 0;
  let throttled = 0;

  let abandoned = false;
  const flush = async (count = buffer.length) => {
    const batch = buffer.slice(0, count);
    buffer = buffer.slice(count);
    if (!(await options.handleBatch(batch))) {
      // Stopped while the batch kept failing: not handled, not checkpointed, read again next time.
      abandoned = true;
      buffer = [];
      return;
    }
    lastHandled = batch[batch.length - 1]?.dynamodb?.SequenceNumber ?? lastHandled;
  };

  while (iterator !== undefined && !options.isStopping() && !abandoned) {
    let page;
    try {
      page = await options.streamsClient.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(1000, options.batchSize) }));
      throttled = 0;
    } catch (error) {
      if (isAwsError(error, 'LimitExceededException')) {
        // Over ~5 reads a second on the shard: the iterator stays good, read again later.
        await sleep(backoffDelay(++throttled, { maxAttempts: 0, baseDelayMs: 200, maxDelayMs: 5_000 }));
        continue;
      }
      if (!ITERATOR_LOST.some((name) => isAwsError(error, name))) throw error;
      // Includes DynamoDB Local's fault on iterators taken while the shard was empty.
      if (buffer.length > 0) await flush();
      const resumed = startAfterFailure(lastHandled, start);
      if (start.kind === 'iterator' && resumed.kind === 'trimHorizon') {
        options.onRetentionGap({ shardId: options.shardId, reason: 'LatestIteratorExpired' });
      }
      ({ iterator, start } = await iteratorFor(options, resumed));
      continue;
    }
    const records = skipOlderThanStart(page.Records ?? [], start);
    if (buffer.length === 0) bufferSince = Date.now();
    buffer.push(...records);
    iterator = page.NextShardIterator;
    if (records.length > 0) options.onRead(records);
    emptyReads = (page.Records ?? []).length > 0 ? 0 : emptyReads + 1;
    while (buffer.length >= options.batchSize) await flush(options.batchSize);
    const windowElapsed = Date.now() - bufferSince >= options.maximumBatchingWindowMs;
    if (buffer.length > 0 && (records.length === 0 || windowElapsed || iterator === undefined)) await flush();
    if (buffer.length === 0 && emptyReads >= options.emptyReadsBeforeCaughtUp) options.onCaughtUp();
    if (records.length === 0 && iterator !== undefined) await sleep(options.pollIntervalMs);
  }
  if (buffer.length > 0 && !abandoned) await flush();
  if (iterator !== undefined || abandoned) return false;
  await options.checkpoints.save(options.shardId, { ...(lastHandled !== undefined ? { sequenceNumber: lastHandled } : {}), finished: true });
  return true;
};

/**
 * No checkpoint: TRIM_HORIZON. Lambda applies LATEST only to the shards open when the
 * consumer first started (their iterators were saved then, startingPositions.ts); a shard
 * found later holds only records written after that start and is read from its beginning.
 */
const startOf = (checkpoint: ShardCheckpoint | undefined): ShardStart => {
  if (checkpoint?.sequenceNumber !== undefined) return { kind: 'after', sequenceNumber: checkpoint.sequenceNumber };
  if (checkpoint?.latest !== undefined) return { kind: 'iterator', ...checkpoint.latest };
  return { kind: 'trimHorizon' };
};

const skipOlderThanStart = (records: StreamsApiRecord[], start: ShardStart): StreamsApiRecord[] => {
  if (start.kind !== 'trimHorizon' || start.skipCreatedBefore === undefined) return records;
  const limit = start.skipCreatedBefore.getTime();
  return records.filter((record) => (record.dynamodb?.ApproximateCreationDateTime?.getTime() ?? limit) >= limit);
};
