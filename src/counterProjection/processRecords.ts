import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventStore } from '@castore/core';

import type { ImageParser, StreamRecord } from '../imageParser/index.js';
import type { RetryOptions } from '../shared/index.js';
import { failedFrom } from '../streamBatch/index.js';
import { failedRecordLog, type ProjectionLogger } from './batchReport.js';
import type { Counter } from './counter.js';
import { planBatch } from './planBatch.js';
import {
  noStats,
  type ProcessRecordsResult,
  type ProcessRecordsStats,
} from './processRecordsResult.js';
import { recordFates } from './recordFates.js';
import {
  commitMarks,
  type Delivery,
  hasWatermarkCounter,
  requireShard,
  routeBatch,
  type RoutedBatch,
} from './shardWatermark/index.js';
import { commitBatch, type CommitBatchOutcome } from './writePath/index.js';

export type { Delivery } from './shardWatermark/index.js';

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
 * redelivery; counting them twice is impossible anyway (their refs, or marks, are found).
 * Refs counters read straight through: plan, commit. A projection with shardWatermark
 * counters routes the plan through the marks first (shardWatermark/).
 */
export const processRecords = async (
  records: readonly StreamRecord[],
  context: ProcessRecordsContext,
  /** Where the batch comes from: what shardWatermark counters need (the stream runner gives it). */
  batch?: Delivery,
): Promise<ProcessRecordsResult> => {
  requireShard(context.counters, batch, { records: records.length });
  const stats: ProcessRecordsStats = { ...noStats(), records: records.length };
  const marked = batch !== undefined && hasWatermarkCounter(context.counters);
  const plan = planBatch(
    records,
    { ...context, collectFailures: marked && batch.delivery === 'stream' },
    stats,
  );
  const routed: RoutedBatch = marked
    ? await routeBatch(context, { records, plan, batch })
    : {
        refs: plan.increments,
        marks: [],
        facts: undefined,
        rebuildIds: new Map(),
        skipped: plan.skipped,
        duplicateAt: new Set(),
        failure: plan.failures[0],
      };
  const end = routed.failure?.position ?? records.length;
  const committed = await commitRouted(routed, { context, batch, stats, end });
  return resultOf(records, { context, stats, routed, committed });
};

type Committed = CommitBatchOutcome & { notExactAt: Set<number> };

/** Commits what comes before the batch's end, through refs and through marks, side by side. */
const commitRouted = async (
  routed: RoutedBatch,
  {
    context,
    batch,
    stats,
    end,
  }: {
    context: ProcessRecordsContext;
    batch: Delivery | undefined;
    stats: ProcessRecordsStats;
    end: number;
  },
): Promise<Committed> => {
  const before = ({ position }: { position: number }) => position < end;
  const [refs, marks] = await Promise.all([
    commitBatch({ increments: routed.refs.filter(before), context, tally: stats }),
    routed.facts === undefined || batch?.shardId === undefined
      ? undefined
      : commitMarks(
          context,
          {
            increments: routed.marks.filter(before),
            facts: routed.facts,
            shardId: batch.shardId,
            rebuildIds: routed.rebuildIds,
          },
          stats,
        ),
  ]);
  return {
    countedAt: new Set([...refs.countedAt, ...(marks?.countedAt ?? [])]),
    duplicateAt: new Set([
      ...refs.duplicateAt,
      ...(marks?.duplicateAt ?? []),
      ...routed.duplicateAt,
    ]),
    notExactAt: marks?.notExactAt ?? new Set(),
    ...lowestFailure(routed.failure, refs.failure, marks?.failure),
  };
};

type Failure = { position: number; error: unknown } | undefined;
const lowestFailure = (...failures: Failure[]): { failure?: NonNullable<Failure> } => {
  const failure = failures.reduce<Failure>(
    (low, next) =>
      next !== undefined && (low === undefined || next.position < low.position) ? next : low,
    undefined,
  );
  return failure === undefined ? {} : { failure };
};

/** The batch's answer: its fates, and the first record not counted, logged. */
const resultOf = (
  records: readonly StreamRecord[],
  {
    context,
    stats,
    routed,
    committed,
  }: {
    context: ProcessRecordsContext;
    stats: ProcessRecordsStats;
    routed: RoutedBatch;
    committed: Committed;
  },
): ProcessRecordsResult => {
  const skipped = new Map(routed.skipped);
  for (const position of committed.notExactAt)
    if (!committed.countedAt.has(position)) skipped.set(position, 'NotExact');
  const { failure } = committed;
  const fates = recordFates({
    records: records.length,
    skipped,
    countedAt: committed.countedAt,
    duplicateAt: committed.duplicateAt,
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
