import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

import { dropTables } from '../src/dynamoDBLocal/dropTables.js';
import { itemSize } from '../src/shared/itemSize.js';
import { meteredClient } from './capacity.js';
import {
  type CountingDesign,
  freshCountsTable,
  ours,
  oursWithWatermark,
  plainAdd,
  transactionPerEvent,
} from './designs.js';
import { compare, type Comparison } from './harness.js';
import { makeStream } from './projectionSuite.js';

const EVENTS = 5_000;
const BATCHES = ' events, batches of ';

/** Whether a comparison is one of this suite's (their names say their batch size). */
export const isWatermarkComparison = ({ name }: Comparison): boolean => name.includes(BATCHES);
const DESIGNS = [oursWithWatermark, ours, transactionPerEvent, plainAdd];

/** What the counts table holds after a workload: every item's billed size, summed. */
const storedBytes = async (client: DynamoDBClient, tableName: string): Promise<number> => {
  let bytes = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) bytes += itemSize(item);
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return bytes;
};

const contender = (
  client: DynamoDBClient,
  design: (client: DynamoDBClient, tableName: string) => CountingDesign,
  { hotShare, batchSize }: { hotShare: number; batchSize: number },
) => ({
  name: design(client, 'unused').name,
  run: async () => {
    const stream = makeStream(EVENTS, hotShare);
    const metered = meteredClient(client);
    const tableName = await freshCountsTable(client);
    const counting = design(metered.client, tableName);
    let failed = 0;
    for (let start = 0; start < stream.length; start += batchSize)
      failed += (await counting.countBatch(stream.slice(start, start + batchSize))).failed;
    const wcu = metered.takeWcu();
    const perThousand = Math.round(((await storedBytes(client, tableName)) / EVENTS) * 1_000);
    await dropTables(client, [tableName]);
    return {
      operations: EVENTS,
      wcu,
      notes: `${perThousand} bytes stored per 1,000 events${failed > 0 ? `; ${failed} not counted` : ''}`,
    };
  },
});

/**
 * The shard watermark beside refs, a transaction per event and a plain ADD (issue 25): the
 * hot counter alone and the mixed workload, at batches of 100 and 1,000, with the WCU each
 * design is billed per event and the bytes it leaves in the counts table.
 */
export const runWatermarkSuite = async ({
  client,
  rounds,
  warmup,
}: {
  client: DynamoDBClient;
  rounds: number;
  warmup: number;
}): Promise<Comparison[]> => {
  const comparisons: Comparison[] = [];
  for (const batchSize of [100, 1_000])
    for (const [label, hotShare] of [
      ['hot counter only', 1],
      ['60% on one hot counter, the rest on 500 keys', 0.6],
    ] as const)
      comparisons.push(
        await compare({
          suite: 'projection',
          name: `${label}, ${EVENTS}${BATCHES}${batchSize}`,
          unit: 'events/s',
          baseline: 'plain ADD (not idempotent)',
          rounds,
          warmup,
          contenders: DESIGNS.map((design) => contender(client, design, { hotShare, batchSize })),
        }),
      );
  return comparisons;
};

export const WATERMARK_DESIGN = 'castore-dynamodb-counter (shard watermark)';
const REFS_DESIGN = 'castore-dynamodb-counter (coalesced)';

const hotAt = (comparisons: Comparison[], batchSize: number) =>
  comparisons.find((c) => c.name === `hot counter only, ${EVENTS}${BATCHES}${batchSize}`);
const wcuOf = (comparison: Comparison | undefined, design: string) =>
  comparison?.results.find((r) => r.name === design)?.wcuPerOperation ?? NaN;
const bytesOf = (comparison: Comparison | undefined, design: string) =>
  Number(
    /(\d+) bytes stored/.exec(
      comparison?.results.find((r) => r.name === design)?.notes ?? '',
    )?.[1] ?? NaN,
  );
const four = (value: number) => value.toFixed(4);

/** Issue 25's targets, as this run measured them. */
export const watermarkGoals = (comparisons: Comparison[]) => {
  const [at100, at1000] = [hotAt(comparisons, 100), hotAt(comparisons, 1_000)];
  if (at100 === undefined || at1000 === undefined) return [];
  const bytes = [bytesOf(at100, WATERMARK_DESIGN), bytesOf(at1000, WATERMARK_DESIGN)];
  return [
    {
      goal: 'Shard watermark: at most 0.05 WCU per event on the hot counter at batches of 100',
      measured: `${four(wcuOf(at100, WATERMARK_DESIGN))} WCU per event (refs: ${four(wcuOf(at100, REFS_DESIGN))}; plain ADD: ${four(wcuOf(at100, 'plain ADD (not idempotent)'))})`,
      met: wcuOf(at100, WATERMARK_DESIGN) <= 0.05,
    },
    {
      goal: 'Shard watermark: at most 0.01 WCU per event on the hot counter at batches of 1,000',
      measured: `${four(wcuOf(at1000, WATERMARK_DESIGN))} WCU per event (refs: ${four(wcuOf(at1000, REFS_DESIGN))})`,
      met: wcuOf(at1000, WATERMARK_DESIGN) <= 0.01,
    },
    {
      goal: 'Shard watermark: storage per counter key constant (no item per event)',
      measured: `${Math.round(((bytes[0] ?? NaN) * EVENTS) / 1_000)} bytes for the hot key after ${EVENTS.toLocaleString('en')} events at both batch sizes (refs: ${Math.round((bytesOf(at100, REFS_DESIGN) * EVENTS) / 1_000).toLocaleString('en')})`,
      met: bytes[0] === bytes[1] && (bytes[0] ?? Infinity) < 100,
    },
  ];
};

/** The README's line on the shard watermark. */
export const watermarkHeadline = (
  comparisons: Comparison[],
  measured?: { date: string; quick: boolean },
): string => {
  const [at100, at1000] = [hotAt(comparisons, 100), hotAt(comparisons, 1_000)];
  if (at100 === undefined || at1000 === undefined) return 'Shard watermark: not measured.';
  return `Shard watermark (\`idempotency: 'shardWatermark'\`): ${four(wcuOf(at100, WATERMARK_DESIGN))} WCU per event on a hot counter at batches of 100 and ${four(wcuOf(at1000, WATERMARK_DESIGN))} at 1,000 (refs: ${wcuOf(at100, REFS_DESIGN).toFixed(2)}; plain ADD: ${wcuOf(at100, 'plain ADD (not idempotent)').toFixed(2)}), with no item per event${measured === undefined ? '' : ` (measured on ${measured.date} alone: \`npm run bench -- --watermark-only${measured.quick ? ' --quick' : ''}\`)`}.`;
};
