import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

import type { StreamsApiRecord } from '../imageParser/index.js';
import { CounterError, integerOption, mapWithConcurrency } from '../shared/index.js';
import type { Counter } from './counter.js';
import {
  addStats,
  noStats,
  type ProcessRecordsResult,
  type ProcessRecordsStats,
} from './processRecordsResult.js';

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
 * The counters a rebuild counts: those named, each once, or all when none are named. A
 * rebuild of some counters leaves the others' counts as they are, so that a refs counter can
 * be rebuilt beside a shardWatermark counter that the table counts already.
 */
export const countersToRebuild = <COUNTER extends Counter>(
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
  options: RebuildOptions,
  processRecords: (records: StreamsApiRecord[]) => Promise<ProcessRecordsResult>,
): Promise<ProcessRecordsStats> => {
  const totals = noStats();
  // DynamoDB allows 1,000,000 segments; 0, NaN or 0.5 would scan nothing and report success.
  const segments = integerOption('segments', options.segments, {
    min: 1,
    max: 1_000_000,
    defaultValue: 4,
  });
  const pageSize = integerOption('pageSize', options.pageSize, { min: 1, defaultValue: 500 });
  await mapWithConcurrency(
    Array.from({ length: segments }, (_, segment) => segment),
    segments,
    async (segment) => {
      let startKey: Record<string, AttributeValue> | undefined;
      let page = 0;
      do {
        const result = await options.dynamoDBClient.send(
          new ScanCommand({
            TableName: options.eventTableName,
            Segment: segment,
            TotalSegments: segments,
            Limit: pageSize,
            ExclusiveStartKey: startKey,
            ConsistentRead: true,
          }),
        );
        const records = (result.Items ?? []).map((item, index) =>
          asInsertRecord(item, `rebuild-${segment}-${page}-${index}`),
        );
        const { stats, error, batchItemFailures } = await processRecords(records);
        addStats(totals, stats);
        options.onProgress?.({ ...totals });
        if (batchItemFailures.length > 0) throw error;
        startKey = result.LastEvaluatedKey;
        page += 1;
      } while (startKey !== undefined);
    },
  );
  return totals;
};

const asInsertRecord = (
  item: Record<string, AttributeValue>,
  sequenceNumber: string,
): StreamsApiRecord => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: sequenceNumber, NewImage: item as never },
});
