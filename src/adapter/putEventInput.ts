import type { PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { EventDetail } from '@castore/core';

import { EVENT_TABLE_SK } from './constants.js';
import { toEventItem } from './eventItem.js';

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
