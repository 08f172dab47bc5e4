import { readRecordFields } from '../imageParser/index.js';
import { CounterError, withRetry } from '../shared/index.js';
import type { FailedRecords, StreamHandler } from './invokeBatch.js';
import type { RunnerSettings, StreamRunnerOptions } from './runnerSettings.js';

interface ShardSettings {
  shardId: string;
  settings: Pick<RunnerSettings, 'retryDelay' | 'maximumRetryAttempts'>;
  isStopping: () => boolean;
  /** The handler could not be told: its shard's next batch tells it. */
  untold: () => void;
}

/**
 * What the runner does with records that failed every retry: gives them to `onFailure`
 * (the dead letter) and tells the handler, or, without `onFailure`, stops the run with
 * UndeliverableRecords rather than skip them.
 */
export const deadLetterOrStop =
  (options: Pick<StreamRunnerOptions, 'handler' | 'onFailure'>, shard: ShardSettings) =>
  async (failed: FailedRecords): Promise<void> => {
    if (options.onFailure === undefined)
      throw new CounterError('UndeliverableRecords', {
        shardId: shard.shardId,
        sequenceNumbers: failed.records.map((r) => readRecordFields(r).sequenceNumber ?? '?'),
        cause: failed.error,
      });
    await options.onFailure(failed);
    await tellDeadLettered(options.handler, shard);
  };

/**
 * Tells the handler at once, in an empty batch, that records of the shard went to the dead
 * letter (onFailure): a handler that keeps per-shard state (a shard watermark, which has
 * now passed them) must know before anything reads that state, and a quiet or closed shard
 * may bring no next batch to say it with. Tried as a batch is (its retries); a handler that
 * still fails (its table unreachable, or one that refuses empty batches) is told with the
 * shard's next batch instead.
 */
const tellDeadLettered = async (
  handler: StreamHandler,
  { shardId, settings, isStopping, untold }: ShardSettings,
): Promise<void> => {
  const { maximumRetryAttempts, retryDelay } = settings;
  try {
    await withRetry(
      async () => {
        const answer = await handler([], {
          shardId,
          delivery: 'stream',
          afterGap: { reason: 'RecordsDeadLettered' },
        });
        if ((answer?.batchItemFailures?.length ?? 0) > 0)
          throw new Error('the handler failed an empty batch');
      },
      {
        maxAttempts: maximumRetryAttempts < 0 ? Infinity : maximumRetryAttempts + 1,
        ...retryDelay,
        isRetryable: () => !isStopping(),
      },
    );
  } catch {
    untold();
  }
};
