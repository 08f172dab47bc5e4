export { checkpointTableDefinition, createCheckpointTable } from '../shared/index.js';
export type { DeadLetter, LambdaStreamFailureMessage } from './deadLetter.js';
export { lambdaFailureMessage, parseDeadLetter } from './deadLetter.js';
export type {
  DrainDeadLetterQueueOptions,
  DrainResult,
  DrainStop,
} from './drainDeadLetterQueue.js';
export { drainDeadLetterQueue } from './drainDeadLetterQueue.js';
export type { StreamFilterPattern } from './filterPattern.js';
export type { BatchContext, FailedRecords, StreamHandler } from './invokeBatch.js';
export type { FateTotals } from './progress.js';
export type { ReplayDeadLetterOptions, ReplayResult } from './replay.js';
export { replayDeadLetter } from './replay.js';
export type { StreamRunnerOptions, StreamRunnerProgress } from './runnerSettings.js';
export { resolveStreamArn } from './shardDiscovery.js';
export type { RetentionGap } from './shardIterators.js';
export { StreamRunner } from './streamRunner.js';
export type { ConsumerStatus, ShardStatus, StreamStatusOptions } from './streamStatus.js';
export { streamStatus } from './streamStatus.js';
