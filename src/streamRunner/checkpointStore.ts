import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

import { isAwsError } from '../shared/index.js';
import { CheckpointGaps, gapAttributes, gapOf, type UntoldGap } from './checkpointGaps.js';
import { checkpointPartitionKey, CONSUMER_SORT_KEY } from './checkpointKeys.js';

/** What the runner remembers of a shard: the last record handled, never an iterator alone (they expire). */
export interface ShardCheckpoint {
  sequenceNumber?: string;
  /** The shard is closed and every record of it was handled: its children may be read. */
  finished: boolean;
  /** When the last handled record was written (its ApproximateCreationDateTime): `status` ages it. */
  recordCreatedAt?: string;
  /**
   * Where LATEST pointed when the consumer first started, before any record of the shard
   * was handled: resumed from while it lives (15 minutes), so that a restart does not
   * take LATEST again and skip what was written meanwhile.
   */
  latest?: {
    iterator: string;
    takenAt: string;
    /**
     * The first record handed over from it, fixed by the first runner to hand one before
     * it does (anchorLatest): every runner, and any restart, starts there, so that none
     * hands over a record before it (a shard watermark would drop it as counted).
     */
    first?: string;
  };
  /** A gap the handler must still be told of before anything more of the shard (checkpointGaps.ts). */
  untoldGap?: UntoldGap;
}

/** The consumer's first start: which shards LATEST applied to was decided then, once. */
export interface ConsumerStart {
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  startedAt: string;
}

/** Checkpoints per (consumer, stream, shard) in a DynamoDB table with string keys pk/sk. */
export class CheckpointStore {
  /** Gaps saved until the handler is told, and the listing of the consumer's checkpoints. */
  readonly gaps: CheckpointGaps;

  constructor(
    private readonly options: {
      dynamoDBClient: DynamoDBClient;
      tableName: string;
      consumerName: string;
      streamArn: string;
    },
  ) {
    this.gaps = new CheckpointGaps(options);
  }

  private key(sortKey: string) {
    return {
      pk: { S: checkpointPartitionKey(this.options.consumerName, this.options.streamArn) },
      sk: { S: sortKey },
    };
  }

  private read = async (sortKey: string) => {
    const { Item } = await this.options.dynamoDBClient.send(
      new GetItemCommand({
        TableName: this.options.tableName,
        Key: this.key(sortKey),
        ConsistentRead: true,
      }),
    );
    return Item;
  };

  get = async (shardId: string): Promise<ShardCheckpoint | undefined> => {
    const item = await this.read(shardId);
    return item === undefined ? undefined : toCheckpoint(item);
  };

  save = async (shardId: string, checkpoint: ShardCheckpoint): Promise<void> => {
    await this.options.dynamoDBClient.send(
      new PutItemCommand({
        TableName: this.options.tableName,
        Item: this.toItem(shardId, checkpoint),
      }),
    );
  };

  /** Saves the checkpoint unless the shard has one (another runner may have decided first); returns the one kept. */
  saveIfAbsent = async (shardId: string, checkpoint: ShardCheckpoint): Promise<ShardCheckpoint> => {
    try {
      await this.options.dynamoDBClient.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: this.toItem(shardId, checkpoint),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return checkpoint;
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
      return (await this.get(shardId)) ?? checkpoint;
    }
  };

  /**
   * Fixes where a LATEST start begins, unless a runner did first or the shard has a
   * checkpoint already: returns the checkpoint kept.
   */
  anchorLatest = async (shardId: string, first: string): Promise<ShardCheckpoint | undefined> => {
    try {
      await this.options.dynamoDBClient.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: this.key(shardId),
          UpdateExpression: 'SET latestFirst = :first',
          ConditionExpression:
            'attribute_exists(latestIterator) AND attribute_not_exists(latestFirst) AND attribute_not_exists(sequenceNumber)',
          ExpressionAttributeValues: { ':first': { S: first } },
        }),
      );
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
    }
    return this.get(shardId);
  };

  /** Every shard's checkpoint of the consumer (one Query). */
  listCheckpoints = async (): Promise<Map<string, ShardCheckpoint>> =>
    new Map([...(await this.gaps.listItems())].map(([id, item]) => [id, toCheckpoint(item)]));

  getConsumerStart = async (): Promise<ConsumerStart | undefined> => {
    const item = await this.read(CONSUMER_SORT_KEY);
    const startingPosition = item?.startingPosition?.S;
    if (
      item === undefined ||
      (startingPosition !== 'LATEST' && startingPosition !== 'TRIM_HORIZON')
    )
      return undefined;
    return { startingPosition, startedAt: item.startedAt?.S ?? '' };
  };

  saveConsumerStart = async (start: ConsumerStart): Promise<void> => {
    await this.options.dynamoDBClient.send(
      new PutItemCommand({
        TableName: this.options.tableName,
        Item: {
          ...this.key(CONSUMER_SORT_KEY),
          startingPosition: { S: start.startingPosition },
          startedAt: { S: start.startedAt },
        },
      }),
    );
  };

  private toItem = (
    shardId: string,
    checkpoint: ShardCheckpoint,
  ): Record<string, AttributeValue> => ({
    ...this.key(shardId),
    ...(checkpoint.sequenceNumber !== undefined
      ? { sequenceNumber: { S: checkpoint.sequenceNumber } }
      : {}),
    ...(checkpoint.recordCreatedAt !== undefined
      ? { recordCreatedAt: { S: checkpoint.recordCreatedAt } }
      : {}),
    ...(checkpoint.latest !== undefined
      ? {
          latestIterator: { S: checkpoint.latest.iterator },
          latestTakenAt: { S: checkpoint.latest.takenAt },
          ...(checkpoint.latest.first !== undefined
            ? { latestFirst: { S: checkpoint.latest.first } }
            : {}),
        }
      : {}),
    ...gapAttributes(checkpoint.untoldGap),
    finished: { BOOL: checkpoint.finished },
    updatedAt: { S: new Date().toISOString() },
  });
}

export const toCheckpoint = (item: Record<string, AttributeValue>): ShardCheckpoint => ({
  ...(item.sequenceNumber?.S !== undefined ? { sequenceNumber: item.sequenceNumber.S } : {}),
  ...(item.recordCreatedAt?.S !== undefined ? { recordCreatedAt: item.recordCreatedAt.S } : {}),
  ...(item.latestIterator?.S !== undefined
    ? {
        latest: {
          iterator: item.latestIterator.S,
          takenAt: item.latestTakenAt?.S ?? '',
          ...(item.latestFirst?.S !== undefined ? { first: item.latestFirst.S } : {}),
        },
      }
    : {}),
  ...gapOf(item),
  finished: item.finished?.BOOL === true,
});
