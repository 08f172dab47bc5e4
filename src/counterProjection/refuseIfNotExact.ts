import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

import { CounterError } from '../shared/index.js';
import type { Counter } from './counter.js';
import { notExactItem, toKeyAttributes } from './countsItems/index.js';

/**
 * Throws CounterNotExact when one of these counters is a shardWatermark counter marked not
 * exact (it may have missed records): a read must be exact or refuse, never wrong. Refs
 * counters are exact in every setting and cost no read here.
 */
export const refuseIfNotExact = async (
  context: { dynamoDBClient: DynamoDBClient; tableName: string },
  counters: readonly Counter[],
): Promise<void> => {
  const watermarkCounters = [...new Set(counters)].filter(
    ({ idempotency }) => idempotency === 'shardWatermark',
  );
  for (const { name } of watermarkCounters) {
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
