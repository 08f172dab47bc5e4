import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

import {
  CounterError,
  isAwsError,
  mapWithConcurrency,
  type RetryOptions,
  withRetry,
} from '../../shared/index.js';
import type { Counter } from '../counter.js';
import { notExactItem, toKeyAttributes } from '../countsItems/index.js';
import { isWatermarkCounter } from './watermarkCounters.js';

interface TableContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  retry: RetryOptions;
}

/**
 * Marks shardWatermark counters not exact: every read of them then refuses (CounterNotExact)
 * until they are rebuilt into a fresh table. A mark keeps its first reason.
 */
export const markNotExact = async (
  context: TableContext,
  counters: readonly Counter[],
  reason: string,
): Promise<void> => {
  const since = new Date().toISOString();
  const names = [...new Set(counters.filter(isWatermarkCounter).map(({ name }) => name))];
  await mapWithConcurrency(names, 4, (counterName) =>
    withRetry(async () => {
      try {
        await context.dynamoDBClient.send(
          new PutItemCommand(
            notExactItem.put({ tableName: context.tableName, counterName, reason, since }),
          ),
        );
      } catch (error) {
        if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
      }
    }, context.retry),
  );
};

/**
 * Throws CounterNotExact when one of these counters is a shardWatermark counter marked not
 * exact (it may have missed records): a read must be exact or refuse, never wrong. Refs
 * counters are exact in every setting and cost no read here.
 */
export const refuseIfNotExact = async (
  context: { dynamoDBClient: DynamoDBClient; tableName: string },
  counters: readonly Counter[],
): Promise<void> => {
  for (const { name } of [...new Set(counters)].filter(isWatermarkCounter)) {
    const { Item } = await context.dynamoDBClient.send(
      new GetItemCommand({
        TableName: context.tableName,
        Key: toKeyAttributes(notExactItem.key(name)),
        ConsistentRead: true,
      }),
    );
    const notExact = notExactItem.decode(Item);
    if (notExact !== undefined)
      throw new CounterError('CounterNotExact', { counterName: name, ...notExact });
  }
};
