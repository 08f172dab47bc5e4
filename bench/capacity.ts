import {
  type AttributeValue,
  type DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

import { itemSize } from '../src/shared/itemSize.js';

/** AWS bills a transactional write 2 WCU per started KB of each item. */
export const transactionWcu = (sizes: number[]): number =>
  sizes.reduce((wcu, size) => wcu + 2 * Math.max(1, Math.ceil(size / 1024)), 0);

/**
 * AWS bills a conditional write its condition refused as a write of the item as it stood (1
 * WCU per started KB, at least 1), and DynamoDB Local throws without a figure: the item
 * returned with the refusal (ReturnValuesOnConditionCheckFailure: ALL_OLD, which the shard
 * watermark's writes ask for) gives its size; without it, 1.
 */
export const refusedWriteWcu = ({ Item }: { Item?: Record<string, AttributeValue> }): number =>
  Item === undefined ? 1 : Math.max(1, Math.ceil(itemSize(Item) / 1024));

/**
 * Wraps a client to count the write capacity each call costs on AWS. Single-item writes
 * ask DynamoDB (ReturnConsumedCapacity: TOTAL, size-based and right), refused ones are billed
 * by refusedWriteWcu; transactions apply
 * AWS's rule to the items, since DynamoDB Local under-reports them. Updates in
 * transactions are counted by the size `updatedItemSize` says the item has; a ConditionCheck
 * is billed as a transactional write of the checked item (2 WCU under 1 KB; measured on AWS by
 * others, not stated plainly in AWS's pages). A cancelled
 * transaction (a ref already there, a conflict) is billed like a committed one, as AWS
 * bills it: under redelivery, every transactional design pays for its duplicates.
 */
export const meteredClient = (
  client: DynamoDBClient,
  updatedItemSize: (key: Record<string, AttributeValue>) => number = () => 100,
): { client: DynamoDBClient; takeWcu: () => number } => {
  let wcu = 0;
  const metered = new Proxy(client, {
    get: (target, property, receiver) => {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: { input: Record<string, unknown> }) => {
        if (command instanceof PutItemCommand || command instanceof UpdateItemCommand) {
          command.input.ReturnConsumedCapacity = 'TOTAL';
          try {
            const result = await target.send(command as never);
            wcu +=
              (result as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity
                ?.CapacityUnits ?? 0;
            return result;
          } catch (error) {
            if ((error as Error).name === 'ConditionalCheckFailedException')
              wcu += refusedWriteWcu(error as { Item?: Record<string, AttributeValue> });
            throw error;
          }
        }
        if (command instanceof TransactWriteItemsCommand) {
          const sizes = (command.input.TransactItems ?? []).map(
            (action) =>
              action.Put !== undefined
                ? itemSize(action.Put.Item ?? {})
                : action.Update !== undefined
                  ? updatedItemSize(action.Update.Key ?? {})
                  : 100, // a ConditionCheck, or an Update whose item we cannot size
          );
          try {
            const result = await target.send(command);
            wcu += transactionWcu(sizes);
            return result;
          } catch (error) {
            if ((error as Error).name === 'TransactionCanceledException')
              wcu += transactionWcu(sizes);
            throw error;
          }
        }
        return target.send(command as never);
      };
    },
  });
  return {
    client: metered,
    takeWcu: () => {
      const taken = wcu;
      wcu = 0;
      return taken;
    },
  };
};
