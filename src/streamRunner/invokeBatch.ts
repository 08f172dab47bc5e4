import { readRecordFields, type StreamsApiRecord } from '../imageParser/index.js';
import { type BackoffOptions, withRetry } from '../shared/index.js';
import type { BatchContext, BatchFates, ClaimBatch } from '../streamBatch/index.js';

export type { BatchContext };

/** What the runner calls, as Lambda would: it may report the first record it did not commit. */
// void: a handler that returns nothing handled every record, as a Lambda function may.
/* eslint-disable @typescript-eslint/no-invalid-void-type */
export type StreamHandler = (
  records: StreamsApiRecord[],
  context: BatchContext,
) => Promise<
  | {
      batchItemFailures?: { itemIdentifier: string }[];
      /** Why the reported record failed (processRecords gives it): the cause onFailure and UndeliverableRecords get. */
      error?: unknown;
      /** What became of each record (processRecords gives it): added up in the runner's progress. */
      fates?: BatchFates;
      /** The transactions sent and retried (processRecords gives them): added up in the progress. */
      stats?: { transactions?: number; retries?: number };
    }
  | void
  | undefined
>;
/* eslint-enable @typescript-eslint/no-invalid-void-type */

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
  /** The claim the handler is given with these records (BatchContext.claim). */
  claimFor?: (records: StreamsApiRecord[]) => ClaimBatch;
}

/**
 * Hands a batch to the handler with the semantics of a Lambda event source mapping:
 * what comes before a reported failure is committed; the rest is retried (bisected if
 * asked) a bounded number of times, then given to onFailure, and the runner goes on.
 * Returns false when a stop request ended the retries: nothing more is checkpointed, so
 * the next run starts again from the first record not handled.
 */
export const invokeBatch = async (
  batch: StreamsApiRecord[],
  options: InvokeOptions,
): Promise<boolean> => {
  let pending = batch;
  let lastError: unknown;
  const attempt = async (attemptNumber: number): Promise<void> => {
    if (attemptNumber > 1 && options.isStopping()) throw STOPPED;
    const claim = options.claimFor?.(pending);
    const { failedIndex, error } = await callHandler(options.handler, pending, {
      shardId: options.shardId,
      delivery: 'stream',
      ...(claim !== undefined ? { claim } : {}),
    });
    const committed = failedIndex ?? pending.length;
    if (committed > 0)
      await options.onHandled(pending[committed - 1] as StreamsApiRecord, { committed, failed: 0 });
    pending = pending.slice(committed);
    if (failedIndex === undefined) return;
    lastError = error;
    throw FAILED;
  };
  try {
    await withRetry(attempt, {
      // Lambda counts retries after the first attempt, and -1 means no limit.
      maxAttempts: options.maximumRetryAttempts < 0 ? Infinity : options.maximumRetryAttempts + 1,
      ...options.retryDelay,
      // Bisecting ends this chunk's retries: each half gets all of them.
      isRetryable: (error) =>
        error === FAILED && !(options.bisectBatchOnFunctionError && pending.length > 1),
    });
    return true;
  } catch (error) {
    if (error === STOPPED) return false;
    if (error !== FAILED) throw error; // onHandled's, e.g. a checkpoint that could not be saved.
  }
  if (options.bisectBatchOnFunctionError && pending.length > 1) {
    const half = Math.ceil(pending.length / 2);
    for (const records of [pending.slice(0, half), pending.slice(half)]) {
      if (options.isStopping() || !(await invokeBatch(records, options))) return false;
    }
    return true;
  }
  await options.onFailure({ shardId: options.shardId, records: pending, error: lastError });
  await options.onHandled(pending[pending.length - 1] as StreamsApiRecord, {
    committed: 0,
    failed: pending.length,
  });
  return true;
};

// Internal signals of an attempt: the handler failed a record; a stop was asked meanwhile.
const FAILED = new Error('the handler failed a record');
const STOPPED = new Error('stopped');

/** The index of the first record not committed, or undefined when all were. A throw fails the whole batch. */
const callHandler = async (
  handler: StreamHandler,
  records: StreamsApiRecord[],
  context: BatchContext,
): Promise<{ failedIndex?: number; error?: unknown }> => {
  try {
    const result = await handler(records, context);
    const failures = result?.batchItemFailures ?? [];
    if (failures.length === 0) return {};
    const indexes = failures.map(({ itemIdentifier }) =>
      records.findIndex((r) => readRecordFields(r).sequenceNumber === itemIdentifier),
    );
    // An identifier that names no record of the batch fails the whole batch, as Lambda does.
    const failedIndex = indexes.includes(-1) ? 0 : Math.min(...indexes);
    return {
      failedIndex,
      error:
        result?.error ??
        new Error(`handler reported record ${failures[0]?.itemIdentifier} as failed`),
    };
  } catch (error) {
    return { failedIndex: 0, error };
  }
};
