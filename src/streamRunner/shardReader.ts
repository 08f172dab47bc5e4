import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamsApiRecord,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';

import { sleep } from '../counterProjection/retry.js';
import type { CheckpointStore } from './checkpointStore.js';

export interface ShardReaderOptions {
  streamsClient: DynamoDBStreamsClient;
  streamArn: string;
  shardId: string;
  checkpoints: CheckpointStore;
  /** Where to start when the shard has no checkpoint. */
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  batchSize: number;
  /** How long to gather records before calling the handler with fewer than batchSize. */
  maximumBatchingWindowMs: number;
  pollIntervalMs: number;
  isStopping: () => boolean;
  /** Handles a batch in order; resolves once it is checkpointed. */
  handleBatch: (records: StreamsApiRecord[]) => Promise<void>;
  onRead: (records: StreamsApiRecord[]) => void;
  /** Everything read so far is handled and the last read was empty. */
  onCaughtUp: () => void;
}

/** Iterator errors that a fresh iterator from the checkpoint gets past, without losing records. */
const RECOVERABLE = new Set(['ExpiredIteratorException', 'TrimmedDataAccessException']);

/**
 * Reads one shard from its checkpoint to its end (or until stopped), handing batches
 * over in order. Returns true when the shard is closed and fully handled.
 */
export const readShard = async (options: ShardReaderOptions): Promise<boolean> => {
  const checkpoint = await options.checkpoints.get(options.shardId);
  if (checkpoint?.finished === true) return true;
  let lastHandled = checkpoint?.sequenceNumber;
  let iterator: string | undefined = await getIterator(options, lastHandled, false);
  let buffer: StreamsApiRecord[] = [];
  let bufferSince = Date.now();

  const flush = async () => {
    const batch = buffer;
    buffer = [];
    await options.handleBatch(batch);
    lastHandled = batch[batch.length - 1]?.dynamodb?.SequenceNumber ?? lastHandled;
  };

  while (iterator !== undefined && !options.isStopping()) {
    let page;
    try {
      page = await options.streamsClient.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(1000, options.batchSize) }));
    } catch (error) {
      if (!RECOVERABLE.has((error as Error).name)) throw error;
      // Includes DynamoDB Local's fault on iterators taken while the shard was empty.
      if (buffer.length > 0) await flush();
      iterator = await getIterator(options, lastHandled, true);
      continue;
    }
    const records = page.Records ?? [];
    if (buffer.length === 0) bufferSince = Date.now();
    buffer.push(...records);
    iterator = page.NextShardIterator;
    if (records.length > 0) options.onRead(records);
    while (buffer.length >= options.batchSize) {
      const rest = buffer.slice(options.batchSize);
      buffer = buffer.slice(0, options.batchSize);
      await flush();
      buffer = rest;
    }
    const windowElapsed = Date.now() - bufferSince >= options.maximumBatchingWindowMs;
    if (buffer.length > 0 && (records.length === 0 || windowElapsed || iterator === undefined)) await flush();
    if (records.length === 0 && buffer.length === 0) options.onCaughtUp();
    if (records.length === 0 && iterator !== undefined) await sleep(options.pollIntervalMs);
  }
  if (buffer.length > 0) await flush();
  if (iterator !== undefined) return false;
  await options.checkpoints.save(options.shardId, { ...(lastHandled !== undefined ? { sequenceNumber: lastHandled } : {}), finished: true });
  return true;
};

/**
 * From the checkpoint when there is one. Recovering with nothing handled yet takes
 * TRIM_HORIZON even if the start was LATEST: records may be handled again (handlers are
 * idempotent, as Lambda's must be), but none is skipped.
 */
const getIterator = async (options: ShardReaderOptions, afterSequenceNumber: string | undefined, recovering: boolean): Promise<string | undefined> => {
  const type: ShardIteratorType =
    afterSequenceNumber !== undefined ? 'AFTER_SEQUENCE_NUMBER' : recovering ? 'TRIM_HORIZON' : options.startingPosition;
  const { ShardIterator } = await options.streamsClient.send(
    new GetShardIteratorCommand({
      StreamArn: options.streamArn,
      ShardId: options.shardId,
      ShardIteratorType: type,
      ...(afterSequenceNumber !== undefined ? { SequenceNumber: afterSequenceNumber } : {}),
    }),
  );
  return ShardIterator;
};
