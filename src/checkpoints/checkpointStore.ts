import {
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';

import { isAwsError } from '../shared/index.js';
import type { BatchClaim } from '../streamBatch/index.js';
import { CheckpointGaps } from './checkpointGaps.js';
import {
  checkpointSave,
  readingSinceSave,
  type ShardCheckpoint,
  toCheckpoint,
  toItem,
} from './checkpointItem.js';
import {
  checkpointPartitionKey,
  type CheckpointTableOptions,
  CONSUMER_SORT_KEY,
} from './checkpointKeys.js';
import { saveHandledThrough } from './handledCheckpoint.js';
import { type ClaimRequest, claimShardBatch } from './shardClaim.js';

export { type ShardCheckpoint, toCheckpoint } from './checkpointItem.js';

/** The consumer's first start: which shards LATEST applied to was decided then, once. */
export interface ConsumerStart {
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  startedAt: string;
}

/** Checkpoints per (consumer, stream, shard) in a DynamoDB table with string keys pk/sk. */
export class CheckpointStore {
  /** Gaps saved until the handler is told, and the listing of the consumer's checkpoints. */
  readonly gaps: CheckpointGaps;

  constructor(private readonly options: CheckpointTableOptions) {
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

  /**
   * Saves the shard's checkpoint, keeping what else its item holds (a claim, a gap another
   * runner saved): an update, never a replacement.
   */
  save = (shardId: string, checkpoint: ShardCheckpoint): Promise<void> =>
    this.update(shardId, checkpointSave(checkpoint));

  /** Saves the checkpoint unless the shard has one (another runner may have decided first); returns the one kept. */
  saveIfAbsent = async (shardId: string, checkpoint: ShardCheckpoint): Promise<ShardCheckpoint> => {
    try {
      await this.options.dynamoDBClient.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: { ...this.key(shardId), ...toItem(checkpoint) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return checkpoint;
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
      return (await this.get(shardId)) ?? checkpoint;
    }
  };

  /** Starts the shard's reading time again (readingSince), keeping everything else of its item. */
  restartReading = (shardId: string, readingSince: string): Promise<void> =>
    this.update(shardId, readingSinceSave(readingSince));

  /** An update of the shard's item: what it sets, and nothing else of the item touched. */
  private update = async (
    shardId: string,
    expression: Omit<UpdateItemCommandInput, 'TableName' | 'Key'>,
  ): Promise<void> => {
    await this.options.dynamoDBClient.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: this.key(shardId),
        ...expression,
      }),
    );
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

  // A batch claimed for its handler (shardClaim.ts); the checkpoint moved, the claim kept.
  claim = (shardId: string, request: ClaimRequest): Promise<BatchClaim> =>
    claimShardBatch({ ...this.options, key: this.key(shardId) }, request);
  saveHandled = (shardId: string, handled: Parameters<typeof saveHandledThrough>[1]) =>
    saveHandledThrough({ ...this.options, key: this.key(shardId) }, handled);

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
}
