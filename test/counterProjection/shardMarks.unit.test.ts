import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  decodeStoredRecord,
  encodeShardMark,
  encodeStoredRecord,
  shardMarkName,
  shardMarkOf,
  shardMarksOf,
  watermarkedUpdate,
} from '../../src/counterProjection/countsItems/index.js';

/** Byte-wise, unsigned, a prefix first: how DynamoDB compares two binaries. */
const compareBinary = (a: Uint8Array, b: Uint8Array): number => {
  for (let index = 0; index < Math.min(a.length, b.length); index++)
    if (a[index] !== b[index]) return (a[index] as number) - (b[index] as number);
  return a.length - b.length;
};

const sequenceNumber = fc
  .bigInt({ min: 10n ** 20n, max: 10n ** 40n - 1n })
  .map((value) => value.toString());

describe('shard marks and stored records (unit)', () => {
  it('order marks as DynamoDB compares binaries exactly as their sequence numbers, across 21 to 40 digits', () => {
    fc.assert(
      fc.property(sequenceNumber, sequenceNumber, fc.nat(2 ** 32 - 1), (a, b, time) => {
        const order = compareBinary(encodeShardMark(a, time), encodeShardMark(b, time));
        expect(Math.sign(order)).toBe(Math.sign(Number(BigInt(a) - BigInt(b))));
      }),
      { numRuns: 2_000 },
    );
  });

  it("refuse a run whose first record is at or below the item's mark: the condition's `<` holds only for later records", () => {
    const mark = encodeShardMark('100000000000000000042', 1_700_000_000);
    const first = (n: string) =>
      watermarkedUpdate({
        tableName: 't',
        owner: { tableName: 't', counterName: 'c', key: 'k' },
        itemKey: { pk: 'T#c#k', sk: 'total' },
        shardId: 'shardId-1',
        first: n,
        last: n,
        delta: 1n,
        lastCreatedAt: 1,
        oldestCreatedAt: 1,
        rebuildId: undefined,
      }).ExpressionAttributeValues?.[':first']?.B as Uint8Array;
    // mark < first passes; equal (a prefix of the stored mark) and below are refused.
    expect(compareBinary(mark, first('100000000000000000043'))).toBeLessThan(0);
    expect(compareBinary(mark, first('100000000000000000042'))).toBeGreaterThan(0);
    expect(compareBinary(mark, first('100000000000000000041'))).toBeGreaterThan(0);
  });

  it('read back a mark under its shard, and every mark of an item apart from its other attributes', () => {
    const value = encodeShardMark('123456789012345678901234', 1_700_000_123);
    const item = {
      [shardMarkName('shardId-00000001-abc')]: { B: value },
      [shardMarkName('odd')]: { B: encodeShardMark('100000000000000000001', 5) },
      count: { N: '3' },
      wm: { BOOL: true },
    };
    expect(shardMarkName('shardId-00000001-abc')).toBe('w:00000001-abc');
    expect(shardMarkName('odd')).toBe('w!odd');
    expect(shardMarkOf(item, 'shardId-00000001-abc')).toMatchObject({
      sequenceNumber: 123456789012345678901234n,
      createdAtSeconds: 1_700_000_123,
    });
    expect(shardMarksOf(item).map(({ name }) => name)).toEqual(['w:00000001-abc', 'w!odd']);
  });

  it('store a record set aside so that binary attributes and Date creation times come back as they were', () => {
    const record = {
      eventName: 'INSERT' as const,
      dynamodb: {
        SequenceNumber: '100000000000000000001',
        ApproximateCreationDateTime: new Date('2024-01-01T00:00:01.000Z'),
        NewImage: {
          payload: { M: { tag: { B: new Uint8Array([0, 255, 7]) } } },
          bs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
          text: { S: '{"$binary":"AAA="}' },
        },
      },
    };
    expect(decodeStoredRecord(encodeStoredRecord(record))).toEqual(record);
  });
});
