import type { AttributeValue } from '@aws-sdk/client-dynamodb';

import { type CounterWindow, isCounterWindow } from '../windows.js';
import { type CountGuard, type GuardClauses, guardClauses } from './countGuard.js';
import type { CountsImage, CountsItemKey, DecodeFail, UpdateShape } from './countsAttributes.js';
import {
  decodeCount,
  decodeInteger,
  decodeString,
  identifiedShape,
  identifiedUpdate,
  returningOld,
} from './countsAttributes.js';

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

// An increment's expressions depend only on its guard's clauses (cached per guard) and on
// whether it expires: built once each.
const incrementShapes = [false, true].map(() => new WeakMap<GuardClauses, UpdateShape>());
const incrementShape = (clauses: GuardClauses, expiring: boolean): UpdateShape => {
  const shapes = incrementShapes[Number(expiring)] as WeakMap<GuardClauses, UpdateShape>;
  let shape = shapes.get(clauses);
  if (shape === undefined) {
    shape = identifiedShape({
      add: '#count :delta',
      set: [
        '#window = :window',
        ...(expiring ? ['#expiresAt = :expiresAt'] : []),
        ...clauses.set,
      ].join(', '),
      condition: clauses.condition.join(' AND '),
      names: ['count', 'window', ...(expiring ? ['expiresAt' as const] : []), ...clauses.names],
    });
    shapes.set(clauses, shape);
  }
  return shape;
};

/**
 * One bucket of a counter key's window:  pk W#<counter>#<window>#<key>  sk <bucket>  count.
 * A key's buckets share a partition, so that a range of them is one Query.
 */
export const windowItem = {
  key: keyOf,

  /** With expiresAt (a retention), the bucket carries the table's TTL attribute. */
  increment: (
    item: Parameters<typeof keyOf>[0] & {
      tableName: string;
      delta: bigint | number;
      expiresAt?: number | undefined;
      guard: CountGuard;
    },
  ) => {
    const clauses = guardClauses(item.guard);
    const expiring = item.expiresAt !== undefined;
    // Value by value, not spread: a batch builds one per bucket it touches (the hot path).
    const values: Record<string, AttributeValue> = {
      ':delta': { N: String(item.delta) },
      ':window': { S: item.window },
    };
    if (expiring) values[':expiresAt'] = { N: String(item.expiresAt) };
    for (const name in clauses.values) values[name] = clauses.values[name] as AttributeValue;
    return returningOld(
      identifiedUpdate(item, keyOf(item), incrementShape(clauses, expiring), values),
    );
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
