import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ListAggregateIdsOptions, ListAggregateIdsOutput } from '@castore/core';

import { CounterError } from '../shared/index.js';
import {
  EVENT_TABLE_EVENT_STORE_ID_KEY,
  EVENT_TABLE_INITIAL_EVENT_INDEX_NAME,
  EVENT_TABLE_TIMESTAMP_KEY,
} from './constants.js';
import { isIsoTimestamp } from './eventItem.js';
import { assertValidEventStoreId, fromPartitionKey } from './keys.js';
import {
  decodePageToken,
  encodePageToken,
  type PageTokenContent,
  toExclusiveStartKey,
} from './pageToken.js';
import { assertOptionalBoolean, assertOptionalInteger, keyConditionQuery } from './queryOptions.js';
import { withIndexExplained } from './tableErrors.js';

type ListingOptions = Omit<PageTokenContent, 'lastKey'>;
type InitialEventItem = { aggregateId: string; version: number; timestamp: string };

/**
 * Lists an event store's aggregates by the timestamp of their first event, from the
 * sparse initialEvents GSI. With a limit, every page holds exactly `limit` ids (fewer
 * only on the last page, which carries no nextPageToken).
 */
export const listAggregateIds = async ({
  dynamoDBClient,
  tableName,
  eventStoreId,
  options: { pageToken, ...inputOptions } = {},
}: {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  eventStoreId: string;
  options?: ListAggregateIdsOptions;
}): Promise<ListAggregateIdsOutput> => {
  assertValidEventStoreId(eventStoreId);
  const { options, tokenLastKey } = resolveOptions(eventStoreId, pageToken, inputOptions);
  const { initialEventAfter: after, initialEventBefore: before } = options;
  if (after !== undefined && before !== undefined && after > before) return { aggregateIds: [] };

  const query = buildInitialEventsQuery(tableName, options);
  const startKey =
    tokenLastKey === undefined ? undefined : toExclusiveStartKey(eventStoreId, tokenLastKey);
  const { items, hasMore } = await queryItems({
    dynamoDBClient,
    query,
    startKey,
    limit: options.limit,
  });
  const last = items[items.length - 1];
  return {
    aggregateIds: items.map(({ aggregateId, timestamp }) => ({
      aggregateId: fromPartitionKey(eventStoreId, aggregateId),
      initialEventTimestamp: timestamp,
    })),
    ...(hasMore && last !== undefined
      ? {
          nextPageToken: encodePageToken({
            ...options,
            lastKey: {
              aggregateId: last.aggregateId,
              version: last.version,
              timestamp: last.timestamp,
            },
          }),
        }
      : {}),
  };
};

/** The listing's options: a page token's, overridden by those given with it (as in the reference adapter). */
const resolveOptions = (
  eventStoreId: string,
  pageToken: string | undefined,
  inputOptions: Omit<ListAggregateIdsOptions, 'pageToken'>,
) => {
  const token = pageToken === undefined ? undefined : decodePageToken(pageToken, eventStoreId);
  const { lastKey: tokenLastKey, ...tokenOptions } = token ?? { lastKey: undefined };
  const options: ListingOptions = {
    ...withoutUndefined(tokenOptions),
    ...withoutUndefined(inputOptions),
    eventStoreId,
  };
  validateOptions(options);
  return { options, tokenLastKey };
};

/**
 * With a limit, asks for one item more than the page so that it knows whether another
 * page exists (no empty last page). Without one, returns one DynamoDB page (up to 1 MB).
 */
const queryItems = async ({
  dynamoDBClient,
  query,
  startKey,
  limit,
}: {
  dynamoDBClient: DynamoDBClient;
  query: QueryCommandInput;
  startKey: Record<string, AttributeValue> | undefined;
  limit: number | undefined;
}): Promise<{ items: InitialEventItem[]; hasMore: boolean }> => {
  const items: InitialEventItem[] = [];
  let exclusiveStartKey = startKey;
  do {
    const wanted = limit === undefined ? undefined : limit + 1 - items.length;
    const page = await dynamoDBClient
      .send(new QueryCommand({ ...query, ExclusiveStartKey: exclusiveStartKey, Limit: wanted }))
      .catch(withIndexExplained(String(query.TableName)));
    items.push(...(page.Items ?? []).map((item) => unmarshall(item) as InitialEventItem));
    exclusiveStartKey = page.LastEvaluatedKey;
    if (limit === undefined && items.length > 0)
      return { items, hasMore: exclusiveStartKey !== undefined };
  } while (exclusiveStartKey !== undefined && (limit === undefined || items.length <= limit));

  if (limit !== undefined && items.length > limit)
    return { items: items.slice(0, limit), hasMore: true };
  return { items, hasMore: false };
};

const validateOptions = (options: ListingOptions) => {
  assertOptionalInteger('limit', options.limit, 1);
  for (const option of ['initialEventAfter', 'initialEventBefore'] as const) {
    const value = options[option];
    if (value !== undefined && !isIsoTimestamp(value)) {
      throw new CounterError('InvalidQueryOption', {
        option,
        value,
        expected: 'an ISO-8601 UTC timestamp such as 2024-01-31T12:00:00.000Z',
      });
    }
  }
  assertOptionalBoolean('reverse', options.reverse);
};

const timestamp = (value: string | undefined) => (value === undefined ? undefined : { S: value });

/** The Query of an event store's initial events on the sparse GSI, between optional timestamps. */
export const buildInitialEventsQuery = (
  tableName: string,
  options: ListingOptions,
): QueryCommandInput => ({
  TableName: tableName,
  IndexName: EVENT_TABLE_INITIAL_EVENT_INDEX_NAME,
  ...keyConditionQuery({
    partition: { attribute: EVENT_TABLE_EVENT_STORE_ID_KEY, value: { S: options.eventStoreId } },
    range: {
      attribute: EVENT_TABLE_TIMESTAMP_KEY,
      from: timestamp(options.initialEventAfter),
      to: timestamp(options.initialEventBefore),
    },
    reverse: options.reverse,
  }),
});

const withoutUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
