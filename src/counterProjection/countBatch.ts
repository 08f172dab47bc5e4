import type { StreamRecord } from '../imageParser/index.js';
import { isCounterError } from '../shared/index.js';
import { failedFrom } from '../streamBatch/index.js';
import {
  failedRecordLog,
  type ProjectionLogger,
  type ProjectionMetrics,
  reportBatch,
} from './batchReport.js';
import { type Delivery, processRecords, type ProcessRecordsContext } from './processRecords.js';
import { noStats, type ProcessRecordsResult } from './processRecordsResult.js';
import { recordFates } from './recordFates.js';

/**
 * The projection's handler work on a batch: processRecords, logged and reported (metrics).
 * A runner's batch (stream or replay) that throws instead of reporting a record (a
 * shardWatermark batch whose counts table cannot be read) fails whole, as the throw would
 * have it retried, but said: logged with its cause, in the metrics (RecordsFailed) and
 * returned with its error, which the runner's progress and UndeliverableRecords report.
 */
export const countBatch = async (
  records: readonly StreamRecord[],
  context: Omit<ProcessRecordsContext, 'logger'>,
  batch: Delivery | undefined,
  report: { logger?: ProjectionLogger | undefined; metrics?: ProjectionMetrics | undefined },
): Promise<ProcessRecordsResult> => {
  const logger = report.logger ?? { error: console.error };
  const result = await processRecords(records, { ...context, logger }, batch).catch(
    (error: unknown) => failedWhole(records, batch, error, logger),
  );
  reportBatch({ logger, metrics: report.metrics }, { records, result, now: new Date() });
  return result;
};

/**
 * Every record failed, from the first, with the error thrown. Thrown again where throwing
 * is the answer: a call without a runner's batch (Lambda's handler answers with a throw, a
 * batch refused whole (no shard, no claim: the caller's to see), a rebuild, an empty batch
 * (no record to report: the runner's notice of a dead letter must fail as a throw).
 */
const failedWhole = (
  records: readonly StreamRecord[],
  batch: Delivery | undefined,
  error: unknown,
  logger: ProjectionLogger,
): ProcessRecordsResult => {
  const first = records[0];
  if (batch === undefined || batch.delivery === 'rebuild' || first === undefined) throw error;
  // A batch the projection cannot take at all (no shard, no claim): the caller's mistake.
  if (isCounterError(error, 'WatermarkRefused') && error.setting.startsWith('No')) throw error;
  const failed = records.length;
  const log = failedRecordLog(first, { position: 0, error, failed });
  logger.error(`castore-dynamodb-counter: record ${log.sequenceNumber ?? '#0'} not counted`, log);
  const fates = recordFates({
    records: failed,
    skipped: new Map(),
    countedAt: new Set(),
    duplicateAt: new Set(),
    failure: { position: 0, error },
  });
  return {
    batchItemFailures: failedFrom(records, 0),
    stats: { ...noStats(), records: failed, failed },
    error,
    fates,
  };
};
