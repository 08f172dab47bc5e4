import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventStore } from '@castore/core';

import { type ImageParser, readRecordFields, type StreamRecord } from '../imageParser/index.js';
import type { RetryOptions } from '../shared/index.js';
import { type BatchContext, failedFrom } from '../streamBatch/index.js';
import { failedRecordLog, type ProjectionLogger } from './batchReport.js';
import type { Counter } from './counter.js';
import { type RefsBefore, toWatermark } from './countsItems/index.js';
import { planBatch } from './planBatch.js';
import {
  noStats,
  type ProcessRecordsResult,
  type ProcessRecordsStats,
} from './processRecordsResult.js';
import { recordFates, withDroppedAsNotExact } from './recordFates.js';
import { findSetAside, setAsideRecords } from './setAside.js';
import { hasWatermarkCounter, markForDelivery, requireShard } from './watermarkBatch.js';
import { readRebuildMarks } from './watermarkRebuild.js';
import { commitBatch } from './writePath/index.js';

export interface ProcessRecordsContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  imageParser: ImageParser<EventStore>;
  counters: readonly Counter[];
  retry: RetryOptions;
  concurrency: number;
  logger: ProjectionLogger;
}

/**
 * Counts a batch with Lambda's semantics: everything before the first failing record is
 * committed, and that record is reported. Records after a malformed one are left for the
 * redelivery; counting them twice is impossible anyway (their refs would be found).
 */
/** Where a batch comes from; `rebuild`: the event table read by a rebuild (refs only). */
export type Delivery = BatchContext | { delivery: 'rebuild'; shardId?: undefined };

export const processRecords = async (
  records: readonly StreamRecord[],
  context: ProcessRecordsContext,
  /** Where the batch comes from: what shardWatermark counters need (the stream runner gives it). */
  batch?: Delivery,
): Promise<ProcessRecordsResult> => {
  requireShard(context.counters, batch);
  const stats: ProcessRecordsStats = { ...noStats(), records: records.length };
  const plan = await planStreamBatch(records, context, batch, stats);
  const increments = await markForDelivery(plan.increments, context, batch);
  const {
    countedAt,
    duplicateAt,
    failure: commitFailure,
  } = await commitBatch({
    increments,
    shardId: batch?.shardId,
    context,
    tally: stats,
  });
  const failure = firstOf(plan.failure, commitFailure);
  const fates = recordFates({
    records: records.length,
    skipped: withDroppedAsNotExact(plan.skipped, { planned: plan.increments, kept: increments }),
    countedAt,
    duplicateAt,
    ...(failure !== undefined ? { failure } : {}),
  });
  if (failure === undefined) return { batchItemFailures: [], stats, fates };
  stats.failed = records.length - failure.position;
  const record = records[failure.position] as StreamRecord;
  const log = failedRecordLog(record, { ...failure, failed: stats.failed });
  context.logger.error(
    `castore-dynamodb-counter: record ${log.sequenceNumber ?? `#${failure.position}`} not counted`,
    log,
  );
  return {
    batchItemFailures: failedFrom(records, failure.position),
    stats,
    error: failure.error,
    fates,
  };
};

type Failure = { position: number; error: unknown } | undefined;
const firstOf = (a: Failure, b: Failure): Failure =>
  a !== undefined && (b === undefined || a.position < b.position) ? a : b;

/**
 * Plans the batch; on a stream batch of shardWatermark counters, skips the records set
 * aside before and sets aside those that fail for a reason of their own, durably, before
 * anything is committed: the watermark may then pass them. Increments after a record that
 * could not be set aside are dropped (the batch stops there).
 */
const planStreamBatch = async (
  records: readonly StreamRecord[],
  context: ProcessRecordsContext,
  batch: Delivery | undefined,
  stats: ProcessRecordsStats,
) => {
  const watermarked = batch?.delivery === 'stream' && hasWatermarkCounter(context.counters);
  const [alreadyAside, rebuildMarks] = watermarked
    ? await Promise.all([
        findSetAside(context, { shardId: batch.shardId, records }),
        readRebuildMarks(context, context.counters),
      ])
    : [new Set<string>(), new Map<string, RefsBefore>()];
  const plan = planBatch(
    records,
    {
      ...context,
      stamp: watermarked,
      setAside: watermarked,
      alreadyAside,
      rebuildMarks,
      toWatermark,
    },
    stats,
  );
  if (!watermarked || plan.aside.length === 0) return plan;
  const asideFailure = await setAsideRecords(context, {
    shardId: batch.shardId,
    aside: plan.aside,
  });
  for (const { position, record, error } of plan.aside)
    if (asideFailure === undefined || position < asideFailure.position)
      context.logger.error(
        `castore-dynamodb-counter: record ${readRecordFields(record).sequenceNumber} set aside`,
        failedRecordLog(record, { position, error, failed: 0 }),
      );
  const failure = firstOf(plan.failure, asideFailure);
  stats.skipped += plan.aside.filter(
    ({ position }) => position < (failure?.position ?? Infinity),
  ).length;
  return {
    ...plan,
    failure,
    increments: plan.increments.filter(
      ({ position }) => failure === undefined || position < failure.position,
    ),
  };
};
