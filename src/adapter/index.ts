export type { DynamoDBSingleTableEventStorageAdapterOptions } from './adapter.js';
export { DynamoDBSingleTableEventStorageAdapter } from './adapter.js';
export * from './constants.js';
export {
  EVENT_TABLE_EVENT_STORE_ID_KEY,
  EVENT_TABLE_INITIAL_EVENT_INDEX_NAME,
  EVENT_TABLE_PK,
  EVENT_TABLE_SK,
  EVENT_TABLE_TIMESTAMP_KEY,
  MAX_TRANSACTION_ACTIONS,
} from './constants.js';
export { isIsoTimestamp, toEventItem } from './eventItem.js';
export { assertValidEventStoreId, splitPartitionKey } from './keys.js';
export { createEventTable, eventTableDefinition } from './tableDefinition.js';
