import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';

import {
  type BatchContext,
  type RetentionGap,
  StreamRunner,
  type StreamRunnerOptions,
} from '../../src/streamRunner/index.js';
import type { SimulatedStream } from './simulatedStreams.js';

/** The runner's settings for a simulated stream: fast polls, no signal handlers, the stream's clock. */
export const simulatedRunner = ({
  stream,
  dynamoDBClient,
  tableName,
  checkpointTableName,
  handler,
  ...options
}: {
  stream: SimulatedStream;
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  checkpointTableName: string;
  handler: (records: StreamsApiRecord[], context: BatchContext) => Promise<unknown>;
} & Partial<StreamRunnerOptions>): { runner: StreamRunner; gaps: RetentionGap[] } => {
  const gaps: RetentionGap[] = [];
  const runner = new StreamRunner({
    dynamoDBClient,
    streamsClient: stream.client(),
    tableName,
    checkpointTableName,
    consumerName: 'simulated',
    pollIntervalMs: 1,
    shardDiscoveryIntervalMs: 5,
    retryDelay: { baseDelayMs: 1, maxDelayMs: 5 },
    stopOnSignals: false,
    clock: stream.clock,
    onRetentionGap: (gap) => gaps.push(gap),
    handler: async (records, context) => {
      await handler(records, context);
    },
    ...options,
  });
  return { runner, gaps };
};

/** An INSERT-like record of one partition key (the runner does not parse records). */
export const recordOf = (partitionKey: string, label: string): StreamsApiRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    Keys: { aggregateId: { S: partitionKey } },
    NewImage: { aggregateId: { S: partitionKey }, label: { S: label } },
  },
});

export const labelOf = (record: StreamsApiRecord): string =>
  record.dynamodb?.NewImage?.label?.S ?? '?';
