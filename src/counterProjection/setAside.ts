import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

import { readRecordFields, type StreamRecord } from '../imageParser/index.js';
import {
  errorMessageOf,
  isAwsError,
  mapWithConcurrency,
  type RetryOptions,
  withRetry,
} from '../shared/index.js';
import { errorCodeOf } from '../streamBatch/index.js';
import { asideItem, toWatermark } from './countsItems/index.js';
import type { FailedRecord } from './planBatch.js';
import { queryPartition } from './readPages.js';

interface TableContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  retry: RetryOptions;
}

/**
 * The sequence numbers (as watermarks) of a batch's records already set aside: a
 * redelivered record found there is skipped, even one that would now count, so that no
 * event is counted both by its shard's watermark and, later, through a ref.
 */
export const findSetAside = async (
  context: TableContext,
  { shardId, records }: { shardId: string; records: readonly StreamRecord[] },
): Promise<Set<string>> => {
  const watermarks = records
    .map((record) => toWatermark(readRecordFields(record).sequenceNumber))
    .filter((watermark): watermark is string => watermark !== undefined)
    .sort();
  const found = new Set<string>();
  const [first, last] = [watermarks[0], watermarks[watermarks.length - 1]];
  if (first === undefined || last === undefined) return found;
  const [from, to] = [asideItem.key(shardId, first).sk, asideItem.key(shardId, last).sk];
  const items = await withRetry(
    () => queryPartition(context, { pk: asideItem.partition, between: [from, to] }),
    context.retry,
  );
  for (const item of items) {
    const key = asideItem.decodeKey(item);
    if (key !== undefined) found.add(key.watermark);
  }
  return found;
};

/**
 * Writes the records that failed for a reason of their own, each before the watermark may
 * pass it. Returns the first that could not be written (too large, or DynamoDB kept
 * failing): the batch must stop there, as it would without setting aside.
 */
export const setAsideRecords = async (
  context: TableContext,
  { shardId, aside }: { shardId: string; aside: readonly FailedRecord[] },
): Promise<{ position: number; error: unknown } | undefined> => {
  const failures: { position: number; error: unknown }[] = [];
  const at = new Date().toISOString();
  await mapWithConcurrency([...aside], 4, async ({ position, record, error }) => {
    try {
      const put = asideItem.put({
        tableName: context.tableName,
        shardId,
        watermark: toWatermark(readRecordFields(record).sequenceNumber) as string,
        record: JSON.stringify(record),
        error: `${errorCodeOf(error)}: ${errorMessageOf(error)}`,
        at,
      });
      await withRetry(async () => {
        try {
          await context.dynamoDBClient.send(new PutItemCommand(put));
        } catch (putError) {
          // Set aside before (a redelivery): the first stays.
          if (!isAwsError(putError, 'ConditionalCheckFailedException')) throw putError;
        }
      }, context.retry);
    } catch (putError) {
      failures.push({ position, error: putError });
    }
  });
  return failures.sort((a, b) => a.position - b.position)[0];
};
