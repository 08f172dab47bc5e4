import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';

import { StreamRunner, type StreamRunnerOptions } from '../../src/streamRunner/index.js';

// Nothing is sent: the options are checked when the runner is built.
const base: StreamRunnerOptions = {
  dynamoDBClient: {} as DynamoDBClient,
  streamsClient: {} as DynamoDBStreamsClient,
  tableName: 'events',
  checkpointTableName: 'checkpoints',
  handler: async () => undefined,
};

describe('the stream runner’s options (unit)', () => {
  it.each([
    ['batchSize', 0],
    ['batchSize', 0.5],
    ['batchSize', Number.NaN],
    ['batchSize', 10_001],
    ['maximumBatchingWindowMs', -1],
    ['maximumRetryAttempts', -2],
    ['maximumRetryAttempts', 1.5],
    ['pollIntervalMs', Number.NaN],
    ['shardDiscoveryIntervalMs', 0],
    ['emptyReadsBeforeCaughtUp', 0],
    ['startingPosition', 'EARLIEST'],
    ['consumerName', ''],
  ])('refuses %s %s with a typed error before reading anything', (option, value) => {
    expect(() => new StreamRunner({ ...base, [option]: value })).toThrow(
      expect.objectContaining({ code: 'InvalidOption', option, value }),
    );
  });

  it('takes Lambda’s -1 (retry until it succeeds) and the defaults', () => {
    expect(() => new StreamRunner({ ...base, maximumRetryAttempts: -1 })).not.toThrow();
    expect(() => new StreamRunner(base)).not.toThrow();
  });
});
