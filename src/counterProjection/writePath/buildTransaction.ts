import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';

import {
  COUNTS_ATTRIBUTES,
  countsAttributeNames,
  isHashedRefSortKey,
  refKey,
  toKeyAttributes,
  totalKey,
  windowKey,
} from '../countsTable.js';
import { refShardOf } from './refShard.js';
import { chunkActions, type CounterChunk, type TransactionAction } from './transactionActions.js';

/** One action of a transaction and the request item it becomes: built together, so they cannot drift apart. */
export interface TransactionUnit {
  item: TransactWriteItem;
  action: TransactionAction;
}

/**
 * The counter updates and their ref puts, in one transaction: a ref is never recorded
 * without its increment, nor an increment applied without its ref.
 */
export const buildTransaction = ({
  tableName,
  chunks,
  countedAt,
}: {
  tableName: string;
  chunks: CounterChunk[];
  countedAt: string;
}): TransactionUnit[] =>
  chunks
    .flatMap(chunkActions)
    .map((action) => ({ action, item: toItem(action, tableName, countedAt) }));

const toItem = (action: TransactionAction, tableName: string, countedAt: string) => {
  if (action.kind === 'total') return totalItem(tableName, action.chunk);
  if (action.kind === 'window') return windowItem(tableName, action);
  return refItem(tableName, action, countedAt);
};

const totalItem = (tableName: string, chunk: CounterChunk): TransactWriteItem => {
  const { counter, key } = chunk;
  // Summed as bigints: 99 increments near 2^53 would lose units as numbers, and
  // DynamoDB numbers hold 38 digits.
  const delta = chunk.increments.reduce((sum, { by }) => sum + BigInt(by), 0n);
  return {
    Update: {
      TableName: tableName,
      Key: toKeyAttributes(totalKey(counter.name, key)),
      // refShards is recorded on first count and checked after: another value would
      // look for refs in other partitions and count replays twice.
      UpdateExpression:
        'ADD #count :delta SET #counter = :counter, #key = :key, #refShards = if_not_exists(#refShards, :refShards)',
      ConditionExpression: 'attribute_not_exists(#refShards) OR #refShards = :refShards',
      ExpressionAttributeNames: countsAttributeNames('count', 'counter', 'key', 'refShards'),
      ExpressionAttributeValues: {
        ':delta': { N: String(delta) },
        ':counter': { S: counter.name },
        ':key': { S: key },
        ':refShards': { N: String(counter.refShards) },
      },
    },
  };
};

const windowItem = (
  tableName: string,
  { chunk, window, bucket, by }: TransactionAction & { kind: 'window' },
): TransactWriteItem => ({
  Update: {
    TableName: tableName,
    Key: toKeyAttributes(windowKey(chunk.counter.name, window, chunk.key, bucket)),
    UpdateExpression: 'ADD #count :delta SET #counter = :counter, #key = :key, #window = :window',
    ExpressionAttributeNames: countsAttributeNames('count', 'counter', 'key', 'window'),
    ExpressionAttributeValues: {
      ':delta': { N: String(by) },
      ':counter': { S: chunk.counter.name },
      ':key': { S: chunk.key },
      ':window': { S: window },
    },
  },
});

const refItem = (
  tableName: string,
  { chunk: { counter, key }, increment }: TransactionAction & { kind: 'ref' },
  countedAt: string,
): TransactWriteItem => {
  const itemKey = refKey(
    counter.name,
    refShardOf(increment.targetRef, counter.refShards),
    key,
    increment.targetRef,
  );
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...toKeyAttributes(itemKey),
        [COUNTS_ATTRIBUTES.by]: { N: String(increment.by) },
        [COUNTS_ATTRIBUTES.at]: { S: countedAt },
        ...(isHashedRefSortKey(itemKey.sk)
          ? { [COUNTS_ATTRIBUTES.ref]: { S: increment.targetRef } }
          : {}),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
};
