import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';

import { refItem, totalItem, watermarkItem, windowItem } from '../countsItems/index.js';
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
  if (action.kind === 'watermark') return watermarkUpdate(tableName, action.chunk, countedAt);
  if (action.kind === 'total') return totalUpdate(tableName, action.chunk);
  if (action.kind === 'window') return windowUpdate(tableName, action);
  return refPut(tableName, action, countedAt);
};

const totalUpdate = (tableName: string, { counter, key, increments }: CounterChunk) => ({
  Update: totalItem.increment({
    tableName,
    counterName: counter.name,
    key,
    delta: increments.reduce((sum, { by }) => sum + BigInt(by), 0n),
    refShards: counter.refShards,
    idempotency: counter.idempotency,
  }),
});

/** A chunk's increments are in the shard's order (processRecords checks it): first and last bound the run. */
const watermarkUpdate = (
  tableName: string,
  { counter, key, increments, shardId }: CounterChunk,
  at: string,
) => {
  const first = increments[0]?.watermark;
  const last = increments[increments.length - 1]?.watermark;
  if (shardId === undefined || first === undefined || last === undefined)
    throw new Error('A shardWatermark chunk without its shard or sequence numbers'); // a bug, not an input
  return {
    Update: watermarkItem.advance({
      tableName,
      counterName: counter.name,
      key,
      shardId,
      first,
      last,
      delta: increments.reduce((sum, { by }) => sum + BigInt(by), 0n),
      at,
    }),
  };
};

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
