import { randomUUID } from 'node:crypto';

import {
  type AttributeValue,
  type CancellationReason,
  type DynamoDBClient,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';

import {
  CounterError,
  isAwsError,
  isCounterError,
  isRetryable,
  isTransientError,
  type RetryOptions,
  withRetry,
} from '../../shared/index.js';
import { COUNTS_ATTRIBUTES } from '../countsItems/index.js';
import { buildTransaction, type TransactionUnit } from './buildTransaction.js';
import type { PlannedIncrement } from './planIncrements.js';
import { chunkOf, type PackedTransaction, type TransactionAction } from './transactionActions.js';

export interface CommitResult {
  counted: PlannedIncrement[];
  /** Increments whose ref was already recorded: counted before (a redelivery or a replay). */
  duplicates: PlannedIncrement[];
}

/**
 * Commits one packed transaction. When DynamoDB cancels it because some refs exist,
 * those increments are duplicates: they are dropped and the rest is sent again.
 * Conflicts and throttling are retried with jittered backoff, up to the budget.
 * Throws CountWriteFailedError or CounterShardsChangedError; nothing is then written.
 *
 * Each distinct transaction carries its own ClientRequestToken, kept across the retries
 * of the same input: when a commit succeeded but its answer was lost (a timeout, a reset
 * connection), DynamoDB answers the retry with the first outcome for 10 minutes, instead
 * of cancelling it because its refs now exist, which would report counted events as
 * duplicates. countedAt is fixed per call for the same reason: the input must not change.
 */
export const commitTransaction = async ({
  dynamoDBClient,
  tableName,
  chunks: packedChunks,
  retry,
  tally = { transactions: 0, retries: 0 },
}: {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  chunks: PackedTransaction;
  retry: RetryOptions;
  /** Counts the requests sent and those that were retries (the batch's stats). */
  tally?: { transactions: number; retries: number };
}): Promise<CommitResult> => {
  // Replaced, never changed, when duplicates are dropped: the caller's plan stays as it was.
  let chunks = packedChunks;
  const duplicates: PlannedIncrement[] = [];
  const countedAt = new Date().toISOString();
  const request = { clientRequestToken: randomUUID() };
  let attempts = 0;
  // One attempt sends until DynamoDB gives an answer other than "these refs exist":
  // dropping duplicates is progress, not a failure, and spends no attempt.
  const attempt = async (attemptNumber: number): Promise<CommitResult> => {
    attempts = attemptNumber;
    for (let first = true; ; first = false) {
      const units = buildTransaction({ tableName, chunks, countedAt });
      if (units.length === 0) return { counted: [], duplicates };
      tally.transactions += 1;
      if (first && attemptNumber > 1) tally.retries += 1;
      const dropped = await sendUnits({ dynamoDBClient, units, request });
      if (dropped.size === 0)
        return { counted: chunks.flatMap(({ increments }) => increments), duplicates };
      duplicates.push(...dropped);
      chunks = chunks.map((chunk) =>
        chunkOf(
          chunk,
          chunk.increments.filter((increment) => !dropped.has(increment)),
        ),
      );
    }
  };
  try {
    return await withRetry(attempt, {
      maxAttempts: retry.maxAttempts,
      baseDelayMs: retry.baseDelayMs,
      maxDelayMs: retry.maxDelayMs,
      isRetryable: isRetryableCommitError,
    });
  } catch (error) {
    if (isCounterError(error)) throw error; // CounterShardsChanged, a rebuild: not a write failure.
    throw new CounterError('CountWriteFailed', { attempts, cause: error });
  }
};

/**
 * Sends one transaction; [] when it was written. When DynamoDB cancelled it because some
 * refs exist, those increments are dropped from their chunks and returned; any other
 * error is thrown as it came.
 */
const sendUnits = async ({
  dynamoDBClient,
  units,
  request,
}: {
  dynamoDBClient: DynamoDBClient;
  units: TransactionUnit[];
  request: { clientRequestToken: string };
}): Promise<Set<PlannedIncrement>> => {
  try {
    await dynamoDBClient.send(
      new TransactWriteItemsCommand({
        TransactItems: units.map(({ item }) => item),
        ClientRequestToken: request.clientRequestToken,
      }),
    );
    return new Set();
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons === undefined) throw error;
    // A cancellation is a definite answer (nothing was written): the next request is a new
    // one. Any other error leaves the outcome unknown: the token is kept for the retry.
    request.clientRequestToken = randomUUID();
    const dropped = dropExistingRefs(reasons, units);
    if (dropped.size === 0) throw error;
    return dropped;
  }
};

/**
 * Cancelled: the reasons say whether a later attempt can pass (a conflict, throttling) or
 * not (a validation error). Not cancelled: the error itself says (5xx, network).
 */
const isRetryableCommitError = (error: unknown): boolean => {
  if (isCounterError(error)) return false;
  const reasons = cancellationReasons(error);
  if (reasons === undefined) return isTransientError(error);
  return isRetryable(reasons.find(({ Code }) => Code !== undefined && Code !== 'None')?.Code);
};

const cancellationReasons = (error: unknown): CancellationReason[] | undefined =>
  isAwsError(error, 'TransactionCanceledException')
    ? ((error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [])
    : undefined;

/**
 * The increments counted before: those whose ref exists. Throws if a total's or a bucket's
 * condition failed: the item is counted another way (CounterShardsChanged), or under a
 * rebuild it was counted through shard marks the rebuild never saw (WatermarkRefused).
 */
const dropExistingRefs = (
  reasons: CancellationReason[],
  units: TransactionUnit[],
): Set<PlannedIncrement> => {
  const dropped = new Set<PlannedIncrement>();
  reasons.forEach((reason, index) => {
    const action = units[index]?.action;
    if (reason.Code !== 'ConditionalCheckFailed' || action === undefined) return;
    if (action.kind === 'ref') dropped.add(action.increment);
    else throw itemRefusal(action.chunk, reason.Item);
  });
  return dropped;
};

const itemRefusal = (
  { counter, key, increments }: TransactionAction['chunk'],
  item: Record<string, AttributeValue> | undefined,
): CounterError => {
  const rebuildId = increments[0]?.rebuildId;
  if (rebuildId !== undefined && item?.[COUNTS_ATTRIBUTES.rebuildId]?.S !== rebuildId)
    return new CounterError('WatermarkRefused', {
      counterName: counter.name,
      setting: 'Rebuild',
      detail: `key ${JSON.stringify(key)} was counted through shard marks without the rebuild's mark (a batch that began before the rebuild): its count may hold events the rebuild counts too.`,
    });
  return new CounterError('CounterShardsChanged', {
    counterName: counter.name,
    key,
    refShards: counter.refShards,
  });
};
