import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { isIsoTimestamp } from '../adapter/index.js';
import { CounterError, type RetryOptions } from '../shared/index.js';
import type { Counter } from './counter.js';
import { commitTransaction, packTransactions, toIncrement } from './writePath/index.js';

/** An increment made by a direct call rather than read from the stream. */
export interface DirectIncrement {
  key: string;
  /** An integer, possibly negative. Default 1. */
  by?: number;
  /** What makes it count once: a second call with the same targetRef counts nothing. */
  targetRef: string;
  /** Places it in the window buckets. Default now. */
  timestamp?: string;
}

/**
 * Counts `by` once for this targetRef, however often it is called: one transaction, the
 * same as a stream's. `counted` is false when the ref was already counted.
 */
export const incrementOnce = async (
  context: { dynamoDBClient: DynamoDBClient; tableName: string; retry: RetryOptions },
  {
    counter,
    key,
    by = 1,
    targetRef,
    timestamp = new Date().toISOString(),
  }: DirectIncrement & { counter: Counter },
): Promise<{ counted: boolean }> => {
  if (!isIsoTimestamp(timestamp)) {
    throw new CounterError('InvalidIncrement', {
      counterName: counter.name,
      field: 'timestamp',
      value: timestamp,
      expected: 'an ISO-8601 UTC timestamp',
    });
  }
  const [chunks] = packTransactions([
    toIncrement({ counter, key, by, targetRef, timestamp, position: 0 }),
  ]);
  const { counted } = await commitTransaction({ ...context, chunks: chunks ?? [] });
  return { counted: counted.length > 0 };
};
