import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { CounterError, type RetryOptions } from '../../shared/index.js';
import type { Counter } from '../counter.js';
import { type CountsImage, decodeString, totalItem, windowItem } from '../countsItems/index.js';
import { scanSegments } from '../scanSegments.js';
import {
  addTo,
  type CountedItem,
  countedItemId,
  type CountedItems,
  isPastRetention,
} from './countedItems.js';

/** Refuses an item the projection did not write as it does, as reads do. */
const failOn =
  (item: CountsImage) =>
  (reason: string): never => {
    throw new CounterError('InvalidCountsRecord', { value: item, reason });
  };

/**
 * The totals and window buckets of the counters, read by a parallel Scan of the counts table
 * (filtered to totals and buckets; a Scan reads, and is charged for, every item: refs too).
 */
export const readTableCounts = async (
  context: {
    dynamoDBClient: DynamoDBClient;
    tableName: string;
    retry: RetryOptions;
    segments?: number | undefined;
    now: number;
    /** Where the ids of buckets past their retention are added (those of the events too). */
    expired: Set<string>;
  },
  counters: readonly Counter[],
  onItems: (items: number) => void,
): Promise<CountedItems> => {
  const byName = new Map(counters.map((counter) => [counter.name, counter]));
  const table: CountedItems = new Map();
  await scanSegments({ ...context, partitionPrefixes: ['T#', 'W#'] }, (items) => {
    for (const item of items) {
      const counted = decodeCounted(item, context.now, byName);
      if (counted?.expired === true) context.expired.add(countedItemId(counted));
      else if (counted !== undefined) addTo(table, counted, counted.count);
    }
    onItems(items.length);
  });
  return table;
};

/** A total or bucket of a counter verified (`expired` past retention); undefined for another counter's. */
const decodeCounted = (
  item: CountsImage,
  now: number,
  byName: Map<string, Counter>,
): (CountedItem & { expired?: boolean }) | undefined => {
  const fail = failOn(item);
  const pk = decodeString(item, 'pk') ?? fail('no partition key');
  const isTotal: boolean = totalItem.isKey(pk, decodeString(item, 'sk'));
  if (isTotal) {
    const { counterName, key, count } = totalItem.decode(item, pk, fail);
    return byName.has(counterName) ? { counterName, key, count } : undefined;
  }
  if (!pk.startsWith('W#')) return undefined;
  const bucketItem = windowItem.decodeOwned(item, pk, fail);
  const counter = byName.get(bucketItem.counterName);
  if (counter === undefined) return undefined;
  const expired =
    windowItem.isExpired(item, new Date(now), fail) ||
    isPastRetention(counter, bucketItem.window, bucketItem.bucket, now);
  return { ...bucketItem, expired };
};
