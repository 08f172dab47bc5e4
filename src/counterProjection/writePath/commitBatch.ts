import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import type { RetryOptions } from '../../shared/index.js';
import { commitTransaction } from './commitTransaction.js';
import { packTransactions } from './packTransactions.js';
import type { PlannedIncrement } from './planIncrements.js';
import { runTransactions } from './runTransactions.js';

export interface CommitBatchOutcome {
  countedAt: Set<number>;
  duplicateAt: Set<number>;
  /** The lowest position whose increments did not all commit, and why. */
  failure?: { position: number; error: unknown };
}

/** Notes a failure at a position, keeping the lowest: the record the batch is retried from. */
export const failAt = (
  outcome: Pick<CommitBatchOutcome, 'failure'>,
  position: number,
  error: unknown,
): void => {
  if (outcome.failure === undefined || position < outcome.failure.position)
    outcome.failure = { position, error };
};

/**
 * Commits a batch's increments through refs, packed into transactions and run side by side,
 * and says which positions were counted, found counted before, or failed. Every record
 * before the lowest failed position is wholly counted (its increments are in transactions
 * that committed), so that record is the one to report: Lambda retries from it, and the refs
 * make re-sent increments duplicates.
 */
export const commitBatch = async ({
  increments,
  context,
  tally,
}: {
  increments: PlannedIncrement[];
  context: {
    dynamoDBClient: DynamoDBClient;
    tableName: string;
    retry: RetryOptions;
    concurrency: number;
  };
  tally: { counted: number; duplicates: number; transactions: number; retries: number };
}): Promise<CommitBatchOutcome> => {
  const outcome: CommitBatchOutcome = { countedAt: new Set(), duplicateAt: new Set() };
  await runTransactions(packTransactions(increments), context.concurrency, async (chunks) => {
    try {
      const result = await commitTransaction({
        dynamoDBClient: context.dynamoDBClient,
        tableName: context.tableName,
        retry: context.retry,
        chunks,
        tally,
      });
      tally.counted += result.counted.length;
      tally.duplicates += result.duplicates.length;
      for (const { position } of result.counted) outcome.countedAt.add(position);
      for (const { position } of result.duplicates) outcome.duplicateAt.add(position);
    } catch (error) {
      const positions = chunks.flatMap((chunk) => chunk.increments.map((i) => i.position));
      failAt(outcome, Math.min(...positions), error);
    }
  });
  return outcome;
};
