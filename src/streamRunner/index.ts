export { StreamRunner } from './streamRunner.js';
export type { StreamRunnerOptions, StreamRunnerProgress } from './streamRunner.js';
export type { FailedRecords, StreamHandler } from './invokeBatch.js';
export { checkpointTableDefinition, createCheckpointTable } from './checkpointStore.js';
export * from './errors.js';
export type { RetentionGap } from './shardIterators.js';
