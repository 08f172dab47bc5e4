import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import type { RetryOptions } from '../../shared/index.js';
import { commitTransaction } from './commitTransaction.js';
import { packTransactions } from './packTransactions.js';
import type { PlannedIncrement } from './planIncrements.js';
import { runTransactions } from './runTransactions.js';
import type { CounterChunk } from './transactionActions.js';

export interface CommitBatchOutcome {
  countedAt: Set<number>;
  duplicateAt: Set<number>;
  /** The lowest position whose increments did not all commit, and why. */
  failure?: { position: number; error: unknown };
}

/**
 * Commits a batch's increments, packed into transactions and run side by side, and says
 * which positions were counted, found counted before, or failed. Every record before the
 * lowest failed position is wholly counted (its increments are in transactions that
 * committed), so that record is the one to report: Lambda retries from it, and the refs
 * (or watermarks) make re-sent increments duplicates.
 */
export const commitBatch = async ({
  increments,
  shardId,
  context,
  tally,
}: {
  increments: PlannedIncrement[];
  shardId?: string | undefined;
  context: {
    dynamoDBClient: DynamoDBClient;
    tableName: string;
    retry: RetryOptions;
    concurrency: number;
  };
  tally: { counted: number; duplicates: number; transactions: number; retries: number };
}): Promise<CommitBatchOutcome> => {
  const outcome: CommitBatchOutcome = { countedAt: new Set(), duplicateAt: new Set() };
  // A failed chunk of a watermark counter key stops the key's later chunks: they would move
  // its watermark past records that are not counted.
  const failedWatermarks = new Map<string, unknown>();
  await runTransactions(
    packTransactions(increments, shardId),
    context.concurrency,
    async (chunks) => {
      const watermarkIds = chunks.filter(({ shardId: shard }) => shard !== undefined).map(chunkId);
      try {
        const earlier = watermarkIds.find((id) => failedWatermarks.has(id));
        if (earlier !== undefined) throw failedWatermarks.get(earlier) as Error;
        const result = await commitTransaction({ ...context, chunks, tally });
        tally.counted += result.counted.length;
        tally.duplicates += result.duplicates.length;
        for (const { position } of result.counted) outcome.countedAt.add(position);
        for (const { position } of result.duplicates) outcome.duplicateAt.add(position);
      } catch (error) {
        for (const id of watermarkIds) failedWatermarks.set(id, error);
        const position = Math.min(
          ...chunks.flatMap((chunk) => chunk.increments.map((i) => i.position)),
        );
        if (outcome.failure === undefined || position < outcome.failure.position)
          outcome.failure = { position, error };
      }
    },
  );
  return outcome;
};

const chunkId = ({ counter, key }: CounterChunk): string => JSON.stringify([counter.name, key]);
