import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';

import {
  type CountsImage,
  refItem,
  totalItem,
  windowItem,
} from '../../src/counterProjection/countsItems/index.js';

const fail = (reason: string): never => {
  throw new Error(reason);
};

/** What DynamoDB would store for an Update: its key and the values it SETs, as an image. */
const imageOf = (key: Record<string, AttributeValue> | undefined, values: CountsImage) => ({
  ...key,
  ...values,
});

describe('the counts items’ codecs (unit): what one writes, the other reads back', () => {
  it('a ref put decodes to the ref it counted, a targetRef too long for a sort key included', () => {
    for (const targetRef of ['orders#o-1#3', `orders#${'é'.repeat(600)}#1`]) {
      const put = refItem.put({
        tableName: 'counts',
        counterName: 'paid',
        shard: 7,
        key: 'k',
        targetRef,
        by: -2,
        countedAt: '2024-01-01T00:00:00.000Z',
      });
      expect(put.Item?.pk?.S).toBe(
        refItem.partitionKey({ counterName: 'paid', shard: 7, key: 'k' }),
      );
      expect(refItem.decode(put.Item ?? {})).toEqual({
        targetRef,
        by: -2,
        countedAt: '2024-01-01T00:00:00.000Z',
      });
    }
  });

  it('a total decodes its identity and its count and target as bigints, past 2^53 too', () => {
    const update = totalItem.increment({
      tableName: 'counts',
      counterName: 'paid',
      key: 'a#b',
      delta: 1n,
      refShards: 4,
      guard: { idempotency: 'refs' },
    });
    const values = update.ExpressionAttributeValues ?? {};
    const image = imageOf(update.Key, {
      counter: values[':counter'],
      key: values[':key'],
      count: { N: '9007199254740993' },
      target: { N: '5' },
    });
    const pk = totalItem.key('paid', 'a#b').pk;
    expect(totalItem.isKey(pk, 'total')).toBe(true);
    expect(totalItem.decode(image, pk, fail)).toEqual({
      counterName: 'paid',
      key: 'a#b',
      count: 9007199254740993n,
      target: 5n,
    });
  });

  it('refuses a total whose counter and key do not name its item key, or whose count is not an integer', () => {
    const pk = totalItem.key('paid', 'k').pk;
    const image = { counter: { S: 'paid' }, key: { S: 'other' }, count: { N: '1' } };
    expect(() => totalItem.decode(image, pk, fail)).toThrow('counter and key unlike the item key');
    expect(() =>
      totalItem.decode({ ...image, key: { S: 'k' }, count: { N: '1.5' } }, pk, fail),
    ).toThrow('count not an integer');
    expect(totalItem.decodeState(undefined, fail)).toEqual({ count: 0n, target: undefined });
  });

  it('a window bucket decodes to its bucket and count', () => {
    const key = { counterName: 'paid', window: 'hour' as const, key: 'k', bucket: '2024-01-01T10' };
    const update = windowItem.increment({
      ...key,
      tableName: 'counts',
      delta: 3n,
      guard: { idempotency: 'refs' },
    });
    expect(update.Key?.pk?.S).toBe('W#paid#hour#k');
    expect(windowItem.decode(imageOf(update.Key, { count: { N: '3' } }), fail)).toEqual({
      bucket: '2024-01-01T10',
      count: 3n,
    });
  });
});
