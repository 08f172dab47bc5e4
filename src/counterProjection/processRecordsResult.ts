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
