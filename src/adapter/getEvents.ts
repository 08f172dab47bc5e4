import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { EventDetail, EventsQueryOptions } from '@castore/core';

import { EVENT_TABLE_PK, EVENT_TABLE_SK } from './constants.js';
import { InvalidQueryOptionError } from './errors.js';
import { fromEventItem } from './eventItem.js';
import { toPartitionKey } from './keys.js';
import { assertOptionalInteger } from './options.js';

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

  const query = buildQuery(input);
  const items: Record<string, AttributeValue>[] = [];
  let exclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const remaining = limit === undefined ? undefined : limit - items.length;
    const page = await input.dynamoDBClient.send(
      new QueryCommand({ ...query, ExclusiveStartKey: exclusiveStartKey, Limit: remaining }),
    );
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
  if (reverse !== undefined && typeof reverse !== 'boolean') {
    throw new InvalidQueryOptionError({ option: 'reverse', value: reverse, expected: 'a boolean' });
  }
  return { minVersion, maxVersion, limit };
};

const buildQuery = ({
  tableName,
  eventStoreId,
  aggregateId,
  options,
}: GetEventsInput): QueryCommandInput => {
  const { minVersion, maxVersion, reverse } = options;
  const versionCondition =
    minVersion !== undefined && maxVersion !== undefined
      ? ' AND #version BETWEEN :minVersion AND :maxVersion'
      : minVersion !== undefined
        ? ' AND #version >= :minVersion'
        : maxVersion !== undefined
          ? ' AND #version <= :maxVersion'
          : '';
  return {
    TableName: tableName,
    KeyConditionExpression: `#aggregateId = :aggregateId${versionCondition}`,
    ExpressionAttributeNames: {
      '#aggregateId': EVENT_TABLE_PK,
      ...(versionCondition !== '' ? { '#version': EVENT_TABLE_SK } : {}),
    },
    ExpressionAttributeValues: {
      ':aggregateId': { S: toPartitionKey(eventStoreId, aggregateId) },
      ...(minVersion !== undefined ? { ':minVersion': { N: String(minVersion) } } : {}),
      ...(maxVersion !== undefined ? { ':maxVersion': { N: String(maxVersion) } } : {}),
    },
    ConsistentRead: true,
    ScanIndexForward: reverse !== true,
  };
};
