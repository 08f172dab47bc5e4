import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { EventDetail, OptionalTimestamp, PushEventOptions } from '@castore/core';

import { isAwsError } from '../shared/retry.js';
import { DynamoDBEventAlreadyExistsError } from './errors.js';
import { isItemTooLarge, itemTooLargeError } from './itemTooLarge.js';
import { toPutEventInput } from './putEventInput.js';

const isConditionalCheckFailed = (error: unknown): boolean =>
  isAwsError(error, 'ConditionalCheckFailedException');

export const pushEvent = async ({
  dynamoDBClient,
  tableName,
  event: eventWithOptionalTimestamp,
  options,
}: {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  event: OptionalTimestamp<EventDetail>;
  options: PushEventOptions;
}): Promise<{ event: EventDetail }> => {
  const event = {
    ...eventWithOptionalTimestamp,
    timestamp: eventWithOptionalTimestamp.timestamp ?? new Date().toISOString(),
  } as EventDetail;
  const { eventStoreId, force = false } = options;
  const input = toPutEventInput(event, { tableName, eventStoreId, force });
  try {
    await dynamoDBClient.send(new PutItemCommand(input));
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      throw new DynamoDBEventAlreadyExistsError({
        eventStoreId,
        aggregateId: event.aggregateId,
        version: event.version,
      });
    }
    if (isItemTooLarge(error))
      throw itemTooLargeError([
        {
          item: input.Item ?? {},
          label: `${eventStoreId} aggregate ${event.aggregateId} version ${event.version}`,
        },
      ]);
    throw error;
  }
  return { event };
};
