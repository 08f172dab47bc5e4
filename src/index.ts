// The package's root entry: the adapter, the parser, the projection and the one error
// type. Reactions, the stream runner, the CDK construct and the test helpers have their own
// entries (`/reactions`, `/stream-runner`, `/infra`, `/testing`).
export {
  createEventTable,
  DynamoDBSingleTableEventStorageAdapter,
  type DynamoDBSingleTableEventStorageAdapterOptions,
  EVENT_TABLE_EVENT_STORE_ID_KEY,
  EVENT_TABLE_INITIAL_EVENT_INDEX_NAME,
  EVENT_TABLE_PK,
  EVENT_TABLE_SK,
  EVENT_TABLE_TIMESTAMP_KEY,
  eventTableDefinition,
} from './adapter/index.js';
export {
  type BatchLog,
  type CountedRef,
  type Counter,
  counter,
  type CounterIdempotency,
  type CounterOptions,
  CounterProjection,
  type CounterProjectionOptions,
  type CounterWindow,
  countingStreamFilter,
  countsTableDefinition,
  type CountTargetOf,
  createCountsTable,
  type DirectIncrement,
  type FailedRecordLog,
  type ProcessRecordsResult,
  type ProcessRecordsStats,
  type ProjectionLogger,
  type ProjectionMetrics,
  type RebuildInput,
  type RebuildOptions,
  type RecordFates,
  type RecordSkipReason,
  type RetryOptions,
  type SetAsideReport,
  type WindowOptions,
  type WindowsOf,
  type WindowToRead,
} from './counterProjection/index.js';
export {
  ImageParser,
  type ImageParserOptions,
  type LambdaRecord,
  type ParsedStreamRecord,
  type SkipReason,
  type StreamRecord,
  type StreamsApiRecord,
} from './imageParser/index.js';
export type { CreateTableOptions } from './shared/index.js';
export {
  CounterError,
  type CounterErrorCode,
  type CounterErrorFields,
  type CounterErrorOf,
  isCounterError,
} from './shared/index.js';
