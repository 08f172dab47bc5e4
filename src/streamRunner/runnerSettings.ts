import { integerOption, InvalidOptionError, oneOfOption, retryAttemptsOption } from '../shared/options.js';
import type { StreamRunnerOptions } from './streamRunner.js';

/** The runner's options with their defaults, each checked: 0 or NaN would read nothing and report success. */
export interface RunnerSettings {
  consumerName: string;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  batchSize: number;
  maximumBatchingWindowMs: number;
  bisectBatchOnFunctionError: boolean;
  maximumRetryAttempts: number;
  retryDelay: { baseDelayMs: number; maxDelayMs: number };
  pollIntervalMs: number;
  shardDiscoveryIntervalMs: number;
  emptyReadsBeforeCaughtUp: number;
}

export const runnerSettings = (options: StreamRunnerOptions): RunnerSettings => {
  const consumerName = options.consumerName ?? 'default';
  if (typeof consumerName !== 'string' || consumerName === '') throw new InvalidOptionError('consumerName', consumerName, 'a non-empty string');
  return {
    consumerName,
    startingPosition: oneOfOption('startingPosition', options.startingPosition, ['TRIM_HORIZON', 'LATEST'], 'TRIM_HORIZON'),
    // Lambda's limits for DynamoDB streams.
    batchSize: integerOption('batchSize', options.batchSize, { min: 1, max: 10_000, defaultValue: 100 }),
    maximumBatchingWindowMs: integerOption('maximumBatchingWindowMs', options.maximumBatchingWindowMs, { min: 0, max: 300_000, defaultValue: 0 }),
    bisectBatchOnFunctionError: options.bisectBatchOnFunctionError ?? false,
    maximumRetryAttempts: retryAttemptsOption('maximumRetryAttempts', options.maximumRetryAttempts, 3),
    retryDelay: {
      baseDelayMs: integerOption('retryDelay.baseDelayMs', options.retryDelay?.baseDelayMs, { min: 0, defaultValue: 100 }),
      maxDelayMs: integerOption('retryDelay.maxDelayMs', options.retryDelay?.maxDelayMs, { min: 0, defaultValue: 5_000 }),
    },
    pollIntervalMs: integerOption('pollIntervalMs', options.pollIntervalMs, { min: 0, defaultValue: 250 }),
    shardDiscoveryIntervalMs: integerOption('shardDiscoveryIntervalMs', options.shardDiscoveryIntervalMs, { min: 1, defaultValue: 10_000 }),
    emptyReadsBeforeCaughtUp: integerOption('emptyReadsBeforeCaughtUp', options.emptyReadsBeforeCaughtUp, { min: 1, max: 100, defaultValue: 3 }),
  };
};
