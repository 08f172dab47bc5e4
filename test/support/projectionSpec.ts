import { expect } from 'vitest';

import type { CounterProjection, ProcessRecordsStats } from '../../src/counterProjection/index.js';
import { addStats, noStats } from '../../src/counterProjection/processRecords.js';
import type { StreamsApiRecord } from '../../src/imageParser/index.js';
import { toLambdaRecord } from './streams.js';

/*
 * Projections specified as Emmett does: given(stream records).when(a delivery)
 * .thenCounts({ 'counter/key': n }). The counts are read back from DynamoDB Local, as a
 * user would read them; nothing of the projection is mocked.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any projection, whatever its stores and counters
type AnyProjection = CounterProjection<any, any>;

/** How records reach the projection once; resolves to the stats of what it did. */
export type Delivery = (
  projection: AnyProjection,
  records: StreamsApiRecord[],
) => Promise<ProcessRecordsStats>;

/** All records as one Lambda event, through the handler; any batch item failure fails the spec. */
export const asOneLambdaBatch: Delivery = async (projection, records) => {
  const { batchItemFailures } = await projection.handler({ Records: records.map(toLambdaRecord) });
  if (batchItemFailures.length > 0)
    throw new Error(`the handler failed records ${JSON.stringify(batchItemFailures)}`);
  return { ...noStats(), records: records.length };
};

/** Streams API records in order, `size` at a time, through processRecords. */
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
 * `'counter/key'` for a total, `'counter/key/window/bucket'` for a window bucket (any
 * timestamp inside the bucket, or the bucket itself).
 */
export type ExpectedCounts = Record<string, number>;

const toTarget = (id: string) => {
  const [counterName, key, window, bucket] = id.split('/');
  if (counterName === undefined || key === undefined)
    throw new Error(`expected 'counter/key[/window/bucket]', got ${id}`);
  return {
    counterName,
    key,
    ...(window !== undefined && bucket !== undefined
      ? { window: window as 'minute' | 'hour' | 'day', bucket }
      : {}),
  };
};

export const given = (records: StreamsApiRecord[]) => ({
  when: (
    projection: AnyProjection,
    delivery: Delivery,
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
        const counts = await projection.getCounts(ids.map(toTarget));
        const actual = Object.fromEntries(ids.map((id, index) => [id, counts[index]]));
        expect(actual, `counts after delivery ${time} of ${times}`).toEqual(expected);
      }
      return { stats };
    },
  }),
});
