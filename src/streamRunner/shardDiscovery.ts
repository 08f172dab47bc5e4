import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';

import { CounterError } from '../shared/index.js';

export const resolveStreamArn = async (
  dynamoDBClient: DynamoDBClient,
  tableName: string,
): Promise<string> => {
  const { Table } = await dynamoDBClient.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.LatestStreamArn === undefined) throw new CounterError('StreamNotFound', { tableName });
  return Table.LatestStreamArn;
};

/** Every shard of the stream, following DescribeStream's pages. */
export const listShards = async (
  streamsClient: DynamoDBStreamsClient,
  streamArn: string,
): Promise<Shard[]> => {
  const shards: Shard[] = [];
  let exclusiveStartShardId: string | undefined;
  do {
    const { StreamDescription } = await streamsClient.send(
      new DescribeStreamCommand({
        StreamArn: streamArn,
        ExclusiveStartShardId: exclusiveStartShardId,
      }),
    );
    shards.push(...(StreamDescription?.Shards ?? []));
    exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
  } while (exclusiveStartShardId !== undefined);
  return shards;
};

/**
 * A shard may be read once its parent is read to its end, so that records of one item
 * are handled in order across a split. A parent no longer listed has expired: its
 * records are gone, the child may start.
 */
export const isReadyToRead = (
  shard: Shard,
  listedShardIds: ReadonlySet<string>,
  finishedShardIds: ReadonlySet<string>,
): boolean =>
  shard.ParentShardId === undefined ||
  !listedShardIds.has(shard.ParentShardId) ||
  finishedShardIds.has(shard.ParentShardId);
