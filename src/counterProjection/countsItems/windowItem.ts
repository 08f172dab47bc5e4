import type { Update } from '@aws-sdk/client-dynamodb';

import type { CounterWindow } from '../windows.js';
import {
  countsAttributeNames,
  type CountsImage,
  type CountsItemKey,
  type DecodeFail,
  decodeInteger,
  decodeString,
  toKeyAttributes,
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

/**
 * One bucket of a counter key's window:  pk W#<counter>#<window>#<key>  sk <bucket>  count.
 * A key's buckets share a partition, so that a range of them is one Query.
 */
export const windowItem = {
  key: keyOf,

  increment: (
    options: Parameters<typeof keyOf>[0] & { tableName: string; delta: bigint | number },
  ): Update => ({
    TableName: options.tableName,
    Key: toKeyAttributes(keyOf(options)),
    UpdateExpression: 'ADD #count :delta SET #counter = :counter, #key = :key, #window = :window',
    ExpressionAttributeNames: countsAttributeNames('count', 'counter', 'key', 'window'),
    ExpressionAttributeValues: {
      ':delta': { N: String(options.delta) },
      ':counter': { S: options.counterName },
      ':key': { S: options.key },
      ':window': { S: options.window },
    },
  }),

  decode: (image: CountsImage, fail: DecodeFail): { bucket: string; count: bigint } => ({
    bucket: decodeString(image, 'sk') ?? fail('no sort key'),
    count: decodeInteger(image, 'count', fail) ?? 0n,
  }),
};
