import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';

import { counter, CounterProjection, createCountsTable } from '../src/counterProjection/index.js';
import { commitTransaction } from '../src/counterProjection/writePath/commitTransaction.js';
import { packTransactions } from '../src/counterProjection/writePath/packTransactions.js';
import { planIncrements } from '../src/counterProjection/writePath/planIncrements.js';
import { makeOrdersStore } from '../src/example/eventStores.js';
import { ImageParser } from '../src/imageParser/index.js';
import { createCheckpointTable } from '../src/shared/index.js';
import { errorMessageOf } from '../src/shared/index.js';
import { itemSize } from '../src/shared/itemSize.js';
import { mapWithConcurrency } from '../src/shared/mapWithConcurrency.js';
import { DEFAULT_RETRY_OPTIONS } from '../src/shared/retry.js';
import { type ShardDeliveries, shardDeliveries } from '../src/testing/index.js';

/** A way of counting a batch of stream records into a counts table. */
export interface CountingDesign {
  name: string;
  /** Counts one batch; returns how many records failed (e.g. an item over 400 KB). */
  countBatch: (records: StreamsApiRecord[]) => Promise<{ failed: number; error?: string }>;
  /** The count of a key, and the size of the item holding it. */
  read: (key: string) => Promise<{ count: number; itemBytes: number }>;
  /** Tables it made besides the counts table, to drop with it. */
  tables?: string[];
}

/** Makes a design on `client` (metered) and a counts table; `unmetered` for what no design is billed for. */
export type MakeDesign = (
  client: DynamoDBClient,
  tableName: string,
  unmetered: DynamoDBClient,
) => CountingDesign;

const ordersStore = makeOrdersStore();
const keyOf = (record: StreamsApiRecord) =>
  (
    unmarshall(record.dynamodb?.NewImage as Record<string, AttributeValue>).payload as {
      country: string;
    }
  ).country;
const refOf = (record: StreamsApiRecord) => {
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue>;
  return `${image.aggregateId?.S}#${image.version?.N}`;
};

const readItem = async (
  client: DynamoDBClient,
  tableName: string,
  key: Record<string, AttributeValue>,
) => {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  return { count: Number(Item?.count?.N ?? 0), itemBytes: Item === undefined ? 0 : itemSize(Item) };
};

/** 1. This library: coalesced transactions, one ref item per event. */
/** The counter this library's designs count with: ORDER_PLACED by country. */
const placed = counter({
  name: 'placed',
  eventStore: ordersStore,
  eventTypes: ['ORDER_PLACED'],
  key: (event) => event.payload.country,
});

const readPlaced = (client: DynamoDBClient, tableName: string) => (key: string) =>
  readItem(client, tableName, { pk: { S: `T#placed#${key}` }, sk: { S: 'total' } });

export const ours = (client: DynamoDBClient, tableName: string): CountingDesign => {
  const projection = new CounterProjection({
    dynamoDBClient: client,
    countsTableName: tableName,
    sourceEventStores: [ordersStore],
    counters: [placed],
    logger: { error: () => undefined },
  });
  return {
    name: 'castore-dynamodb-counter (coalesced)',
    countBatch: async (records) => {
      const { stats, error } = await projection.processRecords(records);
      return {
        failed: stats.failed,
        ...(error !== undefined ? { error: errorMessageOf(error) } : {}),
      };
    },
    read: readPlaced(client, tableName),
  };
};

/**
 * 1b. This library with its transactions sent as before the fix of the hot-key conflicts:
 * all at once, a hot key's chunks in parallel. On AWS they cancel each other.
 */
export const oursWithParallelChunks = (
  client: DynamoDBClient,
  tableName: string,
): CountingDesign => {
  const imageParser = new ImageParser({ sourceEventStores: [ordersStore] });
  return {
    name: 'hot chunks in parallel (before)',
    countBatch: async (records) => {
      const increments = records.flatMap((record, position) => {
        const parsed = imageParser.parseRecord(record);
        return parsed.kind === 'event'
          ? planIncrements({ counters: [placed], message: parsed.message, position })
          : [];
      });
      let failed = 0;
      let lastError: string | undefined;
      await mapWithConcurrency(packTransactions(increments), 4, async (chunks) => {
        try {
          await commitTransaction({
            dynamoDBClient: client,
            tableName,
            chunks,
            retry: DEFAULT_RETRY_OPTIONS,
          });
        } catch (error) {
          failed += chunks.reduce((sum, chunk) => sum + chunk.increments.length, 0);
          lastError = String(error);
        }
      });
      return { failed, ...(lastError !== undefined ? { error: lastError } : {}) };
    },
    read: readPlaced(client, tableName),
  };
};

/** 2. One transaction per event: its ref item and the counter's ADD. */
export const transactionPerEvent = (client: DynamoDBClient, tableName: string): CountingDesign => ({
  name: 'one transaction per event',
  countBatch: async (records) => {
    await mapWithConcurrency(records, 16, async (record) => {
      const key = keyOf(record);
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { pk: { S: `R#${key}` }, sk: { S: refOf(record) } },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: { pk: { S: `C#${key}` }, sk: { S: 'total' } },
                  UpdateExpression: 'ADD #count :one',
                  ExpressionAttributeNames: { '#count': 'count' },
                  ExpressionAttributeValues: { ':one': { N: '1' } },
                },
              },
            ],
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'TransactionCanceledException') throw error; // the ref exists: a duplicate
      }
    });
    return { failed: 0 };
  },
  read: (key) => readItem(client, tableName, { pk: { S: `C#${key}` }, sk: { S: 'total' } }),
});

/** 3. The refs in a list inside the counter item, guarded by NOT contains. */
export const listInItem = (client: DynamoDBClient, tableName: string): CountingDesign => ({
  name: 'refs listed in the counter item',
  countBatch: async (records) => {
    let failed = 0;
    let lastError: string | undefined;
    await mapWithConcurrency(records, 16, async (record) => {
      const ref = refOf(record);
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: { S: `C#${keyOf(record)}` }, sk: { S: 'total' } },
            UpdateExpression:
              'ADD #count :one SET #refs = list_append(if_not_exists(#refs, :empty), :refList)',
            ConditionExpression: 'attribute_not_exists(#refs) OR NOT contains(#refs, :ref)',
            ExpressionAttributeNames: { '#count': 'count', '#refs': 'refs' },
            ExpressionAttributeValues: {
              ':one': { N: '1' },
              ':empty': { L: [] },
              ':refList': { L: [{ S: ref }] },
              ':ref': { S: ref },
            },
          }),
        );
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return; // a duplicate
        failed += 1;
        lastError = `${(error as Error).name}: ${(error as Error).message}`;
      }
    });
    return { failed, ...(lastError !== undefined ? { error: lastError } : {}) };
  },
  read: (key) => readItem(client, tableName, { pk: { S: `C#${key}` }, sk: { S: 'total' } }),
});

/** 4. A plain ADD: the floor, with no idempotency at all. */
export const plainAdd = (client: DynamoDBClient, tableName: string): CountingDesign => ({
  name: 'plain ADD (not idempotent)',
  countBatch: async (records) => {
    await mapWithConcurrency(records, 16, async (record) => {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: `C#${keyOf(record)}` }, sk: { S: 'total' } },
          UpdateExpression: 'ADD #count :one',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      );
    });
    return { failed: 0 };
  },
  read: (key) => readItem(client, tableName, { pk: { S: `C#${key}` }, sk: { S: 'total' } }),
});

/**
 * 1c. This library with a shard watermark (issue 25): one conditional write per batch and
 * counter key. Delivered as one shard's runner delivers, with its claim (a watermark counter
 * refuses a batch without one), its checkpoints in a table of their own, written through
 * `checkpointClient` (unmetered, as the watermark suite does: every consumer checkpoints).
 */
export const oursWithWatermark = (
  client: DynamoDBClient,
  tableName: string,
  checkpointClient: DynamoDBClient = client,
): CountingDesign => {
  const projection = new CounterProjection({
    dynamoDBClient: client,
    countsTableName: tableName,
    sourceEventStores: [ordersStore],
    counters: [{ ...placed, idempotency: 'shardWatermark' }],
    logger: { error: () => undefined },
  });
  const checkpointTableName = `${tableName}-checkpoints`;
  let shard: ShardDeliveries | undefined;
  const theShard = async (): Promise<ShardDeliveries> => {
    if (shard !== undefined) return shard;
    await createCheckpointTable({
      dynamoDBClient: checkpointClient,
      tableName: checkpointTableName,
    });
    shard = shardDeliveries({
      dynamoDBClient: checkpointClient,
      checkpointTableName,
      shardId: 'shardId-00000001700000000000-bench',
    });
    return shard;
  };
  return {
    name: 'castore-dynamodb-counter (shard watermark)',
    tables: [checkpointTableName],
    countBatch: async (records) => {
      const { stats, error } = await (await theShard()).deliver(projection, records);
      return {
        failed: stats.failed,
        ...(error !== undefined ? { error: errorMessageOf(error) } : {}),
      };
    },
    read: readPlaced(client, tableName),
  };
};

export const DESIGNS: MakeDesign[] = [
  ours,
  oursWithWatermark,
  transactionPerEvent,
  listInItem,
  plainAdd,
];

let tables = 0;
/** A new, empty counts table (drop it with dropTables once read). */
export const freshCountsTable = async (
  client: DynamoDBClient,
  { stream = false }: { stream?: boolean } = {},
): Promise<string> => {
  const tableName = `bench-counts-${Date.now()}-${++tables}`;
  await createCountsTable({ dynamoDBClient: client, tableName, stream });
  return tableName;
};
