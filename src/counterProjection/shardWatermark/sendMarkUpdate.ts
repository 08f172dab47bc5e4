import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';

import {
  CounterError,
  isAwsError,
  isTransientError,
  type RetryOptions,
  withRetry,
} from '../../shared/index.js';
import type { CountsImage, watermarkedUpdate } from '../countsItems/index.js';

type Context = { dynamoDBClient: DynamoDBClient; retry: RetryOptions };
type Tally = { transactions: number; retries: number };

/** Sends an update once: its new image, or the item as it was when its condition refused it. */
const sendOnce = async (
  context: Context,
  input: ReturnType<typeof watermarkedUpdate>,
): Promise<{ applied: boolean; item: CountsImage | undefined }> => {
  try {
    const { Attributes } = await context.dynamoDBClient.send(new UpdateItemCommand(input));
    return { applied: true, item: Attributes as CountsImage | undefined };
  } catch (error) {
    if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
    return { applied: false, item: (error as { Item?: CountsImage }).Item };
  }
};

/** Sends an update, again after a transient error (throttling, 5xx, the network), up to the retry budget. */
export const sendMarkUpdate = async (
  context: Context,
  input: ReturnType<typeof watermarkedUpdate>,
  tally: Tally,
): Promise<{ applied: boolean; item: CountsImage | undefined }> => {
  tally.transactions += 1;
  let failed: unknown;
  try {
    return await sendOnce(context, input); // the common case, without a retry's closures
  } catch (error) {
    failed = error;
  }
  let attempts = 1;
  try {
    // The first attempt's error goes through the one retry loop, which decides and waits.
    return await withRetry(
      async (attemptNumber) => {
        if (attemptNumber === 1) throw failed;
        attempts = attemptNumber;
        tally.transactions += 1;
        tally.retries += 1;
        return sendOnce(context, input);
      },
      { ...context.retry, isRetryable: isTransientError },
    );
  } catch (error) {
    throw new CounterError('CountWriteFailed', { attempts, cause: error });
  }
};
