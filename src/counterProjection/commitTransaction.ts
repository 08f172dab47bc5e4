import { TransactWriteItemsCommand, type CancellationReason, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { buildTransaction, type TransactionAction } from './buildTransaction.js';
import { CounterShardsChangedError, CountWriteFailedError } from './errors.js';
import type { CounterChunk } from './packTransactions.js';
import type { PlannedIncrement } from './planIncrements.js';
import { backoffDelay, isRetryable, isTransientError, sleep, type RetryOptions } from './retry.js';

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
 */
export const commitTransaction = async ({
  dynamoDBClient,
  tableName,
  chunks: packedChunks,
  retry,
}: {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  chunks: CounterChunk[];
  retry: RetryOptions;
}): Promise<CommitResult> => {
  // Copies: dropping duplicates must not change the caller's plan.
  const chunks = packedChunks.map((chunk) => ({ ...chunk, increments: [...chunk.increments] }));
  const duplicates: PlannedIncrement[] = [];
  let failedAttempts = 0;
  for (;;) {
    const { items, actions } = buildTransaction(tableName, chunks, new Date().toISOString());
    if (items.length === 0) return { counted: [], duplicates };
    try {
      await dynamoDBClient.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return { counted: chunks.flatMap(({ increments }) => increments), duplicates };
    } catch (error) {
      const reasons = cancellationReasons(error);
      const dropped = reasons === undefined ? [] : dropExistingRefs(reasons, actions);
      if (dropped.length > 0) {
        duplicates.push(...dropped);
        continue; // Not a failure: the next attempt is smaller by the duplicates.
      }
      failedAttempts += 1;
      const code = reasons?.find(({ Code }) => Code !== undefined && Code !== 'None')?.Code;
      const retryable = reasons === undefined ? isTransientError(error) : isRetryable(code);
      if (!retryable || failedAttempts >= retry.maxAttempts) throw new CountWriteFailedError(failedAttempts, error);
      await sleep(backoffDelay(failedAttempts, retry));
    }
  }
};

const cancellationReasons = (error: unknown): CancellationReason[] | undefined =>
  error instanceof Error && error.name === 'TransactionCanceledException'
    ? ((error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [])
    : undefined;

/** Removes from their chunks the increments whose ref condition failed; throws if a total's did. */
const dropExistingRefs = (reasons: CancellationReason[], actions: TransactionAction[]): PlannedIncrement[] => {
  const dropped: PlannedIncrement[] = [];
  reasons.forEach((reason, index) => {
    const action = actions[index];
    if (reason.Code !== 'ConditionalCheckFailed' || action === undefined) return;
    if (action.kind === 'total') {
      throw new CounterShardsChangedError(action.chunk.counter.name, action.chunk.key, action.chunk.counter.refShards);
    }
    if (action.kind === 'ref') {
      action.chunk.increments = action.chunk.increments.filter((increment) => increment !== action.increment);
      dropped.push(action.increment);
    }
  });
  return dropped;
};
