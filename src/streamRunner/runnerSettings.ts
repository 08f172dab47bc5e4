import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

import {
  CounterError,
  integerOption,
  oneOfOption,
  retryAttemptsOption,
  tableNameOption,
} from '../shared/index.js';
import { checkFilterPattern, type StreamFilterPattern } from './filterPattern.js';
import type { FailedRecords, StreamHandler } from './invokeBatch.js';
import type { StreamRunnerProgress } from './progress.js';
import type { RetentionGap } from './shardIterators.js';

export type { StreamRunnerProgress } from './progress.js';

export interface StreamRunnerOptions {
  dynamoDBClient: DynamoDBClient;
  streamsClient: DynamoDBStreamsClient;
  /** The table whose stream is read. */
  tableName: string;
  /** Where the last handled sequence number of each shard is kept (createCheckpointTable). */
  checkpointTableName: string;
  /** Several consumers of one stream keep separate checkpoints. Default "default". */
  consumerName?: string;
  handler: StreamHandler;
  /**
   * Where a consumer with no checkpoint starts. LATEST applies to the shards open at its
   * very first start only (as Lambda's mapping); shards found later start at TRIM_HORIZON.
   */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  batchSize?: number;
  /**
   * The mapping's filter pattern (FilterCriteria, exact values): records it does not match
   * are dropped before batching, as Lambda drops them. Default: every record.
   */
  filter?: StreamFilterPattern;
  maximumBatchingWindowMs?: number;
  bisectBatchOnFunctionError?: boolean;
  /** Retries of a failing batch; -1 (Lambda's default) retries until it succeeds. Default 3. */
  maximumRetryAttempts?: number;
  retryDelay?: { baseDelayMs: number; maxDelayMs: number };
  /** Dead letter for records that still fail after every retry; without it the runner stops with UndeliverableRecordsError. */
  onFailure?: (failed: FailedRecords) => Promise<void> | void;
  onProgress?: (progress: StreamRunnerProgress) => void;
  /** Records lost to the stream's 24-hour retention before they were read (see RetentionGap). */
  onRetentionGap?: (gap: RetentionGap) => void;
  pollIntervalMs?: number;
  shardDiscoveryIntervalMs?: number;
  /** Consecutive empty reads after which an open shard counts as caught up (AWS may return empty pages before data). Default 3. */
  emptyReadsBeforeCaughtUp?: number;
  /** The time, for LATEST's starting point and the lag; a simulated stream passes its own. Default: the system clock. */
  clock?: () => Date;
  /** Stop after the batch in flight on SIGINT/SIGTERM. Default true. */
  stopOnSignals?: boolean;
  /**
   * How long DynamoDB or its stream may stay unreachable before the run fails with
   * StreamUnreachableError. Default: 60 s for run({ untilCaughtUp: true }), which is
   * expected to end; no limit for a live run, which rides outages out as Lambda does.
   */
  maximumOutageMs?: number;
}

/** The runner's options with their defaults, each checked: 0 or NaN would read nothing and report success. */
export interface RunnerSettings {
  consumerName: string;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  batchSize: number;
  filter: StreamFilterPattern | undefined;
  maximumBatchingWindowMs: number;
  bisectBatchOnFunctionError: boolean;
  maximumRetryAttempts: number;
  retryDelay: { baseDelayMs: number; maxDelayMs: number };
  pollIntervalMs: number;
  shardDiscoveryIntervalMs: number;
  emptyReadsBeforeCaughtUp: number;
  maximumOutageMs: number | undefined;
}

export const runnerSettings = (options: StreamRunnerOptions): RunnerSettings => {
  tableNameOption('tableName', options.tableName);
  tableNameOption('checkpointTableName', options.checkpointTableName);
  const consumerName = options.consumerName ?? 'default';
  if (typeof consumerName !== 'string' || consumerName === '')
    throw new CounterError('InvalidOption', {
      option: 'consumerName',
      value: consumerName,
      expected: 'a non-empty string',
    });
  const startingPosition = oneOfOption(
    'startingPosition',
    options.startingPosition,
    ['TRIM_HORIZON', 'LATEST'],
    'TRIM_HORIZON',
  );
  return { consumerName, startingPosition, ...batchSettings(options), ...pollSettings(options) };
};

/** How records are batched and retried: Lambda's limits for DynamoDB streams. */
const batchSettings = (options: StreamRunnerOptions) => ({
  batchSize: integerOption('batchSize', options.batchSize, {
    min: 1,
    max: 10_000,
    defaultValue: 100,
  }),
  filter: options.filter === undefined ? undefined : checkFilterPattern('filter', options.filter),
  maximumBatchingWindowMs: integerOption(
    'maximumBatchingWindowMs',
    options.maximumBatchingWindowMs,
    { min: 0, max: 300_000, defaultValue: 0 },
  ),
  bisectBatchOnFunctionError: options.bisectBatchOnFunctionError ?? false,
  maximumRetryAttempts: retryAttemptsOption(
    'maximumRetryAttempts',
    options.maximumRetryAttempts,
    3,
  ),
  retryDelay: {
    baseDelayMs: integerOption('retryDelay.baseDelayMs', options.retryDelay?.baseDelayMs, {
      min: 0,
      defaultValue: 100,
    }),
    maxDelayMs: integerOption('retryDelay.maxDelayMs', options.retryDelay?.maxDelayMs, {
      min: 0,
      defaultValue: 5_000,
    }),
  },
});

/** How often the stream is read and its shards listed. */
const pollSettings = (options: StreamRunnerOptions) => ({
  pollIntervalMs: integerOption('pollIntervalMs', options.pollIntervalMs, {
    min: 0,
    defaultValue: 250,
  }),
  shardDiscoveryIntervalMs: integerOption(
    'shardDiscoveryIntervalMs',
    options.shardDiscoveryIntervalMs,
    { min: 1, defaultValue: 10_000 },
  ),
  emptyReadsBeforeCaughtUp: integerOption(
    'emptyReadsBeforeCaughtUp',
    options.emptyReadsBeforeCaughtUp,
    { min: 1, max: 100, defaultValue: 3 },
  ),
  maximumOutageMs:
    options.maximumOutageMs === undefined
      ? undefined
      : integerOption('maximumOutageMs', options.maximumOutageMs, { min: 0, defaultValue: 0 }),
});
