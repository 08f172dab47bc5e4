import {
  type DynamoDBClient,
  PutItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';

import type { StreamRecord } from '../../imageParser/index.js';
import { errorMessageOf, itemSize, type RetryOptions, withRetry } from '../../shared/index.js';
import { errorCodeOf } from '../../streamBatch/index.js';
import { asideItem, encodeStoredRecord } from '../countsItems/index.js';
import { queryPartition } from '../readPages.js';

interface TableContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  retry: RetryOptions;
}

/** A record that failed for a reason of its own, to be set aside rather than hold its shard back. */
export interface FailedRecord {
  position: number;
  record: StreamRecord;
  error: unknown;
}

// A claim and its decisions are one transaction: at most 100 actions (the claim is one) and
// 4 MB; an item at most 400 KB.
const MAX_SET_ASIDE_PER_CLAIM = 99;
const MAX_CLAIM_BYTES = 3_500_000;
const MAX_ITEM_BYTES = 400 * 1024;

const putOf = (
  tableName: string,
  shardId: string,
  { record, error }: FailedRecord,
  sortable: string,
  at: string,
) =>
  asideItem.put({
    tableName,
    shardId,
    watermark: sortable,
    record: encodeStoredRecord(record),
    error: `${errorCodeOf(error)}: ${errorMessageOf(error)}`,
    at,
  });

/**
 * The writes that set these records aside, made with the claim that decides them, as many as
 * one transaction holds from the first on: `fits` says how many, the first that does not
 * (too many, or too large to store) is where the batch stops.
 */
export const setAsideWrites = (
  { tableName, shardId, at }: { tableName: string; shardId: string; at: string },
  failed: readonly (FailedRecord & { sortable: string })[],
): { writes: TransactWriteItem[]; fits: number } => {
  const writes: TransactWriteItem[] = [];
  let bytes = 0;
  for (const record of failed) {
    const put = putOf(tableName, shardId, record, record.sortable, at);
    const size = itemSize(put.Item ?? {});
    if (writes.length === MAX_SET_ASIDE_PER_CLAIM || size > MAX_ITEM_BYTES) break;
    if (bytes + size > MAX_CLAIM_BYTES) break;
    bytes += size;
    writes.push({ Put: put });
  }
  return { writes, fits: writes.length };
};

/** The sequence numbers (40 digits) of the shard's records set aside between two, inclusive. */
export const readSetAside = async (
  context: TableContext,
  { shardId, from, to }: { shardId: string; from: string; to: string },
): Promise<Set<string>> => {
  const items = await withRetry(
    () =>
      queryPartition(context, {
        pk: asideItem.partition,
        between: [asideItem.key(shardId, from).sk, asideItem.key(shardId, to).sk],
      }),
    context.retry,
  );
  const found = new Set<string>();
  for (const item of items) {
    const key = asideItem.decodeKey(item);
    if (key !== undefined) found.add(key.watermark);
  }
  return found;
};

/** Sets one record aside outside a claim (a record decided before that can no longer be told apart). */
export const putSetAside = async (
  context: TableContext,
  { shardId, sortable, ...failed }: FailedRecord & { shardId: string; sortable: string },
): Promise<void> => {
  const put = putOf(context.tableName, shardId, failed, sortable, new Date().toISOString());
  await withRetry(() => context.dynamoDBClient.send(new PutItemCommand(put)), context.retry);
};
