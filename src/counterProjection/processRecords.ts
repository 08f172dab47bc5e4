import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventStore } from '@castore/core';

import type { ImageParser, SkipReason, StreamRecord } from '../imageParser/index.js';
import type { RetryOptions } from '../shared/index.js';
import { failedFrom } from '../streamBatch/index.js';
import { failedRecordLog, type ProjectionLogger } from './batchReport.js';
import type { Counter } from './counter.js';
import type { ProcessRecordsResult, ProcessRecordsStats } from './processRecordsResult.js';
import { recordFates } from './recordFates.js';
import {
  commitTransaction,
  packTransactions,
  planIncrements,
  type PlannedIncrement,
  runTransactions,
} from './writePath/index.js';

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
): Promise<ProcessRecordsResult> => {
  const stats: ProcessRecordsStats = { ...noStats(), records: records.length };
  const { increments, skipped, failure: parseFailure } = planBatch(records, context, stats);
  const countedAt = new Set<number>();
  const duplicateAt = new Set<number>();

  let failure = parseFailure;
  const transactions = packTransactions(increments);
  await runTransactions(transactions, context.concurrency, async (chunks) => {
    try {
      const result = await commitTransaction({ ...context, chunks, tally: stats });
      stats.counted += result.counted.length;
      stats.duplicates += result.duplicates.length;
      for (const { position } of result.counted) countedAt.add(position);
      for (const { position } of result.duplicates) duplicateAt.add(position);
    } catch (error) {
      // Every record before the lowest position of a failed transaction is wholly counted
      // (its increments are in transactions that committed), so that record is the one
      // reported: Lambda retries from it, and the refs make re-sent increments duplicates.
      const position = Math.min(
        ...chunks.flatMap(({ increments: chunkIncrements }) =>
          chunkIncrements.map((i) => i.position),
        ),
      );
      if (failure === undefined || position < failure.position) failure = { position, error };
    }
  });

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
  context: ProcessRecordsContext,
  stats: ProcessRecordsStats,
) => {
  const increments: PlannedIncrement[] = [];
  const skipped = new Map<number, SkipReason>();
  for (const [position, record] of records.entries()) {
    try {
      const parsed = context.imageParser.parseRecord(record);
      if (parsed.kind === 'skipped') {
        stats.skipped += 1;
        skipped.set(position, parsed.reason);
        continue;
      }
      stats.events += 1;
      increments.push(
        ...planIncrements({
          counters: context.counters,
          message: parsed.message,
          position,
          sequenceNumber: parsed.sequenceNumber,
        }),
      );
    } catch (error) {
      return { increments, skipped, failure: { position, error } };
    }
  }
  return { increments, skipped, failure: undefined };
};
