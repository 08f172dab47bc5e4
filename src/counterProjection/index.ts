export type { RetryOptions } from '../shared/index.js';
export type {
  BatchLog,
  FailedRecordLog,
  ProjectionLogger,
  ProjectionMetrics,
} from './batchReport.js';
export type { Counter, CounterIdempotency, CounterOptions } from './counter.js';
export { counter, DEFAULT_REF_SHARDS, defaultTargetRef } from './counter.js';
export { CounterProjection } from './counterProjection.js';
export type { SetAsideReport } from './countSetAside.js';
export { type CountsHealth, readCountsHealth } from './countsHealth.js';
export {
  COUNTS_TABLE_PK,
  COUNTS_TABLE_SK,
  type CountsImage,
  type DecodeFail,
  totalItem,
  type TotalState,
} from './countsItems/index.js';
export { COUNTS_TTL_ATTRIBUTE, countsTableDefinition, createCountsTable } from './countsTable.js';
export { emfMetrics } from './emfMetrics.js';
export type { DirectIncrement } from './increment.js';
export type { CountedRef } from './listCountedRefs.js';
export {
  addStats,
  noStats,
  type ProcessRecordsResult,
  type ProcessRecordsStats,
} from './processRecordsResult.js';
export type { CounterProjectionOptions } from './projectionOptions.js';
export { UNKNOWN_EVENT_STORES_ENV } from './projectionOptions.js';
export type { RebuildInput, RebuildOptions } from './rebuild.js';
export type { RecordFates, RecordSkipReason } from './recordFates.js';
export { countingStreamFilter } from './streamFilter.js';
export type {
  CountDifference,
  VerifyInput,
  VerifyOptions,
  VerifyProgress,
  VerifyReport,
} from './verify/index.js';
export type {
  CounterWindow,
  CountTargetOf,
  WindowOptions,
  WindowsOf,
  WindowToRead,
} from './windows.js';
export { bucketOf, COUNTER_WINDOWS, defaultListFrom, listSpansSaid, toBucket } from './windows.js';
