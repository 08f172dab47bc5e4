import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';

import type { ClaimTarget } from './shardClaim.js';

/**
 * Records that the shard's records up to `sequenceNumber` were handled, keeping the claim:
 * the runner's checkpoint after a batch whose next claim is not coming soon (the shard is
 * quiet, the runner stops), or after every batch of a handler that does not claim.
 */
export const saveHandledThrough = async (
  target: ClaimTarget,
  { sequenceNumber, recordCreatedAt }: { sequenceNumber: string; recordCreatedAt?: string },
): Promise<void> => {
  await target.dynamoDBClient.send(
    new UpdateItemCommand({
      TableName: target.tableName,
      Key: target.key,
      UpdateExpression: `SET sequenceNumber = :handled, finished = :false, updatedAt = :now${recordCreatedAt !== undefined ? ', recordCreatedAt = :createdAt' : ''}`,
      ExpressionAttributeValues: {
        ':handled': { S: sequenceNumber },
        ':false': { BOOL: false },
        ':now': { S: new Date().toISOString() },
        ...(recordCreatedAt !== undefined ? { ':createdAt': { S: recordCreatedAt } } : {}),
      },
    }),
  );
};
