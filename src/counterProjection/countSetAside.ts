import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { EventStore } from '@castore/core';

import type { ImageParser, StreamRecord } from '../imageParser/index.js';
import { errorMessageOf, type RetryOptions } from '../shared/index.js';
import type { Counter } from './counter.js';
import { asideItem, type CountsImage } from './countsItems/index.js';
import { planBatch } from './planBatch.js';
import { noStats } from './processRecords.js';
import { commitBatch } from './writePath/index.js';

export interface SetAsideReport {
  /** Records set aside that are now counted (through refs). */
  counted: number;
  /** Records that still fail: fix the counter (or the event) and call again. */
  stillFailing: { shardId: string; sequenceNumber: string; error: string }[];
}

interface CountSetAsideContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  imageParser: ImageParser<EventStore>;
  counters: readonly Counter[];
  retry: RetryOptions;
  concurrency: number;
}

/**
 * Counts the records set aside (by a stream batch of shardWatermark counters) through refs,
 * for every counter of the projection: refs make a second call count nothing twice. Each
 * counted record stays listed, marked counted, so that a late redelivery of it is skipped.
 */
export const countSetAside = async (context: CountSetAsideContext): Promise<SetAsideReport> => {
  const report: SetAsideReport = { counted: 0, stillFailing: [] };
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await context.dynamoDBClient.send(
      new QueryCommand({
        TableName: context.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: asideItem.partition } },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) await countOne(context, item, report);
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return report;
};

const countOne = async (
  context: CountSetAsideContext,
  item: CountsImage,
  report: SetAsideReport,
): Promise<void> => {
  const key = asideItem.decodeKey(item);
  const stored = asideItem.decodeRecord(item);
  if (key === undefined || stored === undefined || stored.counted) return;
  const fail = (error: unknown) =>
    report.stillFailing.push({
      shardId: key.shardId,
      sequenceNumber: key.watermark.replace(/^0+(?=\d{21})/, ''),
      error: errorMessageOf(error),
    });
  const record = JSON.parse(stored.record) as StreamRecord;
  const plan = planBatch(
    [record],
    {
      ...context,
      stamp: false,
      setAside: false,
      alreadyAside: new Set(),
      rebuildMarks: new Map(),
      toWatermark: () => undefined,
    },
    noStats(),
  );
  if (plan.failure !== undefined) return void fail(plan.failure.error);
  const { failure } = await commitBatch({ increments: plan.increments, context, tally: noStats() });
  if (failure !== undefined) return void fail(failure.error);
  await context.dynamoDBClient.send(
    new UpdateItemCommand(asideItem.markCounted({ tableName: context.tableName, ...key })),
  );
  report.counted += 1;
};
