import type { Counter } from '../counter.js';
import { type CountsItemKey, totalItem, windowItem } from '../countsItems/index.js';
import { bucketExpiry, type CounterWindow } from '../windows.js';

/** One counts item a verify compares: a counter key's total, or one bucket of one of its windows. */
export interface CountedItem {
  counterName: string;
  key: string;
  window?: CounterWindow;
  bucket?: string;
  count: bigint;
}

/** Counts items by their key in the counts table: what the events say, or what the table holds. */
export type CountedItems = Map<string, CountedItem>;

const idOf = ({ pk, sk }: CountsItemKey): string => `${pk}\u0000${sk}`;

/** The id of the item a counted item is, built by the counts table's own codecs. */
export const countedItemId = ({ counterName, key, window, bucket }: CountedItem): string =>
  idOf(
    window === undefined || bucket === undefined
      ? totalItem.key(counterName, key)
      : windowItem.key({ counterName, window, key, bucket }),
  );

/** Adds `by` to an item's count, the item created at 0 when absent. */
export const addTo = (items: CountedItems, item: Omit<CountedItem, 'count'>, by: bigint): void => {
  const id = countedItemId({ ...item, count: 0n });
  const found = items.get(id);
  if (found === undefined) items.set(id, { ...item, count: by });
  else found.count += by;
};

/**
 * Whether a bucket is past its counter's retention at `now` (ms): the table reads it as
 * absent and TTL deletes it, so neither side of a verify compares it.
 */
export const isPastRetention = (
  counter: Counter,
  window: CounterWindow,
  bucket: string,
  now: number,
): boolean => {
  const days = counter.windowRetention[window];
  return days !== undefined && bucketExpiry(window, bucket, days) * 1000 <= now;
};
