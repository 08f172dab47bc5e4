import { deepStrictEqual } from 'node:assert/strict';

import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

import {
  addStats,
  type CounterWindow,
  noStats,
  type ProcessRecordsResult,
  type ProcessRecordsStats,
} from '../counterProjection/index.js';
import type { StreamRecord, StreamsApiRecord } from '../imageParser/index.js';
import type { BatchContext } from '../streamBatch/index.js';
import { toLambdaRecord } from './eventRecord.js';
import type { ShardDeliveries } from './shardDeliveries.js';

/*
 * Projections specified as Emmett specifies them: given(stream records).when(projection,
 * delivery).thenCounts({ 'counter/key': n }). The counts are read back from the counts
 * table, as a user reads them; a mismatch throws node's AssertionError, which every test
 * runner shows as a diff.
 */

/**
 * What a spec needs of a projection: any `CounterProjection`, whatever its stores and
 * counters (methods, so that one typed for its own counters is accepted).
 */
export interface ProjectionUnderTest {
  handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse>;
  processRecords(
    records: readonly StreamRecord[],
    batch?: BatchContext,
  ): Promise<ProcessRecordsResult>;
  /** Typed by each projection for its own counters: the spec's targets are checked when read. */
  getCounts(targets: never[]): Promise<number[]>;
}

interface CountTarget {
  counterName: string;
  key: string;
  window?: CounterWindow;
  bucket?: string;
}

/** How records reach the projection once; resolves to the stats of what it did. */
export type Delivery = (
  projection: ProjectionUnderTest,
  records: StreamsApiRecord[],
) => Promise<ProcessRecordsStats>;

/** All records as one Lambda event, through `handler`; a batch item failure fails the spec. */
export const asOneLambdaBatch: Delivery = async (projection, records) => {
  const { batchItemFailures } = await projection.handler({ Records: records.map(toLambdaRecord) });
  if (batchItemFailures.length > 0)
    throw new Error(`the handler failed records ${JSON.stringify(batchItemFailures)}`);
  return { ...noStats(), records: records.length };
};

/** The records in order, `size` at a time, through `processRecords`. */
export const inBatchesOf =
  (size: number): Delivery =>
  async (projection, records) => {
    const totals = noStats();
    for (let start = 0; start < records.length; start += size) {
      const { batchItemFailures, stats } = await projection.processRecords(
        records.slice(start, start + size),
      );
      if (batchItemFailures.length > 0)
        throw new Error(`processRecords failed records ${JSON.stringify(batchItemFailures)}`);
      addStats(totals, stats);
    }
    return totals;
  };

/**
 * The records as the stream runner delivers one shard: contiguous runs of `size` (all at
 * once by default), each claimed and checkpointed by `shard` (a `shardDeliveries`), as
 * shardWatermark counters need; a failed record fails the spec. Delivered again
 * (`times`), the runs come to the same runner, after its checkpoint: nothing counts twice.
 */
export const asShardRuns =
  (shard: ShardDeliveries, { size = Number.MAX_SAFE_INTEGER }: { size?: number } = {}): Delivery =>
  async (projection, records) => {
    const totals = noStats();
    for (let start = 0; start < records.length; start += size) {
      const { batchItemFailures, stats } = await shard.deliver(
        projection,
        records.slice(start, start + size),
      );
      if (batchItemFailures.length > 0)
        throw new Error(`the shard's run failed records ${JSON.stringify(batchItemFailures)}`);
      addStats(totals, stats);
    }
    return totals;
  };

/**
 * `'counter/key'` for a total, `'counter/key/window/bucket'` for a window's bucket (any
 * time inside the bucket, or the bucket itself).
 */
export type ExpectedCounts = Record<string, number>;

const toTarget = (id: string): CountTarget => {
  const [counterName, key, window, bucket] = id.split('/');
  if (counterName === undefined || key === undefined)
    throw new Error(`expected 'counter/key[/window/bucket]', got ${id}`);
  return {
    counterName,
    key,
    ...(window !== undefined && bucket !== undefined
      ? { window: window as CounterWindow, bucket }
      : {}),
  };
};

export const given = (records: StreamsApiRecord[]) => ({
  when: (
    projection: ProjectionUnderTest,
    delivery: Delivery = asOneLambdaBatch,
    { times = 1 }: { times?: number } = {},
  ) => ({
    /**
     * Delivers `times` times and compares every expected count after each delivery (a
     * redelivery must change nothing); resolves to each delivery's stats.
     */
    thenCounts: async (expected: ExpectedCounts): Promise<{ stats: ProcessRecordsStats[] }> => {
      const ids = Object.keys(expected);
      const stats: ProcessRecordsStats[] = [];
      for (let time = 1; time <= times; time++) {
        stats.push(await delivery(projection, records));
        // An unknown counter or window in `expected` is refused by getCounts (UnknownCounter).
        const counts = await projection.getCounts(ids.map(toTarget) as never[]);
        const actual = Object.fromEntries(ids.map((id, index) => [id, counts[index]]));
        deepStrictEqual(actual, expected, `counts after delivery ${time} of ${times}`);
      }
      return { stats };
    },
  }),
});
