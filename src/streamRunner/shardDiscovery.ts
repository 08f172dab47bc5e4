import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';

import type { CheckpointStore } from '../checkpoints/index.js';
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
 * records are gone, the child may start, once the parent's gap is told if the consumer had
 * checkpointed it (`expired`: it is finished then).
 */
export const isReadyToRead = (
  shard: Shard,
  listedShardIds: ReadonlySet<string>,
  finishedShardIds: ReadonlySet<string>,
  expiredShardIds: ReadonlySet<string> = new Set(),
): boolean =>
  shard.ParentShardId === undefined ||
  finishedShardIds.has(shard.ParentShardId) ||
  (!listedShardIds.has(shard.ParentShardId) && !expiredShardIds.has(shard.ParentShardId));

/**
 * The stream's shards, and those the consumer checkpointed, did not finish, and that are no
 * longer listed: expired (closed, past the retention) before they were read to their end.
 * The checkpoints are asked (one Query) at the first discovery, when a shard listed before
 * is listed no more, and while one found is not finished yet.
 */
export class ShardDiscovery {
  private listedBefore: ReadonlySet<string> | undefined;
  private expired: ReadonlySet<string> = new Set();

  constructor(
    private readonly options: {
      streamsClient: DynamoDBStreamsClient;
      streamArn: string;
      checkpoints: Pick<CheckpointStore, 'listCheckpoints'>;
    },
  ) {}

  discover = async (
    finished: ReadonlySet<string>,
  ): Promise<{ shards: Shard[]; expired: ReadonlySet<string> }> => {
    const shards = await listShards(this.options.streamsClient, this.options.streamArn);
    const listed = new Set(shards.map((shard) => shard.ShardId as string));
    const vanished =
      this.listedBefore === undefined || [...this.listedBefore].some((id) => !listed.has(id));
    if (vanished || [...this.expired].some((id) => !finished.has(id))) {
      const checkpoints = await this.options.checkpoints.listCheckpoints();
      this.expired = new Set(
        [...checkpoints]
          .filter(([id, checkpoint]) => !checkpoint.finished && !listed.has(id))
          .map(([id]) => id),
      );
    }
    this.listedBefore = listed;
    return { shards, expired: this.expired };
  };
}
