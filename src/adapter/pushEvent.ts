import {
  type DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { EventDetail, OptionalTimestamp, PushEventOptions } from '@castore/core';

import { isAwsError } from '../shared/retry.js';
import { EVENT_TABLE_SK } from './constants.js';
import { DynamoDBEventAlreadyExistsError } from './errors.js';
import { toEventItem } from './eventItem.js';
import { isItemTooLarge, itemTooLargeError } from './itemTooLarge.js';

export interface PutEventInputOptions {
  tableName: string;
  eventStoreId: string;
  force: boolean;
}

/** The Put of one event; also one action of an event group's transaction. */
export const toPutEventInput = (
  event: EventDetail,
  options: PutEventInputOptions,
): PutItemCommandInput => ({
  TableName: options.tableName,
  Item: toEventItem(event, options.eventStoreId),
  ...(options.force
    ? {}
    : {
        ConditionExpression: 'attribute_not_exists(#version)',
        ExpressionAttributeNames: { '#version': EVENT_TABLE_SK },
      }),
});

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
