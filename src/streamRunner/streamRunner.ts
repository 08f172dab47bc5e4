import { CheckpointStore } from '../checkpoints/index.js';
import { deadLetterOrStop } from './deadLetterOrStop.js';
import { initializeConsumer } from './initializeConsumer.js';
import { invokeBatch, type StreamHandler } from './invokeBatch.js';
import {
  forgetFinishedShards,
  initialProgress,
  recordHandled,
  shardCaughtUp,
  type StreamRunnerProgress,
  withHandlerTotals,
} from './progress.js';
import { outageDelay, RunControl } from './runControl.js';
import { type RunnerSettings, runnerSettings, type StreamRunnerOptions } from './runnerSettings.js';
import { ShardCheckpointing } from './shardCheckpointing.js';
import { listShards, resolveStreamArn, ShardDiscovery } from './shardDiscovery.js';
import { type GapTelling, learnedOfGap, tellGap, tellShardExpired } from './shardGaps.js';
import { readShard } from './shardReader.js';
import { ShardWorkers } from './shardWorkers.js';

/**
 * Runs a handler on a DynamoDB stream through the Streams API, with the semantics of a
 * Lambda event source mapping: shard lineage, batches, partial batch failures, bisect,
 * bounded retries, a dead letter, and checkpoints saved only after the handler succeeded.
 */
export class StreamRunner {
  private readonly control = new RunControl();
  private readonly progress: StreamRunnerProgress = initialProgress();
  private readonly settings: RunnerSettings;

  /** Throws InvalidOptionError for an option that could only make it do nothing. */
  constructor(private readonly options: StreamRunnerOptions) {
    this.settings = runnerSettings(options);
  }

  /** Asks the runner to stop after the batches in flight; run() then resolves. */
  stop = (): void => this.control.stop();

  /** Runs until stop() (or a signal), or with untilCaughtUp until every shard is handled to its current end. */
  run = async ({
    untilCaughtUp = false,
  }: { untilCaughtUp?: boolean } = {}): Promise<StreamRunnerProgress> => {
    const removeSignalHandlers =
      this.options.stopOnSignals === false ? () => undefined : this.control.stopOnSignals();
    this.control.outagePolicy = {
      tableName: this.options.tableName,
      maximumMs: this.settings.maximumOutageMs ?? (untilCaughtUp ? 60_000 : undefined),
      report: (outage) => this.options.onProgress?.({ ...this.progress, outage }),
    };
    try {
      // DynamoDB away at start (restarting, throttling) is ridden out as it is later.
      const streamArn = await this.control.rideOutOutages(() =>
        resolveStreamArn(this.options.dynamoDBClient, this.options.tableName),
      );
      if (streamArn === undefined) return { ...this.progress };
      const checkpoints = new CheckpointStore({
        dynamoDBClient: this.options.dynamoDBClient,
        tableName: this.options.checkpointTableName,
        consumerName: this.settings.consumerName,
        streamArn,
      });
      const initialized = await this.control.rideOutOutages(async () => {
        const shards = await listShards(this.options.streamsClient, streamArn);
        await initializeConsumer({
          streamsClient: this.options.streamsClient,
          streamArn,
          checkpoints,
          startingPosition: this.settings.startingPosition,
          shards,
          now: this.now,
        });
        return true;
      });
      if (initialized === undefined) return { ...this.progress };
      await this.superviseShards({ streamArn, checkpoints, untilCaughtUp });
      return { ...this.progress };
    } finally {
      removeSignalHandlers();
    }
  };

  private superviseShards = async ({
    streamArn,
    checkpoints,
    untilCaughtUp,
  }: {
    streamArn: string;
    checkpoints: CheckpointStore;
    untilCaughtUp: boolean;
  }) => {
    const shards: ShardWorkers = new ShardWorkers({
      read: (shardId) =>
        this.readShardAsRunner(streamArn, this.telling(shardId, checkpoints), shards.caughtUp),
      expire: (shardId) => tellShardExpired(this.telling(shardId, checkpoints)),
      onFatal: () => this.stop(),
      onEnded: () => this.control.wakeUp(),
      outageDelayMs: outageDelay(1),
    });
    const { streamsClient } = this.options;
    const discovery = new ShardDiscovery({ streamsClient, streamArn, checkpoints });
    while (!this.control.stopping) {
      const found = await this.control.rideOutOutages(() => discovery.discover(shards.finished));
      if (found === undefined) break;
      const listed = shards.startReady(found.shards, found.expired);
      this.progress.activeShards = shards.active;
      this.progress.finishedShards = shards.finished.size;
      forgetFinishedShards(this.progress, shards.finished);
      this.progress.caughtUp = shards.isCaughtUp(listed);
      if (untilCaughtUp && this.progress.caughtUp) break;
      await this.control.sleepUnlessWoken(
        untilCaughtUp ? this.settings.pollIntervalMs : this.settings.shardDiscoveryIntervalMs,
      );
    }
    this.control.stopping = true;
    await shards.drain();
    this.options.onProgress?.({ ...this.progress, activeShards: 0 });
    if (shards.fatal !== undefined) throw shards.fatal.error;
  };

  /** readShard (shardReader.ts) wired to this runner: its settings, progress, stop and batch handling. */
  private readShardAsRunner = (streamArn: string, telling: GapTelling, caughtUp: Set<string>) => {
    const { shardId, checkpoints } = telling;
    const checkpointing = new ShardCheckpointing(checkpoints, shardId, this.now);
    return readShard({
      streamsClient: this.options.streamsClient,
      streamArn,
      shardId,
      checkpoints,
      batchSize: this.settings.batchSize,
      filter: this.settings.filter,
      now: this.now,
      maximumBatchingWindowMs: this.settings.maximumBatchingWindowMs,
      pollIntervalMs: this.settings.pollIntervalMs,
      emptyReadsBeforeCaughtUp: this.settings.emptyReadsBeforeCaughtUp,
      isStopping: () => this.control.stopping,
      onRetentionGap: (gap) => learnedOfGap(telling, gap),
      tellGap: (gap) => tellGap(telling, gap),
      onRead: (records) => {
        caughtUp.delete(shardId);
        this.progress.read += records.length;
      },
      onCaughtUp: () => {
        // Told once per catching up: an idle runner's last report shows no stale lag.
        if (!caughtUp.has(shardId)) {
          caughtUp.add(shardId);
          shardCaughtUp(this.progress, shardId);
          this.options.onProgress?.({ ...this.progress });
        }
        this.control.wakeUp();
      },
      handleBatch: (records) => this.handleBatch(telling, checkpointing, records),
      onIdle: checkpointing.flush,
    });
  };

  private handleBatch = async (
    telling: GapTelling,
    checkpointing: ShardCheckpointing,
    records: Parameters<StreamHandler>[0],
  ): Promise<boolean> => {
    const { shardId } = telling;
    return invokeBatch(records, {
      shardId,
      handler: withHandlerTotals(this.options.handler, this.progress),
      maximumRetryAttempts: this.settings.maximumRetryAttempts,
      bisectBatchOnFunctionError: this.settings.bisectBatchOnFunctionError,
      retryDelay: this.settings.retryDelay,
      isStopping: () => this.control.stopping,
      claimFor: checkpointing.claimFor,
      onHandled: async (lastRecord, { committed, failed }) => {
        // Only after the handler succeeded, or the records went to the dead letter: the
        // checkpoint past them keeps that gap, told to the handler before anything more.
        const deadLettered = await checkpointing.handled(lastRecord, failed);
        recordHandled(this.progress, { shardId, lastRecord, committed, failed, now: this.now() });
        this.options.onProgress?.({ ...this.progress });
        if (deadLettered !== undefined) await tellGap(telling, deadLettered);
      },
      onFailure: deadLetterOrStop(this.options, shardId),
    }).then((handled) => {
      if (!handled) this.progress.abandonedBatches += 1;
      return handled;
    });
  };

  /** What telling a shard's gaps needs (shardGaps.ts), and who hears of a retention gap. */
  private telling = (shardId: string, checkpoints: CheckpointStore): GapTelling => ({
    shardId,
    handler: this.options.handler,
    checkpoints,
    settings: this.settings,
    isStopping: () => this.control.stopping,
    report: (gap) => {
      if (gap.reason !== 'LatestIteratorExpired') this.progress.retentionGaps += 1;
      this.options.onRetentionGap?.(gap);
    },
  });

  private now = (): Date => this.options.clock?.() ?? new Date();
}
