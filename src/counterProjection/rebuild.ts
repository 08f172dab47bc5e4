import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';

import type { StreamsApiRecord } from '../imageParser/index.js';
import { CounterError, type RetryOptions } from '../shared/index.js';
import type { Counter } from './counter.js';
import {
  addStats,
  noStats,
  type ProcessRecordsResult,
  type ProcessRecordsStats,
} from './processRecordsResult.js';
import { scanSegments } from './scanSegments.js';

export interface RebuildOptions {
  dynamoDBClient: DynamoDBClient;
  eventTableName: string;
  /** Parallel Scan segments. Default 4. */
  segments?: number;
  /** Items per Scan page, i.e. per processed batch. Default 500. */
  pageSize?: number;
  onProgress?: (stats: ProcessRecordsStats) => void;
}

/** What `CounterProjection.rebuild` takes: its client by default. */
export type RebuildInput<NAME extends string> = Omit<RebuildOptions, 'dynamoDBClient'> & {
  dynamoDBClient?: DynamoDBClient;
  /**
   * The counters to rebuild; all when absent. The others keep their counts: rebuild refs
   * counters into the live counts table beside a shardWatermark counter it counts already,
   * or one shardWatermark counter into a fresh one.
   */
  counterNames?: readonly NAME[];
};

/**
 * The counters a rebuild counts (or a verify recounts): those named, each once, or all when
 * none are named. A rebuild of some counters leaves the others' counts as they are, so that a
 * refs counter can be rebuilt beside a shardWatermark counter that the table counts already.
 */
export const countersNamed = <COUNTER extends Counter>(
  counters: readonly COUNTER[],
  counterNames: readonly string[] | undefined,
): COUNTER[] => {
  if (counterNames === undefined) return [...counters];
  const knownCounters = counters.map(({ name }) => name);
  if (counterNames.length === 0)
    throw new CounterError('InvalidOption', {
      option: 'counterNames',
      value: counterNames,
      expected: `at least one of ${knownCounters.join(', ')} (or no counterNames: all of them)`,
    });
  for (const counterName of counterNames)
    if (!knownCounters.includes(counterName))
      throw new CounterError('UnknownCounter', { counterName, knownCounters });
  return counters.filter(({ name }) => counterNames.includes(name));
};

/**
 * Counts every event of the event table by reading the table itself, as INSERT records.
 * Safe while the live projection runs: the refs make each event count once, whoever
 * counts it first. Throws the first record's error if one cannot be counted.
 */
export const rebuildCounts = async (
  options: RebuildOptions & { retry: RetryOptions },
  processRecords: (records: StreamsApiRecord[]) => Promise<ProcessRecordsResult>,
): Promise<ProcessRecordsStats> => {
  const totals = noStats();
  await scanSegments(
    { ...options, tableName: options.eventTableName },
    async (items, { segment, page }) => {
      const records = asInsertRecords(items, `rebuild-${segment}-${page}`);
      const { stats, error, batchItemFailures } = await processRecords(records);
      addStats(totals, stats);
      options.onProgress?.({ ...totals });
      if (batchItemFailures.length > 0) throw error;
    },
  );
  return totals;
};

/** Items of the event table as the INSERT records of their writes, numbered from `prefix`. */
export const asInsertRecords = (
  items: Record<string, AttributeValue>[],
  prefix: string,
): StreamsApiRecord[] =>
  items.map((item, index) => ({
    eventName: 'INSERT',
    dynamodb: { SequenceNumber: `${prefix}-${index}`, NewImage: item as never },
  }));
