import type { marshallOptions } from '@aws-sdk/util-dynamodb';

// Same names and values as @castore/event-storage-adapter-dynamodb: tables are interchangeable.
export const EVENT_TABLE_PK = 'aggregateId';
export const EVENT_TABLE_SK = 'version';
export const EVENT_TABLE_TIMESTAMP_KEY = 'timestamp';
export const EVENT_TABLE_EVENT_TYPE_KEY = 'type';
export const EVENT_TABLE_PAYLOAD_KEY = 'payload';
export const EVENT_TABLE_METADATA_KEY = 'metadata';
export const EVENT_TABLE_IS_INITIAL_EVENT_KEY = 'isInitialEvent';
/** Only set on version-1 items, which makes the initialEvents GSI sparse. */
export const EVENT_TABLE_EVENT_STORE_ID_KEY = 'eventStoreId';
export const EVENT_TABLE_INITIAL_EVENT_INDEX_NAME = 'initialEvents';

export const MARSHALL_OPTIONS: marshallOptions = {
  convertEmptyValues: false,
  removeUndefinedValues: true,
};

/** DynamoDB's limit on the actions of one TransactWriteItems call. */
export const MAX_TRANSACTION_ACTIONS = 100;
/** DynamoDB's limit on the size of a partition key value, in UTF-8 bytes. */
export const MAX_PARTITION_KEY_BYTES = 2048;
