import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';

import { counter, CounterProjection } from '../src/counterProjection/index.js';
import { dropTables } from '../src/dynamoDBLocal/dropTables.js';
import { makeOrdersStore } from '../src/example/eventStores.js';
import { createCheckpointTable } from '../src/shared/index.js';
import { itemSize } from '../src/shared/itemSize.js';
import { shardDeliveries } from '../src/testing/index.js';
import { meteredClient } from './capacity.js';
import { freshCountsTable } from './designs.js';
import { compare, type Comparison, type Contender } from './harness.js';
import { makeStream } from './projectionSuite.js';
import { WATERMARK_CONTENDERS, type WatermarkContender } from './watermarkDesigns.js';

const EVENTS = 5_000;
const BATCHES = ' events, batches of ';
const TWICE = 'every batch delivered twice';

export const WORKLOADS = [
  { label: 'hot counter only', hotShare: 1 },
  { label: '60% on one hot counter, the rest on 500 keys', hotShare: 0.6 },
  { label: 'cold keys only (500 keys)', hotShare: 0 },
] as const;

/** Whether a comparison is one of this suite's (their names say their batch size). */
export const isWatermarkComparison = ({ name }: Comparison): boolean => name.includes(BATCHES);

export const watermarkComparisonName = ({
  label,
  day,
  twice = false,
  batchSize,
}: {
  label: string;
  day: boolean;
  twice?: boolean;
  batchSize: number;
}): string =>
  `${label}${day ? ', day window' : ''}${twice ? `, ${TWICE}` : ''}, ${EVENTS}${BATCHES}${batchSize}`;

/** The bench's stream as a table's stream stamps it: every record made at `createdAt`. */
const stamped = (records: StreamsApiRecord[], createdAt: Date): StreamsApiRecord[] =>
  records.map((record) => ({
    ...record,
    dynamodb: { ...record.dynamodb, ApproximateCreationDateTime: createdAt },
  }));

/** What the counts table holds: every item's billed size, and the counts of the totals. */
const scanCounts = async (client: DynamoDBClient, tableName: string) => {
  let bytes = 0;
  let counted = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) {
      bytes += itemSize(item);
      if (item.sk?.S === 'total') counted += Number(item.count?.N ?? 0);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return { bytes, counted };
};

let checkpointTables = 0;

const contender = (
  client: DynamoDBClient,
  design: WatermarkContender,
  {
    hotShare,
    batchSize,
    day,
    twice,
  }: { hotShare: number; batchSize: number; day: boolean; twice: boolean },
): Contender => {
  const stream = stamped(makeStream(EVENTS, hotShare), new Date('2024-01-01T00:00:00Z'));
  let tables: { countsTableName: string; checkpointTableName: string } | undefined;
  return {
    name: design.name,
    // Tables are made before the clock starts: a round times the counting alone.
    prepare: async () => {
      const checkpointTableName = `bench-checkpoints-${Date.now()}-${++checkpointTables}`;
      await createCheckpointTable({ dynamoDBClient: client, tableName: checkpointTableName });
      tables = { countsTableName: await freshCountsTable(client), checkpointTableName };
    },
    run: async () => {
      const { countsTableName, checkpointTableName } = tables as NonNullable<typeof tables>;
      const metered = meteredClient(client);
      const counting = design.make({
        client: metered.client,
        checkpointClient: client,
        countsTableName,
        checkpointTableName,
        day,
      });
      let failed = 0;
      for (let start = 0; start < stream.length; start += batchSize) {
        const batch = stream.slice(start, start + batchSize);
        if (twice) failed += await counting.deliver(batch, 'first');
        failed += await counting.deliver(batch, twice ? 'second' : undefined);
      }
      const wcu = metered.takeWcu();
      const { bytes, counted } = await scanCounts(client, countsTableName);
      await dropTables(client, [countsTableName, checkpointTableName]);
      const exact = counted === EVENTS ? 'exact' : `**counted ${counted} of ${EVENTS}**`;
      return {
        operations: EVENTS,
        wcu,
        notes: `${exact}; ${Math.round((bytes / EVENTS) * 1_000)} bytes stored per 1,000 events${failed > 0 ? `; ${failed} not counted` : ''}`,
      };
    },
  };
};

/**
 * The shard watermark beside refs and a plain ADD of the same items (issue 33): the hot
 * counter alone, the mixed workload and cold keys alone, each without and with a day window,
 * at batches of 100 and 1,000, then each delivered twice; the WCU each is billed per event
 * (refused conditional writes included, as AWS bills them), whether the count is exact, and
 * the bytes it leaves in the counts table.
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
  const shapes = [
    ...[100, 1_000].flatMap((batchSize) =>
      WORKLOADS.flatMap(({ label, hotShare }) =>
        [false, true].map((day) => ({ label, hotShare, batchSize, day, twice: false })),
      ),
    ),
    ...WORKLOADS.map(({ label, hotShare }) => ({
      label,
      hotShare,
      batchSize: 100,
      day: false,
      twice: true,
    })),
  ];
  const comparisons: Comparison[] = [];
  for (const shape of shapes)
    comparisons.push(
      await compare({
        suite: 'watermark',
        name: watermarkComparisonName(shape),
        unit: 'events/s',
        baseline: 'plain ADD (not idempotent)',
        rounds,
        warmup,
        contenders: WATERMARK_CONTENDERS.map((design) => contender(client, design, shape)),
      }),
    );
  return comparisons;
};

/** The hot key's total item, in bytes, as shards roll over: one point per `every` shards. */
export interface StoragePoint {
  shards: number;
  hotItemBytes: number;
}

const SHARD_HOURS = 6;

/**
 * Storage per key as shards roll over: one hot key with a day window counted from 40
 * shards in turn, a shard every 6 hours (AWS rolls a shard over about every 4), 500 records
 * each in batches of 100. Each shard leaves a mark in the key's items; marks of shards past
 * the 28-hour horizon are forgotten, so the item stays bounded.
 */
export const runWatermarkStorage = async (client: DynamoDBClient): Promise<StoragePoint[]> => {
  const ordersStore = makeOrdersStore();
  const countsTableName = await freshCountsTable(client);
  const checkpointTableName = `bench-checkpoints-${Date.now()}-${++checkpointTables}`;
  await createCheckpointTable({ dynamoDBClient: client, tableName: checkpointTableName });
  const projection = new CounterProjection({
    dynamoDBClient: client,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters: [
      counter({
        name: 'placed',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: (event) => event.payload.country,
        windows: ['day'],
        idempotency: 'shardWatermark',
      }),
    ],
    logger: { error: () => undefined },
  });
  const points: StoragePoint[] = [];
  const start = Date.UTC(2024, 0, 1);
  for (let index = 0; index < 40; index += 1) {
    const shard = shardDeliveries({
      dynamoDBClient: client,
      checkpointTableName,
      shardId: `shardId-00000001700000000000-${String(index).padStart(8, '0')}`,
    });
    const records = stamped(makeStream(500, 1), new Date(start + index * SHARD_HOURS * 3_600_000));
    for (let first = 0; first < records.length; first += 100)
      await shard.deliver(projection, records.slice(first, first + 100));
    if ((index + 1) % 5 === 0) {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: countsTableName,
          Key: { pk: { S: 'T#placed#hot' }, sk: { S: 'total' } },
          ConsistentRead: true,
        }),
      );
      points.push({ shards: index + 1, hotItemBytes: Item === undefined ? NaN : itemSize(Item) });
    }
  }
  await dropTables(client, [countsTableName, checkpointTableName]);
  return points;
};
