import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';

import type { RecordFates } from '../counterProjection/index.js';
import { backoffDelay, type BackoffOptions, sleep } from '../shared/index.js';

/** What the runner calls, as Lambda would: it may report the first record it did not commit. */
export type StreamHandler = (records: StreamsApiRecord[]) => Promise<
  | {
      batchItemFailures?: { itemIdentifier: string }[];
      /** What became of each record (processRecords gives it): added up in the runner's progress. */
      fates?: RecordFates;
      /** The transactions sent and retried (processRecords gives them): added up in the progress. */
      stats?: { transactions?: number; retries?: number };
    }
  | void
  | undefined
>;

export interface FailedRecords {
  shardId: string;
  records: StreamsApiRecord[];
  error: unknown;
}

export interface InvokeOptions {
  shardId: string;
  handler: StreamHandler;
  /** Retries of a failing batch after its first attempt (Lambda's MaximumRetryAttempts); -1: no limit. */
  maximumRetryAttempts: number;
  /** Splits a failing batch in two before retrying (Lambda's BisectBatchOnFunctionError). */
  bisectBatchOnFunctionError: boolean;
  retryDelay: BackoffOptions;
  /** Called after each record handled or given up, in order: the place to checkpoint. */
  onHandled: (
    lastRecord: StreamsApiRecord,
    outcome: { committed: number; failed: number },
  ) => Promise<void>;
  /** Takes the records that still fail after every retry; without it they are thrown. */
  onFailure: (failed: FailedRecords) => Promise<void>;
  /** Asked to stop: a failing batch is not retried again (it stays unhandled, from its checkpoint). */
  isStopping: () => boolean;
}

/**
 * Hands a batch to the handler with the semantics of a Lambda event source mapping:
 * what comes before a reported failure is committed; the rest is retried (bisected if
 * asked) a bounded number of times, then given to onFailure, and the runner goes on.
 */
export const invokeBatch = async (
  batch: StreamsApiRecord[],
  options: InvokeOptions,
): Promise<boolean> => {
  const pending: { records: StreamsApiRecord[]; attempts: number }[] = [
    { records: batch, attempts: 0 },
  ];
  let failed = false;
  while (pending.length > 0) {
    // After a failure, a stop request ends the retries: nothing more is checkpointed, so
    // the next run starts again from the first record not handled. Returns false then.
    if (failed && options.isStopping()) return false;
    const current = pending.shift() as { records: StreamsApiRecord[]; attempts: number };
    const { failedIndex, error } = await callHandler(options.handler, current.records);
    if (failedIndex === undefined) {
      await options.onHandled(current.records[current.records.length - 1] as StreamsApiRecord, {
        committed: current.records.length,
        failed: 0,
      });
      continue;
    }
    if (failedIndex > 0) {
      await options.onHandled(current.records[failedIndex - 1] as StreamsApiRecord, {
        committed: failedIndex,
        failed: 0,
      });
    }
    failed = true;
    const remaining = current.records.slice(failedIndex);
    const attempts = current.attempts + 1;
    if (options.bisectBatchOnFunctionError && remaining.length > 1) {
      // Splitting spends no retry: the failing record, once isolated, gets all of them.
      const half = Math.ceil(remaining.length / 2);
      pending.unshift(
        { records: remaining.slice(0, half), attempts: 0 },
        { records: remaining.slice(half), attempts: 0 },
      );
      continue;
    }
    if (options.maximumRetryAttempts >= 0 && attempts > options.maximumRetryAttempts) {
      await options.onFailure({ shardId: options.shardId, records: remaining, error });
      await options.onHandled(remaining[remaining.length - 1] as StreamsApiRecord, {
        committed: 0,
        failed: remaining.length,
      });
      continue;
    }
    await sleep(backoffDelay(attempts, options.retryDelay));
    pending.unshift({ records: remaining, attempts });
  }
  return true;
};

/** The index of the first record not committed, or undefined when all were. A throw fails the whole batch. */
const callHandler = async (
  handler: StreamHandler,
  records: StreamsApiRecord[],
): Promise<{ failedIndex?: number; error?: unknown }> => {
  try {
    const result = await handler(records);
    const failures = result?.batchItemFailures ?? [];
    if (failures.length === 0) return {};
    const indexes = failures.map(({ itemIdentifier }) =>
      records.findIndex((r) => r.dynamodb?.SequenceNumber === itemIdentifier),
    );
    // An identifier that names no record of the batch fails the whole batch, as Lambda does.
    const failedIndex = indexes.includes(-1) ? 0 : Math.min(...indexes);
    return {
      failedIndex,
      error: new Error(`handler reported record ${failures[0]?.itemIdentifier} as failed`),
    };
  } catch (error) {
    return { failedIndex: 0, error };
  }
};
