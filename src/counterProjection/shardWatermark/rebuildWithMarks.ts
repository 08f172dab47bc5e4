import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import type { StreamsApiRecord } from '../../imageParser/index.js';
import { isCounterError, type RetryOptions } from '../../shared/index.js';
import type { Counter } from '../counter.js';
import type { ProcessRecordsResult, ProcessRecordsStats } from '../processRecordsResult.js';
import { rebuildCounts, type RebuildOptions } from '../rebuild.js';
import { markNotExact } from './notExactMarks.js';
import { beginWatermarkRebuild, endWatermarkRebuild, REBUILD_MARGIN_MS } from './rebuildMarks.js';

/**
 * A rebuild: refs counters are counted beside the live projection (their refs make each
 * event count once); shardWatermark counters are marked first (refused where the table
 * counted them already) and their mark says, once the scan is done, from when on the live
 * stream's records are the marks'. A rebuild that meets an item counted through marks
 * without its mark (a live batch that began before it) marks the counter not exact.
 */
export const rebuildWithMarks = async (
  context: {
    dynamoDBClient: DynamoDBClient;
    tableName: string;
    retry: RetryOptions;
    counters: readonly Counter[];
  },
  options: RebuildOptions,
  countThroughRefs: (records: StreamsApiRecord[]) => Promise<ProcessRecordsResult>,
): Promise<ProcessRecordsStats> => {
  await beginWatermarkRebuild(context, context.counters);
  try {
    const stats = await rebuildCounts({ ...options, retry: context.retry }, countThroughRefs);
    await endWatermarkRebuild(context, context.counters, Date.now() + REBUILD_MARGIN_MS);
    return stats;
  } catch (error) {
    if (isCounterError(error, 'WatermarkRefused') && error.setting === 'Rebuild')
      await markNotExact(
        context,
        context.counters.filter(({ name }) => name === error.counterName),
        `its rebuild met counts of it made through shard marks without the rebuild's mark (${error.detail})`,
      );
    throw error;
  }
};
