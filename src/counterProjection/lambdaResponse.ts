import { CounterError } from '../shared/index.js';
/** The environment variable by which a deployment declares ReportBatchItemFailures on its mapping. */
export const REPORT_BATCH_ITEM_FAILURES_ENV = 'CASTORE_COUNTER_REPORT_BATCH_ITEM_FAILURES';

/**
 * The handler's answer to Lambda. Returned batchItemFailures are read only by a mapping
 * with ReportBatchItemFailures: unless that is declared, a failed record throws, which
 * every mapping retries, instead of being dropped silently.
 */
export const lambdaResponse = (
  {
    batchItemFailures,
    error,
  }: { batchItemFailures: { itemIdentifier: string }[]; error?: unknown },
  {
    records,
    reportBatchItemFailures,
    handled,
  }: { records: number; reportBatchItemFailures: boolean | undefined; handled?: string },
): { batchItemFailures: { itemIdentifier: string }[] } => {
  const declared =
    reportBatchItemFailures ?? process.env[REPORT_BATCH_ITEM_FAILURES_ENV] === 'true';
  const failed = batchItemFailures[0];
  if (failed !== undefined && !declared)
    throw new CounterError('RecordsNotCounted', {
      sequenceNumber: failed.itemIdentifier,
      records,
      cause: error,
      ...(handled !== undefined ? { handled } : {}),
    });
  return { batchItemFailures };
};
