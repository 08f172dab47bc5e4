import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';

import { CounterError, decodePageToken, encodePageToken } from '../shared/index.js';
import type { Counter } from './counter.js';
import { type CountedRef, refItem, toKeyAttributes } from './countsItems/index.js';

export type { CountedRef } from './countsItems/index.js';

interface ShardPage {
  shard: number;
  items: Record<string, AttributeValue>[];
  /** The last sort key read when the shard has more, else undefined. */
  lastSortKey: string | undefined;
}

// Shards are read a wave at a time, the wave doubling (up to 16) while shards come back
// short: a cold key costs 8 round trips over 64 shards instead of 64, and, refs being
// spread evenly over the shards, a busy one reads at most about twice what it returns.
const MAX_WAVE = 16;

/**
 * The refs a counter key has counted (its audit trail), shard after shard; page tokens
 * carry the shard and the last ref. Query, never Scan.
 */
export const listCountedRefs = async (
  context: RefsContext,
  {
    counter,
    key,
    limit = 100,
    pageToken,
  }: { counter: Counter; key: string; limit?: number; pageToken?: string },
): Promise<{ refs: CountedRef[]; nextPageToken?: string }> => {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new CounterError('InvalidCountQuery', {
      option: 'limit',
      value: limit,
      expected: 'an integer >= 1',
    });
  let cursor = decodeRefsToken(pageToken, counter, key);
  const refs: CountedRef[] = [];
  for (
    let wave = 1;
    cursor.shard < counter.refShards && refs.length < limit;
    wave = Math.min(wave * 2, MAX_WAVE)
  ) {
    const { shard, after } = cursor;
    const indexes = Array.from(
      { length: Math.min(wave, counter.refShards - shard) },
      (_, offset) => shard + offset,
    );
    const pages = await Promise.all(
      indexes.map((index) =>
        queryRefShard(context, {
          counter,
          key,
          index,
          start: index === shard ? after : undefined,
          limit: limit - refs.length,
        }),
      ),
    );
    cursor = takeRefs({ pages, refs, limit, cursor });
  }
  if (cursor.shard >= counter.refShards) return { refs };
  const token = { c: counter.name, k: key, s: cursor.shard, a: cursor.after };
  return { refs, nextPageToken: encodePageToken(token) };
};

type RefsContext = { dynamoDBClient: DynamoDBClient; tableName: string };

/** Where the next read starts: a ref shard, after a sort key of it (or at its beginning). */
interface Cursor {
  shard: number;
  after: string | undefined;
}

const queryRefShard = async (
  context: RefsContext,
  {
    counter,
    key,
    index,
    start,
    limit,
  }: { counter: Counter; key: string; index: number; start: string | undefined; limit: number },
): Promise<ShardPage> => {
  const pk = refItem.partitionKey({ counterName: counter.name, shard: index, key });
  const page = await context.dynamoDBClient.send(
    new QueryCommand({
      TableName: context.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: pk } },
      Limit: limit,
      // `start` is a stored sort key (possibly a hashed one), used as it is.
      ...(start !== undefined ? { ExclusiveStartKey: toKeyAttributes({ pk, sk: start }) } : {}),
    }),
  );
  return { shard: index, items: page.Items ?? [], lastSortKey: page.LastEvaluatedKey?.sk?.S };
};

/**
 * Takes the pages' refs in shard order up to the limit, and returns where the next read
 * starts: in the same shard after the last ref taken when the limit cut a page, or after
 * the last ref read when the shard has more than its page; otherwise at the beginning of
 * the shard after the last page taken whole.
 */
const takeRefs = ({
  pages,
  refs,
  limit,
  cursor,
}: {
  pages: ShardPage[];
  refs: CountedRef[];
  limit: number;
  cursor: Cursor;
}): Cursor => {
  let next = cursor;
  for (const page of pages) {
    const taken = page.items.slice(0, limit - refs.length);
    refs.push(...taken.map(refItem.decode));
    if (taken.length < page.items.length)
      return { shard: page.shard, after: taken[taken.length - 1]?.sk?.S };
    if (page.lastSortKey !== undefined) return { shard: page.shard, after: page.lastSortKey };
    next = { shard: page.shard + 1, after: undefined };
    if (refs.length >= limit) return next;
  }
  return next;
};

const decodeRefsToken = (pageToken: string | undefined, counter: Counter, key: string): Cursor => {
  if (pageToken === undefined) return { shard: 0, after: undefined };
  const token = decodePageToken(pageToken);
  const valid =
    token?.c === counter.name &&
    token.k === key &&
    Number.isSafeInteger(token.s) &&
    (token.s as number) >= 0 &&
    (token.a === undefined || typeof token.a === 'string');
  if (!valid) {
    throw new CounterError('InvalidCountQuery', {
      option: 'pageToken',
      value: pageToken,
      expected: `a nextPageToken of listCountedRefs for counter ${counter.name} and this key`,
    });
  }
  return { shard: token.s as number, after: token.a as string | undefined };
};
