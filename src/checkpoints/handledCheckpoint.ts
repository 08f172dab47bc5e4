import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';

import { isAwsError } from '../shared/index.js';
import type { ClaimTarget } from './shardClaim.js';

/**
 * Records that the shard's records up to `sequenceNumber` were handled, keeping the claim:
 * the runner's checkpoint after a batch whose next claim is not coming soon (the shard is
 * quiet, the runner stops), or after every batch of a handler that does not claim. Never on
 * a shard another runner of the consumer finished (a deployment's new task finishing what
 * the old one still held): un-finished, the shard would later look expired and unread, a gap
 * told where every record was counted. A finished shard has nothing left to save.
 */
export const saveHandledThrough = async (
  target: ClaimTarget,
  { sequenceNumber, recordCreatedAt }: { sequenceNumber: string; recordCreatedAt?: string },
): Promise<void> => {
  try {
    await target.dynamoDBClient.send(
      new UpdateItemCommand({
        TableName: target.tableName,
        Key: target.key,
        UpdateExpression: `SET sequenceNumber = :handled, finished = :false, updatedAt = :now${recordCreatedAt !== undefined ? ', recordCreatedAt = :createdAt' : ''}`,
        ConditionExpression: 'attribute_not_exists(finished) OR finished = :false',
        ExpressionAttributeValues: {
          ':handled': { S: sequenceNumber },
          ':false': { BOOL: false },
          ':now': { S: new Date().toISOString() },
          ...(recordCreatedAt !== undefined ? { ':createdAt': { S: recordCreatedAt } } : {}),
        },
      }),
    );
  } catch (error) {
    if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
  }
};
