import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventStore } from '@castore/core';

import type { ImageParser, SkipReason, StreamRecord } from '../imageParser/index.js';
import type { RetryOptions } from '../shared/index.js';
import { type BatchContext, failedFrom } from '../streamBatch/index.js';
import { failedRecordLog, type ProjectionLogger } from './batchReport.js';
import type { Counter } from './counter.js';
import type { ProcessRecordsResult, ProcessRecordsStats } from './processRecordsResult.js';
import { recordFates } from './recordFates.js';
import { markReplayNotExact, requireShard, stampWatermark } from './watermarkBatch.js';
import { commitBatch, planIncrements, type PlannedIncrement } from './writePath/index.js';

export interface ProcessRecordsContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  imageParser: ImageParser<EventStore>;
  counters: readonly Counter[];
  retry: RetryOptions;
  concurrency: number;
  logger: ProjectionLogger;
}

/** A batch's stats before anything was counted. */
export const noStats = (): ProcessRecordsStats => ({
  records: 0,
  events: 0,
  counted: 0,
  duplicates: 0,
  skipped: 0,
  failed: 0,
  transactions: 0,
  retries: 0,
});

/** Adds a batch's stats to running totals (a rebuild's, a test's deliveries). */
export const addStats = (totals: ProcessRecordsStats, stats: ProcessRecordsStats): void => {
  for (const name of Object.keys(totals) as (keyof ProcessRecordsStats)[])
    totals[name] += stats[name];
};

/**
 * Counts a batch with Lambda's semantics: everything before the first failing record is
 * committed, and that record is reported. Records after a malformed one are left for the
 * redelivery; counting them twice is impossible anyway (their refs would be found).
 */
export const processRecords = async (
  records: readonly StreamRecord[],
  context: ProcessRecordsContext,
  /** Where the batch comes from: what shardWatermark counters need (the stream runner gives it). */
  batch?: BatchContext,
): Promise<ProcessRecordsResult> => {
  requireShard(context.counters, batch);
  const stats: ProcessRecordsStats = { ...noStats(), records: records.length };
  const planned = planBatch(records, { ...context, stamp: batch?.delivery === 'stream' }, stats);
  const { skipped, failure: parseFailure } = planned;
  const increments =
    batch?.delivery === 'replay'
      ? await markReplayNotExact(planned.increments, { ...context, shardId: batch.shardId })
      : planned.increments;
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
  const failure =
    parseFailure !== undefined &&
    (commitFailure === undefined || parseFailure.position < commitFailure.position)
      ? parseFailure
      : commitFailure;

  const fates = recordFates({
    records: records.length,
    skipped,
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

const planBatch = (
  records: readonly StreamRecord[],
  context: ProcessRecordsContext & { stamp: boolean },
  stats: ProcessRecordsStats,
) => {
  const increments: PlannedIncrement[] = [];
  const skipped = new Map<number, SkipReason>();
  const order: { last?: string } = {};
  for (const [position, record] of records.entries()) {
    try {
      const parsed = context.imageParser.parseRecord(record);
      if (parsed.kind === 'skipped') {
        stats.skipped += 1;
        skipped.set(position, parsed.reason);
        continue;
      }
      stats.events += 1;
      const recordIncrements = planIncrements({
        counters: context.counters,
        message: parsed.message,
        position,
        sequenceNumber: parsed.sequenceNumber,
      });
      if (context.stamp) stampWatermark(recordIncrements, parsed.sequenceNumber, order);
      increments.push(...recordIncrements);
    } catch (error) {
      return { increments, skipped, failure: { position, error } };
    }
  }
  return { increments, skipped, failure: undefined };
};
