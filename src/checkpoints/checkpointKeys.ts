import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

// The consumer's own item sorts apart from shard ids (which start with "shardId-").
export const CONSUMER_SORT_KEY = '#consumer';

/** The checkpoint table's partition key: one per (consumer, stream). */
export const checkpointPartitionKey = (consumerName: string, streamArn: string): string =>
  `${consumerName}#${streamArn}`;

/** Where a consumer's checkpoints are: its table, and whose they are (consumer, stream). */
export interface CheckpointTableOptions {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  consumerName: string;
  streamArn: string;
}
