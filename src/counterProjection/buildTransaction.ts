import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';

import { isHashedRefSortKey, refKey, toKeyAttributes, totalKey, windowKey } from './countsTable.js';
import { type CounterChunk, windowBuckets } from './packTransactions.js';
import type { PlannedIncrement } from './planIncrements.js';
import { refShardOf } from './refShard.js';

/** What each action of a transaction stands for, in request order (CancellationReasons use that order). */
export type TransactionAction =
  | { kind: 'total'; chunk: CounterChunk }
  | { kind: 'window'; chunk: CounterChunk }
  | { kind: 'ref'; chunk: CounterChunk; increment: PlannedIncrement };

/** One action of a transaction and what it stands for: built together, so they cannot drift apart. */
export interface TransactionUnit {
  item: TransactWriteItem;
  action: TransactionAction;
}

/**
 * The counter updates and their ref puts, in one transaction: a ref is never recorded
 * without its increment, nor an increment applied without its ref.
 */
export const buildTransaction = (
  tableName: string,
  chunks: CounterChunk[],
  countedAt: string,
): { items: TransactWriteItem[]; actions: TransactionAction[] } => {
  const units = chunks
    .filter((chunk) => chunk.increments.length > 0)
    .flatMap((chunk) => [
      totalUnit(tableName, chunk),
      ...windowUnits(tableName, chunk),
      ...refUnits(tableName, chunk, countedAt),
    ]);
  return { items: units.map(({ item }) => item), actions: units.map(({ action }) => action) };
};

const totalUnit = (tableName: string, chunk: CounterChunk): TransactionUnit => {
  const { counter, key } = chunk;
  // Summed as bigints: 99 increments near 2^53 would lose units as numbers, and
  // DynamoDB numbers hold 38 digits.
  const delta = chunk.increments.reduce((sum, { by }) => sum + BigInt(by), 0n);
  const item: TransactWriteItem = {
    Update: {
      TableName: tableName,
      Key: toKeyAttributes(totalKey(counter.name, key)),
      // refShards is recorded on first count and checked after: another value would
      // look for refs in other partitions and count replays twice.
      UpdateExpression:
        'ADD #count :delta SET #counter = :counter, #key = :key, #refShards = if_not_exists(#refShards, :refShards)',
      ConditionExpression: 'attribute_not_exists(#refShards) OR #refShards = :refShards',
      ExpressionAttributeNames: {
        '#count': 'count',
        '#counter': 'counter',
        '#key': 'key',
        '#refShards': 'refShards',
      },
      ExpressionAttributeValues: {
        ':delta': { N: String(delta) },
        ':counter': { S: counter.name },
        ':key': { S: key },
        ':refShards': { N: String(counter.refShards) },
      },
    },
  };
  return { item, action: { kind: 'total', chunk } };
};

const windowUnits = (tableName: string, chunk: CounterChunk): TransactionUnit[] =>
  [...windowBuckets(chunk).values()].map(({ window, bucket, by }) => ({
    item: {
      Update: {
        TableName: tableName,
        Key: toKeyAttributes(windowKey(chunk.counter.name, window, chunk.key, bucket)),
        UpdateExpression:
          'ADD #count :delta SET #counter = :counter, #key = :key, #window = :window',
        ExpressionAttributeNames: {
          '#count': 'count',
          '#counter': 'counter',
          '#key': 'key',
          '#window': 'window',
        },
        ExpressionAttributeValues: {
          ':delta': { N: String(by) },
          ':counter': { S: chunk.counter.name },
          ':key': { S: chunk.key },
          ':window': { S: window },
        },
      },
    },
    action: { kind: 'window', chunk },
  }));

const refUnits = (tableName: string, chunk: CounterChunk, countedAt: string): TransactionUnit[] =>
  chunk.increments.map((increment) => {
    const { counter, key } = chunk;
    const itemKey = refKey(
      counter.name,
      refShardOf(increment.targetRef, counter.refShards),
      key,
      increment.targetRef,
    );
    const item: TransactWriteItem = {
      Put: {
        TableName: tableName,
        Item: {
          ...toKeyAttributes(itemKey),
          by: { N: String(increment.by) },
          at: { S: countedAt },
          ...(isHashedRefSortKey(itemKey.sk) ? { ref: { S: increment.targetRef } } : {}),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    return { item, action: { kind: 'ref', chunk, increment } };
  });
