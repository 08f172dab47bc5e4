import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient, _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';

import { isAwsError, isTransientError, sleep } from '../shared/retry.js';
import { CheckpointStore } from './checkpointStore.js';
import { UndeliverableRecordsError } from './errors.js';
import { invokeBatch, type FailedRecords, type StreamHandler } from './invokeBatch.js';
import { runnerSettings, type RunnerSettings } from './runnerSettings.js';
import { isReadyToRead, listShards, resolveStreamArn } from './shardDiscovery.js';
import type { RetentionGap } from './shardIterators.js';
import { readShard } from './shardReader.js';
import { initializeConsumer } from './startingPositions.js';

export interface StreamRunnerOptions {
  dynamoDBClient: DynamoDBClient;
  streamsClient: DynamoDBStreamsClient;
  /** The table whose stream is read. */
  tableName: string;
  /** Where the last handled sequence number of each shard is kept (createCheckpointTable). */
  checkpointTableName: string;
  /** Several consumers of one stream keep separate checkpoints. Default "default". */
  consumerName?: string;
  handler: StreamHandler;
  /**
   * Where a consumer with no checkpoint starts. LATEST applies to the shards open at its
   * very first start only (as Lambda's mapping); shards found later start at TRIM_HORIZON.
   */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  batchSize?: number;
  maximumBatchingWindowMs?: number;
  bisectBatchOnFunctionError?: boolean;
  /** Retries of a failing batch; -1 (Lambda's default) retries until it succeeds. Default 3. */
  maximumRetryAttempts?: number;
  retryDelay?: { baseDelayMs: number; maxDelayMs: number };
  /** Dead letter for records that still fail after every retry; without it the runner stops with UndeliverableRecordsError. */
  onFailure?: (failed: FailedRecords) => Promise<void> | void;
  onProgress?: (progress: StreamRunnerProgress) => void;
  /** Records lost to the stream's 24-hour retention before they were read (see RetentionGap). */
  onRetentionGap?: (gap: RetentionGap) => void;
  pollIntervalMs?: number;
  shardDiscoveryIntervalMs?: number;
  /** Consecutive empty reads after which an open shard counts as caught up (AWS may return empty pages before data). Default 3. */
  emptyReadsBeforeCaughtUp?: number;
  /** The time, for LATEST's starting point and the lag; a simulated stream passes its own. Default: the system clock. */
  clock?: () => Date;
  /** Stop after the batch in flight on SIGINT/SIGTERM. Default true. */
  stopOnSignals?: boolean;
}

export interface StreamRunnerProgress {
  read: number;
  committed: number;
  /** Records given to onFailure. */
  deadLettered: number;
  /** How old the last handled record is, from its approximate creation time (ms). */
  lagMs: number | undefined;
  activeShards: number;
  finishedShards: number;
  caughtUp: boolean;
  /** Times a shard resumed from TRIM_HORIZON because its checkpoint had been trimmed: records may be lost there. */
  retentionGaps: number;
}

/**
 * Runs a handler on a DynamoDB stream through the Streams API, with the semantics of a
 * Lambda event source mapping: shard lineage, batches, partial batch failures, bisect,
 * bounded retries, a dead letter, and checkpoints saved only after the handler succeeded.
 */
export class StreamRunner {
  private stopping = false;
  private wake: () => void = () => undefined;
  private readonly progress: StreamRunnerProgress = {
    read: 0,
    committed: 0,
    deadLettered: 0,
    lagMs: undefined,
    activeShards: 0,
    finishedShards: 0,
    caughtUp: false,
    retentionGaps: 0,
  };
  private readonly settings: RunnerSettings;

  /** Throws InvalidOptionError for an option that could only make it do nothing. */
  constructor(private readonly options: StreamRunnerOptions) {
    this.settings = runnerSettings(options);
  }

  /** Asks the runner to stop after the batches in flight; run() then resolves. */
  stop = (): void => {
    this.stopping = true;
    this.wake();
  };

  /** Runs until stop() (or a signal), or with untilCaughtUp until every shard is handled to its current end. */
  run = async ({ untilCaughtUp = false }: { untilCaughtUp?: boolean } = {}): Promise<StreamRunnerProgress> => {
    const removeSignalHandlers = this.options.stopOnSignals === false ? () => undefined : this.handleSignals();
    try {
      // DynamoDB away at start (restarting, throttling) is ridden out as it is later.
      const streamArn = await this.rideOutOutages(() => resolveStreamArn(this.options.dynamoDBClient, this.options.tableName));
      if (streamArn === undefined) return { ...this.progress };
      const checkpoints = new CheckpointStore({
        dynamoDBClient: this.options.dynamoDBClient,
        tableName: this.options.checkpointTableName,
        consumerName: this.settings.consumerName,
        streamArn,
      });
      const initialized = await this.rideOutOutages(async () => {
        const shards = await listShards(this.options.streamsClient, streamArn);
        await initializeConsumer({ streamsClient: this.options.streamsClient, streamArn, checkpoints, startingPosition: this.settings.startingPosition, shards, now: this.now });
        return true;
      });
      if (initialized === undefined) return { ...this.progress };
      await this.superviseShards({ streamArn, checkpoints, untilCaughtUp });
      return { ...this.progress };
    } finally {
      removeSignalHandlers();
    }
  };

  private superviseShards = async ({ streamArn, checkpoints, untilCaughtUp }: { streamArn: string; checkpoints: CheckpointStore; untilCaughtUp: boolean }) => {
    const workers = new Map<string, Promise<void>>();
    const caughtUp = new Set<string>();
    const finished = new Set<string>();
    let fatal: { error: unknown } | undefined;
    let outages = 0;
    while (!this.stopping) {
      let shards;
      try {
        shards = await listShards(this.options.streamsClient, streamArn);
        outages = 0;
      } catch (error) {
        if (!isTransientError(error)) throw error;
        await this.sleepUnlessWoken(this.outageDelay(++outages));
        continue;
      }
      const listed = new Set(shards.map((shard) => shard.ShardId as string));
      for (const shard of shards) {
        const shardId = shard.ShardId as string;
        if (workers.has(shardId) || finished.has(shardId) || !isReadyToRead(shard, listed, finished)) continue;
        const worker = this.readOneShard({ streamArn, checkpoints, shardId, caughtUp })
          .then((done) => {
            if (done) finished.add(shardId);
          })
          .catch(async (error: unknown) => {
            // DynamoDB away for a while (restarting, throttling): the shard is read again
            // from its checkpoint at the next discovery, nothing is skipped.
            if (isTransientError(error)) return sleep(this.outageDelay(1));
            // A closed shard past the retention is no longer listed: it is gone, with its
            // records; the next discovery lets its children start. (A stream that is gone
            // makes DescribeStream fail, which stops the runner.)
            if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
            fatal = { error };
            this.stop();
          })
          .finally(() => {
            workers.delete(shardId);
            this.wake();
          });
        workers.set(shardId, worker);
      }
      this.progress.activeShards = workers.size;
      this.progress.finishedShards = finished.size;
      this.progress.caughtUp = [...listed].every((id) => finished.has(id) || caughtUp.has(id));
      if (untilCaughtUp && this.progress.caughtUp) break;
      await this.sleepUnlessWoken(untilCaughtUp ? this.settings.pollIntervalMs : this.settings.shardDiscoveryIntervalMs);
    }
    this.stopping = true;
    await Promise.all(workers.values());
    this.options.onProgress?.({ ...this.progress, activeShards: 0 });
    if (fatal !== undefined) throw fatal.error;
  };

  private readOneShard = ({ streamArn, checkpoints, shardId, caughtUp }: { streamArn: string; checkpoints: CheckpointStore; shardId: string; caughtUp: Set<string> }) =>
    readShard({
      streamsClient: this.options.streamsClient,
      streamArn,
      shardId,
      checkpoints,
      batchSize: this.settings.batchSize,
      maximumBatchingWindowMs: this.settings.maximumBatchingWindowMs,
      pollIntervalMs: this.settings.pollIntervalMs,
      emptyReadsBeforeCaughtUp: this.settings.emptyReadsBeforeCaughtUp,
      isStopping: () => this.stopping,
      onRetentionGap: (gap) => {
        if (gap.reason === 'CheckpointTrimmed') this.progress.retentionGaps += 1;
        this.options.onRetentionGap?.(gap);
      },
      onRead: (records) => {
        caughtUp.delete(shardId);
        this.progress.read += records.length;
      },
      onCaughtUp: () => {
        caughtUp.add(shardId);
        this.wake();
      },
      handleBatch: (records) => this.handleBatch(shardId, checkpoints, records),
    });

  private handleBatch = (shardId: string, checkpoints: CheckpointStore, records: StreamsApiRecord[]) =>
    invokeBatch(records, {
      shardId,
      handler: this.options.handler,
      maximumRetryAttempts: this.settings.maximumRetryAttempts,
      bisectBatchOnFunctionError: this.settings.bisectBatchOnFunctionError,
      retryDelay: this.settings.retryDelay,
      isStopping: () => this.stopping,
      onHandled: async (lastRecord, { committed, failed }) => {
        // Only after the handler succeeded (or the records went to the dead letter).
        await checkpoints.save(shardId, { sequenceNumber: lastRecord.dynamodb?.SequenceNumber as string, finished: false });
        this.progress.committed += committed;
        this.progress.deadLettered += failed;
        const createdAt = lastRecord.dynamodb?.ApproximateCreationDateTime;
        this.progress.lagMs = createdAt === undefined ? undefined : Math.max(0, this.now().getTime() - new Date(createdAt).getTime());
        this.options.onProgress?.({ ...this.progress });
      },
      onFailure: async (failed) => {
        if (this.options.onFailure === undefined) {
          throw new UndeliverableRecordsError(shardId, failed.records.map((r) => r.dynamodb?.SequenceNumber ?? '?'), failed.error);
        }
        await this.options.onFailure(failed);
      },
    });

  private now = (): Date => this.options.clock?.() ?? new Date();

  private outageDelay = (outages: number) => Math.min(5_000, 100 * 2 ** Math.min(outages, 6));

  /** Calls until it succeeds, waiting out transient errors; undefined when stopped meanwhile. */
  private rideOutOutages = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    for (let outages = 1; !this.stopping; outages++) {
      try {
        return await call();
      } catch (error) {
        if (!isTransientError(error)) throw error;
        await this.sleepUnlessWoken(this.outageDelay(outages));
      }
    }
    return undefined;
  };

  private sleepUnlessWoken = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  private handleSignals = () => {
    const onSignal = () => this.stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
  };
}
