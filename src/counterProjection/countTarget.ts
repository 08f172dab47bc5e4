import { CounterError } from '../shared/index.js';
import type { Counter } from './counter.js';
import { type CountsItemKey, totalItem, windowItem } from './countsItems/index.js';
import { bucketOf, isCounterWindow } from './windows.js';

/** What a read names: a counter key's total, or one bucket of one of its windows. */
export interface CountTarget {
  counter: Counter;
  key: string;
  /**
   * A window and the time whose bucket to read (or the bucket itself, e.g. "2024-01-31T12",
   * "2024-W05"), as the caller gave it (a message type stands for a counter without
   * windows): checked here.
   */
  window?: string;
  bucket?: string | Date;
}

/** The key of the item a read names; InvalidCountQuery for a window the counter lacks. */
export const itemKeyOf = ({ counter, key, window, bucket }: CountTarget): CountsItemKey => {
  if (window === undefined && bucket === undefined) return totalItem.key(counter.name, key);
  if (!isCounterWindow(window) || !counter.windows.includes(window)) {
    throw new CounterError('InvalidCountQuery', {
      option: 'window',
      value: window,
      expected: `one of the windows of counter ${counter.name}: ${counter.windows.join(', ') || 'none'}`,
    });
  }
  if (bucket === undefined)
    throw new CounterError('InvalidCountQuery', {
      option: 'bucket',
      value: bucket,
      expected: 'a time or bucket, with window',
    });
  return windowItem.key({
    counterName: counter.name,
    window,
    key,
    bucket: bucketOf(window, bucket),
  });
};
