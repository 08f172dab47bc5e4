import { type CounterWindow, isCounterWindow } from '../windows.js';
import { type CountGuard, guardClauses } from './countGuard.js';
import type { CountsImage, CountsItemKey, DecodeFail } from './countsAttributes.js';
import { decodeCount, decodeInteger, decodeString, identifiedUpdate } from './countsAttributes.js';

const keyOf = ({
  counterName,
  window,
  key,
  bucket,
}: {
  counterName: string;
  window: CounterWindow;
  key: string;
  bucket: string;
}): CountsItemKey => ({ pk: `W#${counterName}#${window}#${key}`, sk: bucket });

/**
 * One bucket of a counter key's window:  pk W#<counter>#<window>#<key>  sk <bucket>  count.
 * A key's buckets share a partition, so that a range of them is one Query.
 */
export const windowItem = {
  key: keyOf,

  /** With expiresAt (a retention), the bucket carries the table's TTL attribute. */
  increment: ({
    delta,
    expiresAt,
    guard,
    ...item
  }: Parameters<typeof keyOf>[0] & {
    tableName: string;
    delta: bigint | number;
    expiresAt?: number | undefined;
    guard: CountGuard;
  }) => {
    const clauses = guardClauses(guard);
    const expiring = expiresAt !== undefined;
    return {
      ...identifiedUpdate(item, {
        itemKey: keyOf(item),
        add: '#count :delta',
        set: [
          '#window = :window',
          ...(expiring ? ['#expiresAt = :expiresAt'] : []),
          ...clauses.set,
        ].join(', '),
        condition: clauses.condition.join(' AND '),
        names: ['count', 'window', ...(expiring ? ['expiresAt' as const] : []), ...clauses.names],
        values: {
          ':delta': { N: String(delta) },
          ':window': { S: item.window },
          ...(expiring ? { ':expiresAt': { N: String(expiresAt) } } : {}),
          ...clauses.values,
        },
      }),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
  },

  decode: (image: CountsImage, fail: DecodeFail): { bucket: string; count: bigint } => ({
    bucket: decodeString(image, 'sk') ?? fail('no sort key'),
    count: decodeCount(image, fail),
  }),

  /** A whole bucket whose partition key is `partitionKey`: its counter, window and key must name it. */
  decodeOwned: (image: CountsImage, partitionKey: string, fail: DecodeFail) => {
    const counterName = decodeString(image, 'counter');
    const key = decodeString(image, 'key');
    const window = decodeString(image, 'window');
    if (counterName === undefined || key === undefined || !isCounterWindow(window))
      return fail('no counter, key or window');
    const { bucket, count } = windowItem.decode(image, fail);
    if (partitionKey !== keyOf({ counterName, window, key, bucket }).pk)
      fail('counter, window and key unlike the item key');
    return { counterName, key, window, bucket, count };
  },

  /**
   * Whether a bucket is past its retention: it reads as absent from then on, whether or
   * not DynamoDB's TTL has deleted it yet (that can take days).
   */
  isExpired: (image: CountsImage | undefined, now: Date, fail: DecodeFail): boolean => {
    const expiresAt = decodeInteger(image, 'expiresAt', fail);
    return expiresAt !== undefined && expiresAt * 1000n <= BigInt(now.getTime());
  },
};
