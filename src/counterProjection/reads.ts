import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  GetItemCommand,
  type KeysAndAttributes,
} from '@aws-sdk/client-dynamodb';

import { CounterError, describeValue, type RetryOptions, withRetry } from '../shared/index.js';
import type { Counter } from './counter.js';
import {
  type CountsImage,
  decodeInteger,
  toKeyAttributes,
  windowItem,
} from './countsItems/index.js';
import { type CountTarget, itemKeyOf } from './countTarget.js';
import { queryPartition } from './readPages.js';
import { refuseIfNotExact } from './shardWatermark/index.js';

interface ReadContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
}

/** Refuses an item the projection did not write as it does: a misread count is worse than none. */
const failRead =
  (item: CountsImage | undefined) =>
  (reason: string): never => {
    throw new CounterError('InvalidCountsRecord', { value: item, reason });
  };

/**
 * The stored count, exactly (DynamoDB numbers hold 38 digits); an item never written, or a
 * window bucket past its retention (deleted by TTL or not yet), counts 0.
 */
const exactCountOf = (item: CountsImage | undefined): bigint =>
  windowItem.isExpired(item, new Date(), failRead(item))
    ? 0n
    : (decodeInteger(item, 'count', failRead(item)) ?? 0n);

/** A count as a number, refused rather than rounded past 2^53. */
const asNumber = (exact: bigint, item: CountsImage | undefined): number => {
  if (exact > BigInt(Number.MAX_SAFE_INTEGER) || exact < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new CounterError('CountTooLarge', {
      itemKey: String(item?.pk?.S),
      count: exact.toString(),
    });
  }
  return Number(exact);
};

const countOf = (item: CountsImage | undefined): number => asNumber(exactCountOf(item), item);

const readItem = async (
  context: ReadContext & { consistentRead?: boolean },
  target: CountTarget,
) => {
  const { Item } = await context.dynamoDBClient.send(
    new GetItemCommand({
      TableName: context.tableName,
      Key: toKeyAttributes(itemKeyOf(target)),
      ConsistentRead: context.consistentRead ?? false,
    }),
  );
  // After the read, never before: a gap is marked before any later record is counted, so a
  // count read before an unmarked check holds nothing past a gap (checked first, a gap told
  // and later records counted in between would pass as exact).
  await refuseIfNotExact(context, [target.counter]);
  return Item;
};

export const getCount = async (
  context: ReadContext & { consistentRead?: boolean },
  target: CountTarget,
): Promise<number> => countOf(await readItem(context, target));

export const getExactCount = async (
  context: ReadContext & { consistentRead?: boolean },
  target: CountTarget,
): Promise<bigint> => exactCountOf(await readItem(context, target));

/** Internal: an attempt of getCounts left keys unprocessed. */
class KeysUnprocessed extends Error {}

/** Counts of many targets, in their order, by BatchGetItem (retrying unprocessed keys). */
export const getCounts = async (
  context: ReadContext & { retry: RetryOptions },
  targets: CountTarget[],
): Promise<number[]> => {
  const keys = targets.map((target) => itemKeyOf(target));
  const counts = new Map<string, number>();
  const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
  for (let start = 0; start < unique.length; start += 100) {
    let request: Record<string, KeysAndAttributes> = {
      [context.tableName]: { Keys: unique.slice(start, start + 100).map(toKeyAttributes) },
    };
    // DynamoDB may leave keys unprocessed (throttling, size): each attempt asks for those.
    let attempts = 0;
    const readOnce = async (attemptNumber: number): Promise<void> => {
      attempts = attemptNumber;
      const result: BatchGetItemCommandOutput = await context.dynamoDBClient.send(
        new BatchGetItemCommand({ RequestItems: request }),
      );
      // The one table's items, under whatever key DynamoDB answers with: given a table's
      // ARN, DynamoDB Local answers under its name.
      for (const item of Object.values(result.Responses ?? {}).flat())
        counts.set(`${item.pk?.S}\u0000${item.sk?.S}`, countOf(item));
      request = result.UnprocessedKeys ?? {};
      if (Object.keys(request).length > 0) throw new KeysUnprocessed();
    };
    try {
      await withRetry(readOnce, {
        ...context.retry,
        isRetryable: (error) => error instanceof KeysUnprocessed,
      });
    } catch (error) {
      if (!(error instanceof KeysUnprocessed)) throw error;
      throw new CounterError('CountReadFailed', {
        attempts,
        unprocessedKeys: Object.values(request).reduce((n, { Keys }) => n + (Keys?.length ?? 0), 0),
      });
    }
  }
  // After the reads, as readItem says why.
  await refuseIfNotExact(
    context,
    targets.map(({ counter }) => counter),
  );
  return keys.map((key) => counts.get(`${key.pk}\u0000${key.sk}`) ?? 0);
};

/** The buckets of a window between two times (inclusive) that have a count, oldest first. */
export const getWindowedCounts = async (
  context: ReadContext,
  {
    counter,
    key,
    window,
    from,
    to,
  }: {
    counter: Counter;
    key: string;
    /** Checked by itemKeyOf, as CountTarget's. */
    window: string;
    from: string | Date;
    to: string | Date;
  },
): Promise<{ bucket: string; count: number }[]> => {
  const fromKey = itemKeyOf({ counter, key, window, bucket: from });
  const toSk = itemKeyOf({ counter, key, window, bucket: to }).sk;
  // Reversed bounds are a mistake (swapped arguments), not an empty range: say so.
  if (fromKey.sk > toSk)
    throw new CounterError('InvalidCountQuery', {
      option: 'from',
      value: from,
      expected: `a time in or before the ${window} bucket of to (${describeValue(to)})`,
    });
  const buckets: { bucket: string; count: number }[] = [];
  const items = await queryPartition(context, {
    pk: fromKey.pk,
    between: [fromKey.sk, toSk],
    consistentRead: false,
  });
  await refuseIfNotExact(context, [counter]); // after the read, as readItem says why
  for (const item of items) {
    if (windowItem.isExpired(item, new Date(), failRead(item))) continue;
    const { bucket, count } = windowItem.decode(item, failRead(item));
    buckets.push({ bucket, count: asNumber(count, item) });
  }
  return buckets;
};
