export type { DynamoDBSingleTableEventStorageAdapterOptions } from './adapter.js';
export { DynamoDBSingleTableEventStorageAdapter } from './adapter.js';
export * from './constants.js';
export * from './errors.js';
export { createEventTable, eventTableDefinition } from './tableDefinition.js';
export * from './versionErrors.js';
