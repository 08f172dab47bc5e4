import { GetItemCommand, PutItemCommand, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { createTableAndWait } from '../shared/createTableAndWait.js';

/** What the runner remembers of a shard: the last record handled, never an iterator (they expire). */
export interface ShardCheckpoint {
  sequenceNumber?: string;
  /** The shard is closed and every record of it was handled: its children may be read. */
  finished: boolean;
}

/** Checkpoints per (consumer, stream, shard) in a DynamoDB table with string keys pk/sk. */
export class CheckpointStore {
  constructor(
    private readonly options: { dynamoDBClient: DynamoDBClient; tableName: string; consumerName: string; streamArn: string },
  ) {}

  private key(shardId: string) {
    return { pk: { S: `${this.options.consumerName}#${this.options.streamArn}` }, sk: { S: shardId } };
  }

  get = async (shardId: string): Promise<ShardCheckpoint | undefined> => {
    const { Item } = await this.options.dynamoDBClient.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: this.key(shardId), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    return { ...(Item.sequenceNumber?.S !== undefined ? { sequenceNumber: Item.sequenceNumber.S } : {}), finished: Item.finished?.BOOL === true };
  };

  save = async (shardId: string, checkpoint: ShardCheckpoint): Promise<void> => {
    await this.options.dynamoDBClient.send(
      new PutItemCommand({
        TableName: this.options.tableName,
        Item: {
          ...this.key(shardId),
          ...(checkpoint.sequenceNumber !== undefined ? { sequenceNumber: { S: checkpoint.sequenceNumber } } : {}),
          finished: { BOOL: checkpoint.finished },
          updatedAt: { S: new Date().toISOString() },
        },
      }),
    );
  };
}

export const checkpointTableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
});

export const createCheckpointTable = ({ dynamoDBClient, tableName }: { dynamoDBClient: DynamoDBClient; tableName: string }): Promise<void> =>
  createTableAndWait(dynamoDBClient, checkpointTableDefinition(tableName));
