import {
  type DynamoDBClient,
  UpdateItemCommand,
  type UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';

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

type Answer = { applied: boolean; item: CountsImage | undefined };

const applied = ({ Attributes }: UpdateItemCommandOutput): Answer => ({
  applied: true,
  item: Attributes as CountsImage | undefined,
});

const refusedOrThrown = (error: unknown): Answer => {
  if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
  return { applied: false, item: (error as { Item?: CountsImage }).Item };
};

/** Sends an update once: its new image, or the item as it was when its condition refused it. */
const sendOnce = (
  context: Context,
  input: ReturnType<typeof watermarkedUpdate>,
): Promise<Answer> => {
  let sent: Promise<UpdateItemCommandOutput>;
  try {
    // Promise.resolve: the same promise from the SDK's client, a promise from a mock's value.
    sent = Promise.resolve(context.dynamoDBClient.send(new UpdateItemCommand(input)));
  } catch (error) {
    // A client that throws at once is retried as one that rejects (what it throws, as is).
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    sent = Promise.reject(error);
  }
  return sent.then(applied, refusedOrThrown);
};

/**
 * Sends an update, again after a transient error (throttling, 5xx, the network), up to the
 * retry budget. The common case is one promise chain and no async function: it runs once per
 * counts item and batch, and each async frame costs a few hundred bytes to collect.
 */
export const sendMarkUpdate = (
  context: Context,
  input: ReturnType<typeof watermarkedUpdate>,
  tally: Tally,
): Promise<Answer> => {
  tally.transactions += 1;
  return sendOnce(context, input).catch((error: unknown) =>
    sendAgain(context, input, tally, error),
  );
};

/** The first attempt's error goes through the one retry loop, which decides and waits. */
const sendAgain = async (
  context: Context,
  input: ReturnType<typeof watermarkedUpdate>,
  tally: Tally,
  failed: unknown,
): Promise<Answer> => {
  let attempts = 1;
  try {
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
