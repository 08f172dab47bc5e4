import { readRecordFields } from '../imageParser/index.js';
import { CounterError } from '../shared/index.js';
import type { FailedRecords } from './invokeBatch.js';
import type { StreamRunnerOptions } from './runnerSettings.js';

/**
 * What the runner does with records that failed every retry: gives them to `onFailure`
 * (the dead letter), or, without `onFailure`, stops the run with UndeliverableRecords rather
 * than skip them. The checkpoint saved after dead-lettered records keeps the gap, and the
 * handler is told of it before anything more of the shard (the runner's onHandled).
 */
export const deadLetterOrStop =
  (options: Pick<StreamRunnerOptions, 'onFailure'>, shardId: string) =>
  async (failed: FailedRecords): Promise<void> => {
    if (options.onFailure === undefined)
      throw new CounterError('UndeliverableRecords', {
        shardId,
        sequenceNumbers: failed.records.map((r) => readRecordFields(r).sequenceNumber ?? '?'),
        cause: failed.error,
      });
    await options.onFailure(failed);
  };
