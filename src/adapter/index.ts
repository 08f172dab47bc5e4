export { DynamoDBSingleTableEventStorageAdapter } from './adapter.js';
export type { DynamoDBSingleTableEventStorageAdapterOptions } from './adapter.js';
export * from './constants.js';
export * from './errors.js';
export { eventTableDefinition, createEventTable } from './tableDefinition.js';
