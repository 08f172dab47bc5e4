import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventDetail } from '@castore/core';

import { toEventItem } from '../src/adapter/eventItem.js';
import { dropTables } from '../src/dynamoDBLocal/dropTables.js';
import { withTransactionConflicts } from '../test/support/conflictingClient.js';
import { meteredClient } from './capacity.js';
import { DESIGNS, freshCountsTable, ours, oursWithParallelChunks } from './designs.js';
import { compare, type Comparison } from './harness.js';

export interface ProjectionFindings {
  comparisons: Comparison[];
  /** Per design: bytes of the hot counter's item after each workload size (60% hot). */
  hotItemBytes: Record<string, Record<number, number>>;
  /** Per workload size: how many of its events went to the hot counter. */
  hotEvents?: Record<number, number>;
  /** Per design: whether the counts stayed exact when batches were delivered again. */
  exactUnderRedelivery: Record<string, { exact: boolean; hotCount: number; expected: number }>;
  /** Per design and workload: records that could not be counted, and why. */
  failures: Record<string, Record<string, string>>;
  /** What reactions add to counting (bench/reactionsSuite.ts); absent from runs before them. */
  reactions?: Comparison;
}

const BATCH_SIZE = 500;

/** ORDER_PLACED events as the stream carries them: `hotShare` of them on one hot key, the rest over 500 cold keys. */
export const makeStream = (events: number, hotShare: number): StreamsApiRecord[] =>
  Array.from({ length: events }, (_, index) => {
    const country = (index * 7919) % 1000 < hotShare * 1000 ? 'hot' : `cold-${index % 500}`;
    const event = {
      aggregateId: `order-${index}`,
      version: 1,
      type: 'ORDER_PLACED',
      timestamp: '2024-01-01T00:00:00.000Z',
      payload: { customerId: 'c', country, quantity: 1 },
    } as EventDetail;
    // Distinct sequence numbers: in numbers, 1e20 + index is the same for every index below ~8,000.
    const sequenceNumber = String(100_000_000_000_000_000_000n + BigInt(index));
    return {
      eventName: 'INSERT',
      dynamodb: {
        // Stamped as a stream stamps every record: a shard watermark reads when its record
        // was made (it refuses a record without it).
        ApproximateCreationDateTime: new Date('2024-01-01T00:00:00Z'),
        SequenceNumber: sequenceNumber,
        NewImage: toEventItem(event, 'orders') as Record<string, AttributeValue>,
      },
    } as StreamsApiRecord;
  });

const isHot = (record: StreamsApiRecord) =>
  record.dynamodb?.NewImage?.payload?.M?.country?.S === 'hot';

const batches = (records: StreamsApiRecord[]) =>
  Array.from({ length: Math.ceil(records.length / BATCH_SIZE) }, (_, i) =>
    records.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE),
  );

export const runProjectionSuite = async ({
  client,
  sizes,
  rounds,
  warmup,
}: {
  client: DynamoDBClient;
  sizes: number[];
  rounds: number;
  warmup: number;
}): Promise<ProjectionFindings> => {
  const findings: ProjectionFindings = {
    comparisons: [],
    hotItemBytes: {},
    hotEvents: {},
    exactUnderRedelivery: {},
    failures: {},
  };
  // Only the mixed workloads record the hot item's size, by size: the hot-only workload
  // must not overwrite the mixed one of the same size.
  const workload = async (
    events: number,
    hotShare: number,
    label: string,
    measuredRounds: number,
    warmupRounds = warmup,
    deliveries = 1,
  ) => {
    const stream = makeStream(events, hotShare);
    const recordsItemSize = hotShare < 1;
    if (recordsItemSize) (findings.hotEvents ??= {})[events] = stream.filter(isHot).length;
    return compare({
      suite: 'projection',
      name: label,
      unit: 'events/s',
      baseline: 'one transaction per event',
      rounds: measuredRounds,
      warmup: warmupRounds,
      contenders: DESIGNS.map((design) => {
        const name = design(client, 'unused', client).name;
        return {
          name,
          run: async () => {
            const metered = meteredClient(client);
            const tableName = await freshCountsTable(client);
            const counting = design(metered.client, tableName, client);
            let failed = 0;
            for (const batch of batches(stream)) {
              // Redelivered: the same batch again, as Lambda does after a timeout or a crash.
              for (let delivery = 0; delivery < deliveries; delivery++) {
                const result = await counting.countBatch(batch);
                failed += result.failed;
                if (result.error !== undefined)
                  (findings.failures[name] ??= {})[label] = result.error;
              }
            }
            const wcu = metered.takeWcu();
            const { itemBytes } = await counting.read('hot');
            if (recordsItemSize) (findings.hotItemBytes[name] ??= {})[events] = itemBytes;
            await dropTables(client, [tableName, ...(counting.tables ?? [])]);
            return {
              operations: events,
              wcu,
              ...(failed > 0 ? { notes: `${failed} events not counted` } : {}),
            };
          },
        };
      }),
    });
  };

  for (const [index, events] of sizes.entries()) {
    // The largest size runs once, without warm-up: the list-in-item design takes minutes
    // there, and the earlier sizes warmed the server up.
    const largest = index === sizes.length - 1 && sizes.length > 1;
    findings.comparisons.push(
      await workload(
        events,
        0.6,
        `${events} events, 60% on one hot counter`,
        largest ? 1 : rounds,
        largest ? 0 : warmup,
      ),
    );
  }
  findings.comparisons.push(
    await workload(
      Math.min(5_000, sizes[sizes.length - 1] ?? 5_000),
      1,
      'hot counter only',
      rounds,
    ),
  );
  findings.comparisons.push(
    await workload(
      sizes[0] ?? 1_000,
      0.6,
      `${sizes[0] ?? 1_000} events, 60% hot, every batch delivered twice`,
      rounds,
      warmup,
      2,
    ),
  );
  findings.comparisons.push(await hotKeyChunks(client, rounds, warmup));
  findings.exactUnderRedelivery = await checkRedelivery(client);
  return findings;
};

/**
 * What serializing one hot key's chunks costs or saves, on a client that cancels
 * concurrent transactions on one item with TransactionConflict as AWS does (DynamoDB Local
 * never does): this library's order against the chunks sent in parallel, as before.
 */
const hotKeyChunks = async (
  client: DynamoDBClient,
  rounds: number,
  warmup: number,
): Promise<Comparison> => {
  const stream = makeStream(5_000, 1);
  const contender = (name: string, makeDesign: typeof ours) => ({
    name,
    run: async () => {
      const metered = meteredClient(withTransactionConflicts(client).client);
      const tableName = await freshCountsTable(client);
      const counting = makeDesign(metered.client, tableName);
      let failed = 0;
      for (const batch of batches(stream)) failed += (await counting.countBatch(batch)).failed;
      const wcu = metered.takeWcu();
      await dropTables(client, [tableName]);
      return {
        operations: stream.length,
        wcu,
        ...(failed > 0 ? { notes: `${failed} events failed (conflicts past the retries)` } : {}),
      };
    },
  });
  return compare({
    suite: 'projection',
    name: 'hot counter only, on a client that conflicts as AWS does',
    unit: 'events/s',
    baseline: 'hot chunks in parallel (before)',
    rounds,
    warmup,
    contenders: [
      contender('castore-dynamodb-counter (coalesced)', ours),
      contender('hot chunks in parallel (before)', oursWithParallelChunks),
    ],
  });
};

/** Every batch delivered, then three of them again (re-split): the hot count must not move. */
const checkRedelivery = async (client: DynamoDBClient) => {
  const stream = makeStream(2_000, 0.6);
  const expected = stream.filter(isHot).length;
  const results: ProjectionFindings['exactUnderRedelivery'] = {};
  for (const design of DESIGNS) {
    const tableName = await freshCountsTable(client);
    const counting = design(client, tableName, client);
    for (const batch of batches(stream)) await counting.countBatch(batch);
    for (const batch of [stream.slice(0, 300), stream.slice(250, 800), stream.slice(1_900)])
      await counting.countBatch(batch);
    const { count } = await counting.read('hot');
    results[counting.name] = { exact: count === expected, hotCount: count, expected };
    await dropTables(client, [tableName, ...(counting.tables ?? [])]);
  }
  return results;
};
