import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';

import { counter, CounterProjection } from '../src/counterProjection/index.js';
import { makeOrdersStore } from '../src/example/eventStores.js';
import { mapWithConcurrency } from '../src/shared/mapWithConcurrency.js';
import { shardDeliveries } from '../src/testing/index.js';

/**
 * The three ways the watermark suite counts a workload, each with or without a day window:
 * the shard watermark (delivered as the stream runner delivers, each batch claimed), refs,
 * and a plain ADD of the same items (the floor: no idempotency at all).
 */
export interface WatermarkContender {
  name: string;
  make: (tables: DesignTables) => {
    /**
     * Counts a batch. Delivered twice, a batch comes first to a task killed before its
     * checkpoint (`redelivered: 'first'`), then to a new task (`'second'`), as a deployment of
     * the CDK service does by design.
     */
    deliver: (batch: StreamsApiRecord[], redelivered?: 'first' | 'second') => Promise<number>;
  };
}

export interface DesignTables {
  /** The metered client: what the counting writes is billed. */
  client: DynamoDBClient;
  /** The runner's own client, unmetered: its checkpoint write per batch is the runner's, whatever the counter. */
  checkpointClient: DynamoDBClient;
  countsTableName: string;
  checkpointTableName: string;
  day: boolean;
}

export const WATERMARK = 'castore-dynamodb-counter (shard watermark)';
export const REFS = 'castore-dynamodb-counter (refs)';
export const PLAIN_ADD = 'plain ADD (not idempotent)';

const ordersStore = makeOrdersStore();
const keyOf = (record: StreamsApiRecord) => record.dynamodb?.NewImage?.payload?.M?.country?.S ?? '';

const projectionOf = (
  { client, countsTableName, day }: DesignTables,
  idempotency: 'refs' | 'shardWatermark',
) =>
  new CounterProjection({
    dynamoDBClient: client,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters: [
      counter({
        name: 'placed',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: (event) => event.payload.country,
        windows: day ? ['day'] : [],
        idempotency,
      }),
    ],
    logger: { error: () => undefined },
  });

const failuresOf = ({ stats }: { stats: { failed: number } }) => stats.failed;

export const watermarkDesign: WatermarkContender = {
  name: WATERMARK,
  make: (tables) => {
    // Each task has its projection and its view of the shard (what it handled last).
    const task = () => ({
      projection: projectionOf(tables, 'shardWatermark'),
      shard: shardDeliveries({
        dynamoDBClient: tables.checkpointClient,
        checkpointTableName: tables.checkpointTableName,
      }),
    });
    const [killed, live] = [task(), task()];
    return {
      deliver: async (batch, redelivered) => {
        const { projection, shard } = redelivered === 'first' ? killed : live;
        const checkpoint = redelivered !== 'first';
        return failuresOf(await shard.deliver(projection, batch, { checkpoint }));
      },
    };
  },
};

export const refsDesign: WatermarkContender = {
  name: REFS,
  make: (tables) => {
    const [killed, live] = [projectionOf(tables, 'refs'), projectionOf(tables, 'refs')];
    return {
      deliver: async (batch, redelivered) =>
        failuresOf(await (redelivered === 'first' ? killed : live).processRecords(batch)),
    };
  },
};

/** A plain ADD per event on the total, and on the day's bucket when the counter has one. */
export const plainAddDesign: WatermarkContender = {
  name: PLAIN_ADD,
  make: ({ client, countsTableName, day }) => {
    const add = (key: string, sk: string) =>
      client.send(
        new UpdateItemCommand({
          TableName: countsTableName,
          Key: { pk: { S: `C#${key}` }, sk: { S: sk } },
          UpdateExpression: 'ADD #count :one',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      );
    return {
      deliver: async (batch) => {
        await mapWithConcurrency(batch, 16, async (record) => {
          await add(keyOf(record), 'total');
          if (day) await add(keyOf(record), 'day#2024-01-01'); // every event of the bench is of that day
        });
        return 0;
      },
    };
  },
};

export const WATERMARK_CONTENDERS = [watermarkDesign, refsDesign, plainAddDesign];
