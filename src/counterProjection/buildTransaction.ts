import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';

import { isHashedRefSortKey, refKey, toKeyAttributes, totalKey, windowKey } from './countsTable.js';
import { windowBuckets, type CounterChunk } from './packTransactions.js';
import type { PlannedIncrement } from './planIncrements.js';
import { refShardOf } from './refShard.js';

/** What each action of a transaction stands for, in request order (CancellationReasons use that order). */
export type TransactionAction =
  | { kind: 'total'; chunk: CounterChunk }
  | { kind: 'window'; chunk: CounterChunk }
  | { kind: 'ref'; chunk: CounterChunk; increment: PlannedIncrement };

/**
 * The counter updates and their ref puts, in one transaction: a ref is never recorded
 * without its increment, nor an increment applied without its ref.
 */
export const buildTransaction = (
  tableName: string,
  chunks: CounterChunk[],
  countedAt: string,
): { items: TransactWriteItem[]; actions: TransactionAction[] } => {
  const items: TransactWriteItem[] = [];
  const actions: TransactionAction[] = [];
  for (const chunk of chunks) {
    if (chunk.increments.length === 0) continue;
    const { counter, key } = chunk;
    // Summed as bigints: 99 increments near 2^53 would lose units as numbers, and
    // DynamoDB numbers hold 38 digits.
    const delta = chunk.increments.reduce((sum, { by }) => sum + BigInt(by), 0n);
    items.push({
      Update: {
        TableName: tableName,
        Key: toKeyAttributes(totalKey(counter.name, key)),
        // refShards is recorded on first count and checked after: another value would
        // look for refs in other partitions and count replays twice.
        UpdateExpression: 'ADD #count :delta SET #counter = :counter, #key = :key, #refShards = if_not_exists(#refShards, :refShards)',
        ConditionExpression: 'attribute_not_exists(#refShards) OR #refShards = :refShards',
        ExpressionAttributeNames: { '#count': 'count', '#counter': 'counter', '#key': 'key', '#refShards': 'refShards' },
        ExpressionAttributeValues: {
          ':delta': { N: String(delta) },
          ':counter': { S: counter.name },
          ':key': { S: key },
          ':refShards': { N: String(counter.refShards) },
        },
      },
    });
    actions.push({ kind: 'total', chunk });
    for (const { window, bucket, by } of windowBuckets(chunk).values()) {
      items.push({
        Update: {
          TableName: tableName,
          Key: toKeyAttributes(windowKey(counter.name, window, key, bucket)),
          UpdateExpression: 'ADD #count :delta SET #counter = :counter, #key = :key, #window = :window',
          ExpressionAttributeNames: { '#count': 'count', '#counter': 'counter', '#key': 'key', '#window': 'window' },
          ExpressionAttributeValues: {
            ':delta': { N: String(by) },
            ':counter': { S: counter.name },
            ':key': { S: key },
            ':window': { S: window },
          },
        },
      });
      actions.push({ kind: 'window', chunk });
    }
    for (const increment of chunk.increments) {
      const itemKey = refKey(counter.name, refShardOf(increment.targetRef, counter.refShards), key, increment.targetRef);
      items.push({
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
      });
      actions.push({ kind: 'ref', chunk, increment });
    }
  }
  return { items, actions };
};
