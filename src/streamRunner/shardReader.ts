import {
  type _Record as StreamsApiRecord,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
} from '@aws-sdk/client-dynamodb-streams';

import type { ShardCheckpoint } from '../checkpoints/index.js';
import { readRecordFields } from '../imageParser/index.js';
import { isAwsError, sleep, withRetry } from '../shared/index.js';
import { matchesFilterPattern } from './filterPattern.js';
import { anchorFirstBatch } from './latestAnchor.js';
import {
  iteratorFor,
  latestStartMayBeTrimmed,
  type ShardStart,
  skipOlderThanStart,
  startAfterFailure,
  startOf,
  startsFromLatest,
  unreadMayBeTrimmed,
} from './shardIterators.js';
import type { ShardReaderOptions } from './shardReaderOptions.js';

export type { ShardReaderOptions };

const THROTTLED_READ_RETRY = {
  maxAttempts: Number.POSITIVE_INFINITY,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
};

/** Iterator errors that a fresh iterator (from the checkpoint) gets past. */
const ITERATOR_LOST = ['ExpiredIteratorException', 'TrimmedDataAccessException'];

/**
 * Reads one shard from its checkpoint to its end (or until stopped), handing batches
 * over in order. Returns true when the shard is closed and fully handled.
 */
export const readShard = async (options: ShardReaderOptions): Promise<boolean> => {
  const checkpoint = await checkpointOrReadingSince(options);
  // An untold gap first, even on a shard another runner finished: its children wait for it.
  if (checkpoint.untoldGap !== undefined) await options.tellGap(checkpoint.untoldGap);
  if (checkpoint.finished) return true;
  if (unreadMayBeTrimmed(checkpoint, options.now())) {
    // Read since a day or so and nothing handled: what the shard held first may be trimmed
    // unread, and TRIM_HORIZON says nothing of it. A gap told just before covers it.
    if (checkpoint.untoldGap === undefined)
      await options.onRetentionGap({ shardId: options.shardId, reason: 'CheckpointTrimmed' });
    await options.checkpoints.restartReading(options.shardId, options.now().toISOString());
  }
  const reading = new ShardReading(options, checkpoint.sequenceNumber);
  await reading.begin(startOf(checkpoint));
  while (reading.canGoOn()) {
    const page = await reading.readPage();
    if (page !== undefined) await reading.take(page);
  }
  return reading.end();
};

/**
 * The shard's checkpoint; with none, one saying since when it is read (one conditional
 * write per shard, never over another runner's: the checkpoint it saved first is kept).
 * A shard found empty saves no other until its first batch or its end: without it, a
 * runner down a day would read it from TRIM_HORIZON and lose what was trimmed, untold.
 */
const checkpointOrReadingSince = async (options: ShardReaderOptions): Promise<ShardCheckpoint> =>
  (await options.checkpoints.get(options.shardId)) ??
  options.checkpoints.saveIfAbsent(options.shardId, {
    finished: false,
    readingSince: options.now().toISOString(),
  });

/** One pass over a shard: its iterator, the records read but not yet handled, and the last one handled. */
class ShardReading {
  private iterator: string | undefined;
  private start: ShardStart = { kind: 'trimHorizon' };
  private buffer: StreamsApiRecord[] = [];
  private bufferSince = Date.now();
  private emptyReads = 0;
  /** Stopped while a batch kept failing: it was neither handled nor checkpointed. */
  private abandoned = false;

  constructor(
    private readonly options: ShardReaderOptions,
    private lastHandled: string | undefined,
  ) {}

  begin = async (start: ShardStart): Promise<void> => {
    ({ iterator: this.iterator, start: this.start } = await iteratorFor(this.options, start));
  };

  canGoOn = (): boolean =>
    this.iterator !== undefined && !this.options.isStopping() && !this.abandoned;

  /** The next page, or undefined when the read must be tried again (throttled, or a new iterator taken). */
  readPage = async (): Promise<GetRecordsCommandOutput | undefined> => {
    const throttled = (error: unknown) => isAwsError(error, 'LimitExceededException');
    try {
      // Over ~5 reads a second on the shard: the iterator stays good, read again later,
      // for as long as it takes (unless the runner stops).
      return await withRetry(
        () =>
          this.options.streamsClient.send(
            new GetRecordsCommand({
              ShardIterator: this.iterator,
              Limit: Math.min(1000, this.options.batchSize),
            }),
          ),
        {
          ...THROTTLED_READ_RETRY,
          isRetryable: (error) => throttled(error) && !this.options.isStopping(),
        },
      );
    } catch (error) {
      if (throttled(error)) return undefined;
      if (!ITERATOR_LOST.some((name) => isAwsError(error, name))) throw error;
      await this.replaceIterator();
      return undefined;
    }
  };

  /** Expired or trimmed (including DynamoDB Local's fault on iterators taken while the shard was empty). */
  private replaceIterator = async () => {
    if (this.buffer.length > 0) await this.flush();
    const resumed = startAfterFailure(this.lastHandled, this.start);
    if (
      this.start.kind === 'iterator' &&
      resumed.kind === 'trimHorizon' &&
      latestStartMayBeTrimmed(this.start.takenAt, this.options.now())
    ) {
      await this.options.onRetentionGap({
        shardId: this.options.shardId,
        reason: 'LatestIteratorExpired',
      });
    }
    await this.begin(resumed);
  };

  /** Buffers a page and hands over the batches that are due: full ones, and the rest when the shard pauses or ends. */
  take = async (page: GetRecordsCommandOutput): Promise<void> => {
    const read = page.Records ?? [];
    const records = this.delivered(read);
    if (this.buffer.length === 0) this.bufferSince = Date.now();
    this.buffer.push(...records);
    this.iterator = page.NextShardIterator;
    if (records.length > 0) this.options.onRead(records);
    this.emptyReads = read.length > 0 ? 0 : this.emptyReads + 1;
    while (this.buffer.length >= this.options.batchSize) await this.flush(this.options.batchSize);
    const windowElapsed = Date.now() - this.bufferSince >= this.options.maximumBatchingWindowMs;
    const due = records.length === 0 || windowElapsed || this.iterator === undefined;
    if (this.buffer.length > 0 && due) await this.flush();
    if (this.buffer.length === 0 && this.emptyReads >= this.options.emptyReadsBeforeCaughtUp)
      this.options.onCaughtUp();
    if (read.length > 0 || this.iterator === undefined) return;
    await this.options.onIdle?.();
    await sleep(this.options.pollIntervalMs);
  };

  /** What the mapping delivers of a page: from its start on, and what its filter keeps. */
  private delivered = (read: StreamsApiRecord[]): StreamsApiRecord[] => {
    const { filter } = this.options;
    const started = skipOlderThanStart(read, this.start);
    return filter === undefined ? started : started.filter((r) => matchesFilterPattern(filter, r));
  };

  private flush = async (count = this.buffer.length) => {
    let batch = this.buffer.slice(0, count);
    this.buffer = this.buffer.slice(count);
    if (this.lastHandled === undefined && startsFromLatest(this.start)) {
      const anchored = await anchorFirstBatch(this.options, batch);
      ({ batch } = anchored);
      if (anchored.start !== undefined) this.start = anchored.start;
      if (batch.length === 0) return;
    }
    if (!(await this.options.handleBatch(batch))) {
      this.abandoned = true;
      this.buffer = [];
      return;
    }
    const last = batch[batch.length - 1];
    this.lastHandled =
      (last !== undefined ? readRecordFields(last).sequenceNumber : undefined) ?? this.lastHandled;
  };

  /** True when the shard is closed and every record of it handled: then checkpointed as finished. */
  end = async (): Promise<boolean> => {
    if (this.buffer.length > 0 && !this.abandoned) await this.flush();
    await this.options.onIdle?.();
    if (this.iterator !== undefined || this.abandoned) return false;
    // A gap another runner saved here and could not tell: told before the children are read.
    const stored = await this.options.checkpoints.get(this.options.shardId);
    if (stored?.untoldGap !== undefined) await this.options.tellGap(stored.untoldGap);
    const sequenceNumber = this.lastHandled;
    await this.options.checkpoints.save(this.options.shardId, {
      ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
      finished: true,
    });
    return true;
  };
}
