import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { EventDetail, OptionalTimestamp, PushEventOptions } from '@castore/core';

import { isAwsError } from '../shared/index.js';
import { eventAlreadyExists } from './errors.js';
import { isItemTooLarge, itemTooLargeError } from './itemTooLarge.js';
import type { EventGroupTarget } from './parseEventGroup.js';
import { pushEventGroup } from './pushEventGroup.js';
import { toPutEventInput } from './putEventInput.js';
import { withTableName } from './tableErrors.js';

const isConditionalCheckFailed = (error: unknown): boolean =>
  isAwsError(error, 'ConditionalCheckFailedException');

/** One event: a conditional Put, or with requireContiguousVersions (above version 1) a transaction. */
export const pushEvent = async ({
  target,
  event: eventWithOptionalTimestamp,
  options,
}: {
  target: EventGroupTarget;
  event: OptionalTimestamp<EventDetail>;
  options: PushEventOptions;
}): Promise<{ event: EventDetail }> => {
  const event = {
    ...eventWithOptionalTimestamp,
    timestamp: eventWithOptionalTimestamp.timestamp ?? new Date().toISOString(),
  } as EventDetail;
  const { eventStoreId, force = false } = options;
  if (target.requireContiguousVersions && event.version > 1) {
    // One event as a transaction: its Put, and the check that the previous version exists.
    const { eventGroup } = await pushEventGroup([{ ...target, eventStoreId, event }], {
      force,
      single: true,
    });
    return eventGroup[0] as { event: EventDetail };
  }
  const { dynamoDBClient, tableName } = target;
  const input = toPutEventInput(event, { tableName, eventStoreId, force });
  try {
    await dynamoDBClient.send(new PutItemCommand(input));
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      throw eventAlreadyExists({
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
    return withTableName(tableName)(error);
  }
  return { event };
};
