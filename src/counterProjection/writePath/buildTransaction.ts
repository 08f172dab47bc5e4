import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';

import { type CountGuard, refItem, totalItem, windowItem } from '../countsItems/index.js';
import { bucketExpiry } from '../windows.js';
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

const toItem = (
  action: TransactionAction,
  tableName: string,
  countedAt: string,
): TransactWriteItem => {
  if (action.kind === 'total') return totalUpdate(tableName, action.chunk);
  if (action.kind === 'window') return windowUpdate(tableName, action);
  return refPut(tableName, action, countedAt);
};

/** A chunk's increments share their counter and the rebuild mark their batch saw. */
const guardOf = ({ counter, increments }: CounterChunk): CountGuard => ({
  idempotency: counter.idempotency,
  rebuildId: increments[0]?.rebuildId,
});

const totalUpdate = (tableName: string, chunk: CounterChunk) => ({
  Update: totalItem.increment({
    tableName,
    counterName: chunk.counter.name,
    key: chunk.key,
    delta: chunk.increments.reduce((sum, { by }) => sum + BigInt(by), 0n),
    refShards: chunk.counter.refShards,
    guard: guardOf(chunk),
  }),
});

const windowUpdate = (
  tableName: string,
  { chunk, window, bucket, by }: TransactionAction & { kind: 'window' },
) => {
  const days = chunk.counter.windowRetention[window];
  return {
    Update: windowItem.increment({
      tableName,
      counterName: chunk.counter.name,
      window,
      key: chunk.key,
      bucket,
      delta: by,
      guard: guardOf(chunk),
      ...(days === undefined ? {} : { expiresAt: bucketExpiry(window, bucket, days) }),
    }),
  };
};

const refPut = (
  tableName: string,
  { chunk: { counter, key }, increment: { targetRef, by } }: TransactionAction & { kind: 'ref' },
  countedAt: string,
) => ({
  Put: refItem.put({
    tableName,
    counterName: counter.name,
    shard: refShardOf(targetRef, counter.refShards),
    key,
    targetRef,
    by,
    countedAt,
  }),
});
