import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

import type { Counter } from './counter.js';
import { refKey, toKeyAttributes } from './countsTable.js';
import { InvalidCountQueryError } from './errors.js';

export interface CountedRef {
  targetRef: string;
  by: number;
  /** When it was counted (ISO). */
  countedAt: string;
}

interface ShardPage {
  shard: number;
  items: Record<string, AttributeValue>[];
  /** The last sort key read when the shard has more, else undefined. */
  more: string | undefined;
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
  context: { dynamoDBClient: DynamoDBClient; tableName: string },
  { counter, key, limit = 100, pageToken }: { counter: Counter; key: string; limit?: number; pageToken?: string },
): Promise<{ refs: CountedRef[]; nextPageToken?: string }> => {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new InvalidCountQueryError('limit', limit, 'an integer >= 1');
  let { shard, after } = decodeRefsToken(pageToken, counter, key);
  const refs: CountedRef[] = [];
  const readShard = async (index: number, start: string | undefined): Promise<ShardPage> => {
    const { pk } = refKey(counter.name, index, key, '');
    const page = await context.dynamoDBClient.send(
      new QueryCommand({
        TableName: context.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        Limit: limit - refs.length,
        // `start` is a stored sort key (possibly a hashed one), used as it is.
        ...(start !== undefined ? { ExclusiveStartKey: toKeyAttributes({ pk, sk: start }) } : {}),
      }),
    );
    return { shard: index, items: page.Items ?? [], more: page.LastEvaluatedKey?.sk?.S };
  };
  for (let wave = 1; shard < counter.refShards && refs.length < limit; wave = Math.min(wave * 2, MAX_WAVE)) {
    const shards = Array.from({ length: Math.min(wave, counter.refShards - shard) }, (_, offset) => shard + offset);
    const pages = await Promise.all(shards.map((index) => readShard(index, index === shard ? after : undefined)));
    for (const page of pages) {
      const taken = page.items.slice(0, limit - refs.length);
      refs.push(...taken.map(toCountedRef));
      if (taken.length < page.items.length) {
        shard = page.shard;
        after = taken[taken.length - 1]?.sk?.S;
        break;
      }
      if (page.more !== undefined) {
        shard = page.shard;
        after = page.more;
        break;
      }
      shard = page.shard + 1;
      after = undefined;
      if (refs.length >= limit) break;
    }
  }
  if (shard >= counter.refShards) return { refs };
  return { refs, nextPageToken: Buffer.from(JSON.stringify({ c: counter.name, k: key, s: shard, a: after })).toString('base64url') };
};

const toCountedRef = (item: Record<string, AttributeValue>): CountedRef => ({
  // A targetRef too long for a sort key is stored whole in `ref`.
  targetRef: item.ref?.S ?? item.sk?.S ?? '',
  by: Number(item.by?.N),
  countedAt: item.at?.S ?? '',
});

const decodeRefsToken = (pageToken: string | undefined, counter: Counter, key: string): { shard: number; after: string | undefined } => {
  if (pageToken === undefined) return { shard: 0, after: undefined };
  let token: { c?: unknown; k?: unknown; s?: unknown; a?: unknown } | undefined;
  try {
    token = JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8')) as typeof token;
  } catch {
    token = undefined;
  }
  const valid =
    token?.c === counter.name &&
    token.k === key &&
    Number.isSafeInteger(token.s) &&
    (token.s as number) >= 0 &&
    (token.a === undefined || typeof token.a === 'string');
  if (!valid) throw new InvalidCountQueryError('pageToken', pageToken, `a nextPageToken of listCountedRefs for counter ${counter.name} and this key`);
  return { shard: token?.s as number, after: token?.a as string | undefined };
};
