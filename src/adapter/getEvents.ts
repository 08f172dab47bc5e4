import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { EventDetail, EventsQueryOptions } from '@castore/core';

import { EVENT_TABLE_PK, EVENT_TABLE_SK } from './constants.js';
import { fromEventItem } from './eventItem.js';
import { toPartitionKey } from './keys.js';
import { assertOptionalBoolean, assertOptionalInteger, keyConditionQuery } from './queryOptions.js';
import { withTableName } from './tableErrors.js';

export interface GetEventsInput {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  eventStoreId: string;
  aggregateId: string;
  options: EventsQueryOptions;
}

/**
 * Reads an aggregate's events with strongly consistent queries, following pages past
 * DynamoDB's 1 MB limit but never past `limit`: `{ reverse: true, limit: 1 }` is one
 * small request, not a read of the whole aggregate.
 */
export const getEvents = async (input: GetEventsInput): Promise<{ events: EventDetail[] }> => {
  const { minVersion, maxVersion, limit } = validateOptions(input.options);
  if (minVersion !== undefined && maxVersion !== undefined && minVersion > maxVersion)
    return { events: [] };

  const query = buildEventsQuery(input);
  const items: Record<string, AttributeValue>[] = [];
  let exclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const remaining = limit === undefined ? undefined : limit - items.length;
    const page = await input.dynamoDBClient
      .send(new QueryCommand({ ...query, ExclusiveStartKey: exclusiveStartKey, Limit: remaining }))
      .catch(withTableName(String(query.TableName)));
    items.push(...(page.Items ?? []));
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined && (limit === undefined || items.length < limit));

  return { events: items.map((item) => fromEventItem(item, input.eventStoreId)) };
};

const validateOptions = (options: EventsQueryOptions) => {
  const { minVersion, maxVersion, limit, reverse } = options;
  assertOptionalInteger('minVersion', minVersion, 0);
  assertOptionalInteger('maxVersion', maxVersion, 0);
  assertOptionalInteger('limit', limit, 1);
  assertOptionalBoolean('reverse', reverse);
  return { minVersion, maxVersion, limit };
};

const version = (value: number | undefined) =>
  value === undefined ? undefined : { N: String(value) };

/** The strongly consistent Query of one aggregate's events, between optional versions. */
export const buildEventsQuery = ({
  tableName,
  eventStoreId,
  aggregateId,
  options: { minVersion, maxVersion, reverse },
}: Omit<GetEventsInput, 'dynamoDBClient'>): QueryCommandInput => ({
  TableName: tableName,
  ...keyConditionQuery({
    partition: {
      attribute: EVENT_TABLE_PK,
      value: { S: toPartitionKey(eventStoreId, aggregateId) },
    },
    range: { attribute: EVENT_TABLE_SK, from: version(minVersion), to: version(maxVersion) },
    reverse,
  }),
  ConsistentRead: true,
});
