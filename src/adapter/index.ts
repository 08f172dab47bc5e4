export type { DynamoDBSingleTableEventStorageAdapterOptions } from './adapter.js';
export { DynamoDBSingleTableEventStorageAdapter } from './adapter.js';
export * from './constants.js';
export { DynamoDBEventAlreadyExistsError } from './errors.js';
export { createEventTable, eventTableDefinition } from './tableDefinition.js';
