import { EVENT_TABLE_PK, EVENT_TABLE_SK } from '../adapter/index.js';
import { oldestRecordAgeMs, readRecordFields, type StreamRecord } from '../imageParser/index.js';
import { errorMessageOf } from '../shared/index.js';
import { errorCodeOf } from '../streamBatch/index.js';
import type { ProcessRecordsResult } from './processRecordsResult.js';
import { RECORD_SKIP_REASONS } from './recordFates.js';

/**
 * Where the projection logs. Powertools' Logger (`@aws-lambda-powertools/logger`) fits as
 * is and writes each call as one JSON line; `console` fits too (text). `info`, when there,
 * gets one line per batch; `error` one line per batch that did not commit whole.
 */
export interface ProjectionLogger {
  error(message: string, attributes: FailedRecordLog): void;
  info?(message: string, attributes: BatchLog): void;
}

/**
 * Where the handler puts its figures. Powertools' Metrics (`@aws-lambda-powertools/metrics`)
 * fits as is: it writes them in CloudWatch's Embedded Metric Format, under the namespace
 * and service it was made with, when the handler publishes them after each batch.
 */
export interface ProjectionMetrics {
  addMetric(name: string, unit: 'Count' | 'Milliseconds', value: number): void;
  publishStoredMetrics(): void;
}

/** The error line of a batch that did not commit whole: the record Lambda retries from. */
// Type aliases, not interfaces: Powertools' Logger takes attributes with an index signature,
// which only an alias's object type satisfies implicitly.
export type FailedRecordLog = {
  sequenceNumber: string | undefined;
  /** The record's place in the batch, from 0. */
  position: number;
  /** The event table item's keys, when the record has them: `store#aggregate` and version. */
  aggregateKey: string | undefined;
  version: string | undefined;
  errorCode: string;
  /** What was wrong and what to do. */
  errorMessage: string;
  /** This record and every one after it in the batch: delivered again. */
  recordsFailed: number;
};

export type BatchLog = ProcessRecordsResult['fates'] &
  Pick<ProcessRecordsResult['stats'], 'records' | 'transactions' | 'retries'> & {
    incrementsCounted: number;
    incrementsDuplicate: number;
    /** How long ago the batch's oldest record was written (ApproximateCreationDateTime). */
    oldestRecordAgeMs: number | undefined;
  };

const keyOf = (record: StreamRecord, attribute: string, type: 'S' | 'N') => {
  // A hostile record may be anything, null included: nothing here may throw.
  const keys = readRecordFields(record).keys as
    Record<string, Record<string, unknown> | null> | null | undefined;
  const value = keys?.[attribute]?.[type];
  return typeof value === 'string' ? value : undefined;
};

export const failedRecordLog = (
  record: StreamRecord,
  { position, error, failed }: { position: number; error: unknown; failed: number },
): FailedRecordLog => {
  return {
    sequenceNumber: readRecordFields(record).sequenceNumber,
    position,
    aggregateKey: keyOf(record, EVENT_TABLE_PK, 'S'),
    version: keyOf(record, EVENT_TABLE_SK, 'N'),
    errorCode: errorCodeOf(error),
    errorMessage: errorMessageOf(error),
    recordsFailed: failed,
  };
};

export const batchLog = (
  { stats, fates }: ProcessRecordsResult,
  ageMs: number | undefined,
): BatchLog => ({
  records: stats.records,
  ...fates,
  incrementsCounted: stats.counted,
  incrementsDuplicate: stats.duplicates,
  transactions: stats.transactions,
  retries: stats.retries,
  oldestRecordAgeMs: ageMs,
});

/** The metrics of one batch, by name: each record's fate, the increments and the requests. */
export const batchMetrics = (
  log: BatchLog,
): { name: string; unit: 'Count' | 'Milliseconds'; value: number }[] => {
  const count = (name: string, value: number) => ({ name, unit: 'Count' as const, value });
  const skipped = RECORD_SKIP_REASONS.map((reason) => log.skipped[reason]);
  return [
    count('Records', log.records),
    count('RecordsCounted', log.counted),
    count('RecordsDuplicate', log.duplicate),
    count(
      'RecordsSkipped',
      skipped.reduce((sum, value) => sum + value, 0),
    ),
    ...RECORD_SKIP_REASONS.map((reason) => count(`RecordsSkipped${reason}`, log.skipped[reason])),
    count('RecordsFailed', log.failed),
    ...(log.failedCode !== undefined ? [count(`RecordsFailed${log.failedCode}`, log.failed)] : []),
    count('IncrementsCounted', log.incrementsCounted),
    count('IncrementsDuplicate', log.incrementsDuplicate),
    count('Transactions', log.transactions),
    count('TransactionRetries', log.retries),
    ...(log.oldestRecordAgeMs !== undefined
      ? [{ name: 'OldestRecordAge', unit: 'Milliseconds' as const, value: log.oldestRecordAgeMs }]
      : []),
  ];
};

/** Logs the batch (info) and publishes its metrics: the handler's report of one invocation. */
export const reportBatch = (
  { logger, metrics }: { logger: ProjectionLogger; metrics: ProjectionMetrics | undefined },
  {
    records,
    result,
    now,
  }: { records: readonly StreamRecord[]; result: ProcessRecordsResult; now: Date },
): void => {
  const log = batchLog(result, oldestRecordAgeMs(records, now));
  logger.info?.('castore-dynamodb-counter: batch handled', log);
  if (metrics === undefined) return;
  for (const { name, unit, value } of batchMetrics(log)) metrics.addMetric(name, unit, value);
  metrics.publishStoredMetrics();
};
