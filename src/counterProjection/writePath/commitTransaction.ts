import { randomUUID } from 'node:crypto';

import {
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
import { watermarkItem } from '../countsItems/index.js';
import { buildTransaction, type TransactionUnit } from './buildTransaction.js';
import type { PlannedIncrement } from './planIncrements.js';
import type { PackedTransaction } from './transactionActions.js';

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
  // Copies: dropping duplicates must not change the caller's plan.
  const chunks = packedChunks.map((chunk) => ({ ...chunk, increments: [...chunk.increments] }));
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
      if (dropped.length === 0)
        return { counted: chunks.flatMap(({ increments }) => increments), duplicates };
      duplicates.push(...dropped);
    }
  };
  try {
    return await withRetry(attempt, { ...retry, isRetryable: isRetryableCommitError });
  } catch (error) {
    if (isCounterError(error)) throw error; // CounterShardsChanged: not a write failure.
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
}): Promise<PlannedIncrement[]> => {
  try {
    await dynamoDBClient.send(
      new TransactWriteItemsCommand({
        TransactItems: units.map(({ item }) => item),
        ClientRequestToken: request.clientRequestToken,
      }),
    );
    return [];
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons === undefined) throw error;
    // A cancellation is a definite answer (nothing was written): the next request is a new
    // one. Any other error leaves the outcome unknown: the token is kept for the retry.
    request.clientRequestToken = randomUUID();
    const dropped = dropExistingRefs(reasons, units);
    if (dropped.length === 0) throw error;
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
 * Removes from their chunks the increments counted before: those whose ref exists, those at
 * or below their shard's watermark. Throws if a total's condition failed.
 */
const dropExistingRefs = (
  reasons: CancellationReason[],
  units: TransactionUnit[],
): PlannedIncrement[] => {
  const dropped: PlannedIncrement[] = [];
  reasons.forEach((reason, index) => {
    const action = units[index]?.action;
    if (reason.Code !== 'ConditionalCheckFailed' || action === undefined) return;
    if (action.kind === 'total') {
      throw new CounterError('CounterShardsChanged', {
        counterName: action.chunk.counter.name,
        key: action.chunk.key,
        refShards: action.chunk.counter.refShards,
      });
    }
    if (action.kind === 'watermark') {
      // The shard's records up to the watermark are in the count already: drop them.
      const watermark = watermarkItem.decodeWatermark(reason.Item);
      const applied = (increment: PlannedIncrement) =>
        watermark !== undefined && (increment.watermark ?? '') <= watermark;
      dropped.push(...action.chunk.increments.filter(applied));
      action.chunk.increments = action.chunk.increments.filter((i) => !applied(i));
    }
    if (action.kind === 'ref') {
      action.chunk.increments = action.chunk.increments.filter(
        (increment) => increment !== action.increment,
      );
      dropped.push(action.increment);
    }
  });
  return dropped;
};
