import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient, _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';

import { CheckpointStore } from './checkpointStore.js';
import { UndeliverableRecordsError } from './errors.js';
import { isTransientError, sleep } from '../counterProjection/retry.js';
import { invokeBatch, type FailedRecords, type StreamHandler } from './invokeBatch.js';
import { readShard } from './shardReader.js';
import { isReadyToRead, listShards, resolveStreamArn } from './shardDiscovery.js';

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
  pollIntervalMs?: number;
  shardDiscoveryIntervalMs?: number;
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
}

/**
 * Runs a handler on a DynamoDB stream through the Streams API, with the semantics of a
 * Lambda event source mapping: shard lineage, batches, partial batch failures, bisect,
 * bounded retries, a dead letter, and checkpoints saved only after the handler succeeded.
 */
export class StreamRunner {
  private stopping = false;
  private wake: () => void = () => undefined;
  private readonly progress: StreamRunnerProgress = { read: 0, committed: 0, deadLettered: 0, lagMs: undefined, activeShards: 0, finishedShards: 0, caughtUp: false };

  constructor(private readonly options: StreamRunnerOptions) {}

  /** Asks the runner to stop after the batches in flight; run() then resolves. */
  stop = (): void => {
    this.stopping = true;
    this.wake();
  };

  /** Runs until stop() (or a signal), or with untilCaughtUp until every shard is handled to its current end. */
  run = async ({ untilCaughtUp = false }: { untilCaughtUp?: boolean } = {}): Promise<StreamRunnerProgress> => {
    const removeSignalHandlers = this.options.stopOnSignals === false ? () => undefined : this.handleSignals();
    try {
      const streamArn = await resolveStreamArn(this.options.dynamoDBClient, this.options.tableName);
      const checkpoints = new CheckpointStore({
        dynamoDBClient: this.options.dynamoDBClient,
        tableName: this.options.checkpointTableName,
        consumerName: this.options.consumerName ?? 'default',
        streamArn,
      });
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
      await this.sleepUnlessWoken(untilCaughtUp ? (this.options.pollIntervalMs ?? 250) : (this.options.shardDiscoveryIntervalMs ?? 10_000));
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
      startingPosition: this.options.startingPosition ?? 'TRIM_HORIZON',
      batchSize: this.options.batchSize ?? 100,
      maximumBatchingWindowMs: this.options.maximumBatchingWindowMs ?? 0,
      pollIntervalMs: this.options.pollIntervalMs ?? 250,
      isStopping: () => this.stopping,
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
      maximumRetryAttempts: this.options.maximumRetryAttempts ?? 3,
      bisectBatchOnFunctionError: this.options.bisectBatchOnFunctionError ?? false,
      retryDelay: this.options.retryDelay ?? { baseDelayMs: 100, maxDelayMs: 5_000 },
      onHandled: async (lastRecord, { committed, failed }) => {
        // Only after the handler succeeded (or the records went to the dead letter).
        await checkpoints.save(shardId, { sequenceNumber: lastRecord.dynamodb?.SequenceNumber as string, finished: false });
        this.progress.committed += committed;
        this.progress.deadLettered += failed;
        const createdAt = lastRecord.dynamodb?.ApproximateCreationDateTime;
        this.progress.lagMs = createdAt === undefined ? undefined : Math.max(0, Date.now() - new Date(createdAt).getTime());
        this.options.onProgress?.({ ...this.progress });
      },
      onFailure: async (failed) => {
        if (this.options.onFailure === undefined) {
          throw new UndeliverableRecordsError(shardId, failed.records.map((r) => r.dynamodb?.SequenceNumber ?? '?'), failed.error);
        }
        await this.options.onFailure(failed);
      },
    });

  private outageDelay = (outages: number) => Math.min(5_000, 100 * 2 ** Math.min(outages, 6));

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
