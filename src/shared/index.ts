export { isAwsError, isRetryable, isTransientError, networkErrorCode } from './awsErrors.js';
export { checkpointTableDefinition, createCheckpointTable } from './checkpointTable.js';
export {
  CounterError,
  type CounterErrorCode,
  type CounterErrorFields,
  type CounterErrorOf,
  isCounterError,
} from './counterError.js';
export {
  type CreateTableOptions,
  stringKeysTableDefinition,
  tableCreator,
} from './createTableAndWait.js';
export { describeValue, errorMessageOf, stillFailing } from './describeValue.js';
export { type IncrementField } from './errorCatalogue.js';
export { itemSize } from './itemSize.js';
export { mapWithConcurrency } from './mapWithConcurrency.js';
export { integerOption, oneOfOption, retryAttemptsOption, tableNameOption } from './options.js';
export { decodePageToken, encodePageToken } from './pageToken.js';
export {
  type BackoffOptions,
  DEFAULT_RETRY_OPTIONS,
  type RetryOptions,
  retryOptions,
  sleep,
  withRetry,
} from './retry.js';
export { countOf, isWellFormed, utf8Bytes } from './strings.js';
