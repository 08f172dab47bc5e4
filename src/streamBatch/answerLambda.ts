import { CounterError } from '../shared/index.js';
import type { BatchResult } from './batchResult.js';

/** The environment variable by which a deployment declares ReportBatchItemFailures on its mapping. */
export const REPORT_BATCH_ITEM_FAILURES_ENV = 'CASTORE_COUNTER_REPORT_BATCH_ITEM_FAILURES';

export interface AnswerLambdaOptions {
  /** How many records the batch held (said in the error). */
  records: number;
  /** Whether the mapping has ReportBatchItemFailures; undefined: read REPORT_BATCH_ITEM_FAILURES_ENV. */
  reportBatchItemFailures: boolean | undefined;
  /** What the handler does to a record, for the error: `counted` (the default), `reacted to`. */
  handled?: string;
}

/**
 * Any handler's answer to Lambda, from its batch result. Returned batchItemFailures are
 * read only by a mapping with ReportBatchItemFailures: unless that is declared, a failed
 * record throws RecordsNotHandled, which every mapping retries, instead of being dropped
 * silently.
 */
export const answerLambda = (
  { batchItemFailures, error }: BatchResult,
  { records, reportBatchItemFailures, handled }: AnswerLambdaOptions,
): { batchItemFailures: { itemIdentifier: string }[] } => {
  const declared =
    reportBatchItemFailures ?? process.env[REPORT_BATCH_ITEM_FAILURES_ENV] === 'true';
  const failed = batchItemFailures[0];
  if (failed !== undefined && !declared)
    throw new CounterError('RecordsNotHandled', {
      sequenceNumber: failed.itemIdentifier,
      records,
      cause: error,
      ...(handled !== undefined ? { handled } : {}),
    });
  return { batchItemFailures };
};
