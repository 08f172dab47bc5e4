import type { RecordFates } from './recordFates.js';

export interface ProcessRecordsStats {
  records: number;
  /** INSERT records parsed into events. */
  events: number;
  /** Increments applied now. */
  counted: number;
  /** Increments whose ref was already recorded (redelivered or replayed): not counted again. */
  duplicates: number;
  /** MODIFY/REMOVE records (and other stores' events with unknownEventStores: 'skip'). */
  skipped: number;
  /** Records from the first failing one on: not all committed, to be delivered again. */
  failed: number;
  /** TransactWriteItems requests sent, retries and re-sends without duplicates included. */
  transactions: number;
  /** Requests sent again after a conflict, throttling or an unanswered request. */
  retries: number;
}

export interface ProcessRecordsResult {
  /** Lambda's ReportBatchItemFailures answer: the first record not committed, if any. */
  batchItemFailures: { itemIdentifier: string }[];
  stats: ProcessRecordsStats;
  /** Why the reported record failed. */
  error?: unknown;
  /** What became of each record (the handler's metrics and logs). */
  fates: RecordFates;
}
