import { readRecordFields, type StreamRecord } from '../imageParser/index.js';

/**
 * What became of a batch's records, in figures that add up to the batch: the contract by
 * which a handler tells the stream runner's progress (and its own metrics) what it did.
 */
// A type, not an interface: a log's attributes must be indexable (Powertools' Logger).
export type BatchFates = {
  /** Records the handler applied now. */
  counted: number;
  /** Records applied before (a redelivery, a replay): nothing done again. */
  duplicate: number;
  /** Records with nothing to do, by reason. */
  skipped: Readonly<Record<string, number>>;
  /** The failing record and every record after it: reported, to be delivered again. */
  failed: number;
  /** The failing record's error code; `Unknown` for an error that has none. */
  failedCode?: string;
};

/** Any handler's result for a batch: Lambda's answer, why it failed, and optionally its fates. */
export interface BatchResult {
  /** Lambda's ReportBatchItemFailures answer: the first record not handled, if any. */
  batchItemFailures: { itemIdentifier: string }[];
  /** Why the reported record failed. */
  error?: unknown;
  fates?: BatchFates;
}

/**
 * Lambda's answer for a batch that failed at a position: that record is reported, and
 * Lambda retries from it. A record without a sequence number (never the case from Lambda)
 * gives an empty identifier, which fails the whole batch: the safe side.
 */
export const failedFrom = (
  records: readonly StreamRecord[],
  position: number,
): { itemIdentifier: string }[] => [
  { itemIdentifier: readRecordFields(records[position] as StreamRecord).sequenceNumber ?? '' },
];

/**
 * The stable code of an error (a CounterError's, a Node error's `code`), an AWS service
 * error's name (ValidationException: the SDK's errors carry `$metadata`), `Unknown` if none.
 */
export const errorCodeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code !== '') return code;
  const fromAws = error instanceof Error && '$metadata' in error && error.name !== '';
  return fromAws ? error.name : 'Unknown';
};
