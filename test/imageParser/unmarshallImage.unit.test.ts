import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall, type unmarshallOptions } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { assertKeyAttributes, unmarshallImage } from '../../src/imageParser/imageAttributes.js';

// unmarshallImage skips converting the key attributes assertKeyAttributes checked: what it
// gives must be what unmarshall gives, for any image that passes the check, with any option.
const fail = (field: string): never => {
  throw new Error(`failed on ${field}`);
};

const attributes = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }),
  fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.oneof(fc.string(), fc.integer())),
    fc.dictionary(fc.string({ minLength: 1 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
    fc.uint8Array({ minLength: 1, maxLength: 4 }),
    fc.constant(new Set(['a', 'b'])),
    fc.constant(12345678901234567890n),
  ),
  { maxKeys: 6 },
);

const imageOf = (rest: Record<string, unknown>): Record<string, AttributeValue> => ({
  ...marshall(rest, { removeUndefinedValues: true, convertClassInstanceToMap: true }),
  aggregateId: { S: 'orders#o1' },
  version: { N: '7' },
  type: { S: 'ORDER_PLACED' },
  timestamp: { S: '2024-01-01T00:00:00.000Z' },
});

const OPTIONS: unmarshallOptions[] = [{}, { wrapNumbers: true }, { wrapNumbers: (n) => `#${n}` }];

describe('unmarshallImage (unit)', () => {
  it('gives what unmarshall gives for an image whose key attributes are checked', () => {
    fc.assert(
      fc.property(attributes, fc.constantFrom(...OPTIONS), (rest, options) => {
        const image = imageOf(rest);
        assertKeyAttributes(image, fail);
        expect(unmarshallImage(image, options, fail)).toStrictEqual(unmarshall(image, options));
      }),
    );
  });

  it('reads a DynamoDB Local image whose empty map lost its type as unmarshall reads it restored', () => {
    const image = { ...imageOf({}), payload: {} } as unknown as Record<string, AttributeValue>;
    expect(unmarshallImage(image, {}, fail)).toStrictEqual(
      unmarshall({ ...image, payload: { M: {} } }),
    );
  });

  it('fails an image unmarshall cannot read, as before', () => {
    const image = { ...imageOf({}), odd: { X: '1' } } as unknown as Record<string, AttributeValue>;
    expect(() => unmarshallImage(image, {}, fail)).toThrow('failed on image');
  });
});
