import { randomUUID } from 'node:crypto';

import { type AttributeValue, paginateQuery, UpdateItemCommand } from '@aws-sdk/client-dynamodb';

import { isAwsError } from '../shared/index.js';
import type { BatchContext } from '../streamBatch/index.js';
import {
  checkpointPartitionKey,
  type CheckpointTableOptions,
  CONSUMER_SORT_KEY,
} from './checkpointKeys.js';

export type GapReason = NonNullable<BatchContext['afterGap']>['reason'];

/**
 * A gap the shard's handler must still be told of (`afterGap`), kept in the shard's
 * checkpoint item so that a restart tells it. `id` changes with every save: clearing is
 * conditional on it, so that a gap saved meanwhile (by another runner) is not lost.
 */
export interface UntoldGap {
  reason: GapReason;
  id: string;
}

export const newGap = (reason: GapReason): UntoldGap => ({ reason, id: randomUUID() });

/** The item's attributes of an untold gap (none without one). */
export const gapAttributes = (gap: UntoldGap | undefined): Record<string, AttributeValue> =>
  gap === undefined ? {} : { untoldGap: { S: gap.reason }, untoldGapId: { S: gap.id } };

export const gapOf = (item: Record<string, AttributeValue>): { untoldGap?: UntoldGap } =>
  item.untoldGap?.S === undefined
    ? {}
    : { untoldGap: { reason: item.untoldGap.S as GapReason, id: item.untoldGapId?.S ?? '' } };

/** The gaps kept in a consumer's checkpoint items, and the listing of those items. */
export class CheckpointGaps {
  constructor(private readonly options: CheckpointTableOptions) {}

  private get partitionKey(): string {
    return checkpointPartitionKey(this.options.consumerName, this.options.streamArn);
  }

  private update = (shardId: string, input: Record<string, unknown>) =>
    this.options.dynamoDBClient.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: this.partitionKey }, sk: { S: shardId } },
        ...input,
      }),
    );

  /**
   * Saves a gap in the shard's checkpoint before it is told. A gap already saved and not
   * told keeps its reason (the first); returns the gap now saved, the one to tell.
   */
  saveGap = async (shardId: string, reason: GapReason): Promise<UntoldGap> => {
    const { Attributes } = await this.update(shardId, {
      UpdateExpression: 'SET untoldGap = if_not_exists(untoldGap, :reason), untoldGapId = :id',
      ExpressionAttributeValues: { ':reason': { S: reason }, ':id': { S: randomUUID() } },
      ReturnValues: 'ALL_NEW',
    });
    return gapOf(Attributes ?? {}).untoldGap ?? newGap(reason);
  };

  /**
   * Clears a gap once the handler was told of it (and, for a shard that expired unread,
   * marks the shard finished), unless another was saved meanwhile: that one is returned,
   * still to tell.
   */
  clearGap = async (
    shardId: string,
    told: UntoldGap,
    { finished = false }: { finished?: boolean } = {},
  ): Promise<UntoldGap | undefined> => {
    try {
      await this.update(shardId, {
        UpdateExpression: `REMOVE untoldGap, untoldGapId${finished ? ' SET finished = :true' : ''}`,
        ConditionExpression: 'untoldGapId = :id',
        ExpressionAttributeValues: {
          ':id': { S: told.id },
          ...(finished ? { ':true': { BOOL: true } } : {}),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return undefined;
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
      return gapOf((error as { Item?: Record<string, AttributeValue> }).Item ?? {}).untoldGap;
    }
  };

  /** Every shard's checkpoint item of the consumer, by shard id (one Query of its partition). */
  listItems = async (): Promise<Map<string, Record<string, AttributeValue>>> => {
    const items = new Map<string, Record<string, AttributeValue>>();
    for await (const page of paginateQuery(
      { client: this.options.dynamoDBClient },
      {
        TableName: this.options.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: this.partitionKey } },
        ConsistentRead: true,
      },
    ))
      for (const item of page.Items ?? [])
        if (item.sk?.S !== undefined && item.sk.S !== CONSUMER_SORT_KEY) items.set(item.sk.S, item);
    return items;
  };
}
