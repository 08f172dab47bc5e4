import type { CounterWindow } from '../windows.js';
import type { CountsImage, CountsItemKey, DecodeFail } from './countsAttributes.js';
import { decodeCount, decodeString, identifiedUpdate } from './countsAttributes.js';

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

  increment: ({
    delta,
    ...item
  }: Parameters<typeof keyOf>[0] & { tableName: string; delta: bigint | number }) =>
    identifiedUpdate(item, {
      itemKey: keyOf(item),
      add: '#count :delta',
      set: '#window = :window',
      names: ['count', 'window'],
      values: { ':delta': { N: String(delta) }, ':window': { S: item.window } },
    }),

  decode: (image: CountsImage, fail: DecodeFail): { bucket: string; count: bigint } => ({
    bucket: decodeString(image, 'sk') ?? fail('no sort key'),
    count: decodeCount(image, fail),
  }),
};
