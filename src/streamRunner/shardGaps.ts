import type { UntoldGap } from '../checkpoints/index.js';
import type { CheckpointStore } from '../checkpoints/index.js';
import { withRetry } from '../shared/index.js';
import type { StreamHandler } from './invokeBatch.js';
import type { RunnerSettings } from './runnerSettings.js';
import type { RetentionGap } from './shardIterators.js';

/** What telling a shard's gaps needs: its handler, its checkpoint, the retries of a batch. */
export interface GapTelling {
  shardId: string;
  handler: StreamHandler;
  checkpoints: CheckpointStore;
  settings: Pick<RunnerSettings, 'retryDelay' | 'maximumRetryAttempts'>;
  isStopping: () => boolean;
  /** A retention gap learned of (onRetentionGap, the progress). */
  report: (gap: RetentionGap) => void;
}

/**
 * The handler did not take a gap's telling after every retry (or the runner stops): the
 * shard holds, handing over nothing more; the gap stays saved in its checkpoint and is told
 * first when the shard is read again (its reader restarts, or the runner does).
 */
export class GapNotTold extends Error {
  override name = 'GapNotTold';
  constructor(
    readonly shardId: string,
    override readonly cause: unknown,
  ) {
    super(`the handler was not told of a gap of shard ${shardId}: the shard holds until it is`);
  }
}

/**
 * Tells the handler of a gap saved in the shard's checkpoint, in an empty batch
 * (`afterGap`), tried as a batch is; once it took it (returned without batchItemFailures),
 * clears it (`finished`: and marks the shard finished). A gap saved meanwhile by another
 * runner is told in turn. Throws GapNotTold if the handler did not take it.
 */
export const tellGap = async (
  telling: GapTelling,
  saved: UntoldGap,
  { finished = false }: { finished?: boolean } = {},
): Promise<void> => {
  const { shardId, handler, settings, isStopping } = telling;
  for (let gap: UntoldGap | undefined = saved; gap !== undefined;) {
    const afterGap = { reason: gap.reason };
    try {
      await withRetry(
        async () => {
          const answer = await handler([], { shardId, delivery: 'stream', afterGap });
          if ((answer?.batchItemFailures?.length ?? 0) > 0)
            throw new Error('the handler failed the empty batch that tells a gap');
        },
        {
          maxAttempts:
            settings.maximumRetryAttempts < 0 ? Infinity : settings.maximumRetryAttempts + 1,
          ...settings.retryDelay,
          isRetryable: () => !isStopping(),
        },
      );
    } catch (error) {
      throw new GapNotTold(shardId, error);
    }
    gap = await telling.checkpoints.gaps.clearGap(shardId, gap, { finished });
  }
};

/**
 * A retention gap the runner just learned of: saved in the shard's checkpoint first (a stop
 * or a restart cannot lose it), reported (onRetentionGap), then told to the handler.
 */
export const learnedOfGap = async (
  telling: GapTelling,
  gap: RetentionGap,
  options: { finished?: boolean } = {},
): Promise<void> => {
  const saved = await telling.checkpoints.gaps.saveGap(telling.shardId, gap.reason);
  telling.report(gap);
  await tellGap(telling, saved, options);
};

/**
 * A shard checkpointed, not finished, and no longer listed: closed and past the retention
 * before it was read to its end, with records the consumer never saw. The gap is told and
 * reported, then the shard is finished (told once): only then may its children start.
 * Resolves to true (finished) unless the handler did not take it (GapNotTold).
 */
export const tellShardExpired = async (telling: GapTelling): Promise<boolean> => {
  const { shardId, checkpoints } = telling;
  const checkpoint = await checkpoints.get(shardId);
  if (checkpoint === undefined || checkpoint.finished) return true;
  const { sequenceNumber } = checkpoint;
  const gap: RetentionGap = {
    shardId,
    reason: 'ShardExpired',
    ...(sequenceNumber !== undefined ? { afterSequenceNumber: sequenceNumber } : {}),
  };
  // Saved and reported by an earlier try that the handler refused (or a stop ended): told now.
  if (checkpoint.untoldGap?.reason === 'ShardExpired')
    await tellGap(telling, checkpoint.untoldGap, { finished: true });
  else await learnedOfGap(telling, gap, { finished: true });
  return true;
};
