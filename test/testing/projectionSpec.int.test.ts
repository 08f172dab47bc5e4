import { AssertionError } from 'node:assert';
import { createServer } from 'node:net';

import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { EventDetail } from '@castore/core';
import { describe, expect, it } from 'vitest';

import {
  counter,
  CounterProjection,
  createCountsTable,
} from '../../src/counterProjection/index.js';
import { isCounterError } from '../../src/index.js';
import {
  asShardRuns,
  eventRecords,
  given,
  inBatchesOf,
  shardDeliveries,
  startLocalDynamoDB,
} from '../../src/testing/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';

// The published test helpers (`castore-dynamodb-counter/testing`), used as a user would.
const ordersStore = makeOrdersStore();
const placed = (aggregateId: string, country: string) => ({
  eventStoreId: 'orders',
  event: {
    aggregateId,
    version: 1,
    type: 'ORDER_PLACED',
    timestamp: '2024-01-31T12:00:00.000Z',
    payload: { customerId: 'c1', country, quantity: 2 },
  } as EventDetail,
});
const { client, uniqueTableName, createTestCheckpointTable } = useDynamoDB();
const records = eventRecords([placed('o1', 'FR'), placed('o2', 'FR'), placed('o3', 'DE')]);

const projectionOn = async (
  dynamoDBClient: DynamoDBClient,
  idempotency: 'refs' | 'shardWatermark' = 'refs',
) => {
  const countsTableName = uniqueTableName('spec-counts');
  await createCountsTable({ dynamoDBClient, tableName: countsTableName });
  return new CounterProjection({
    dynamoDBClient,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters: [
      counter({
        name: 'ordersByCountry',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: (event) => event.payload.country,
        windows: ['day'],
        idempotency,
      }),
    ],
  });
};

describe('the projection spec: given(records).when(projection).thenCounts(counts)', () => {
  it('passes when the counts read back are the expected ones after every delivery, and reports each delivery', async () => {
    const projection = await projectionOn(client);
    const { stats } = await given(records)
      .when(projection, inBatchesOf(2), { times: 2 })
      .thenCounts({
        'ordersByCountry/FR': 2,
        'ordersByCountry/DE': 1,
        'ordersByCountry/FR/day/2024-01-31': 2,
      });
    expect(stats.map(({ counted, duplicates }) => ({ counted, duplicates }))).toEqual([
      { counted: 3, duplicates: 0 },
      { counted: 0, duplicates: 3 },
    ]);
    expect(records.map((r) => r.dynamodb?.SequenceNumber)).toEqual(
      [...records.map((r) => r.dynamodb?.SequenceNumber as string)].sort(),
    );
  });

  it('specifies shardWatermark counters delivered as a shard’s runs (asShardRuns); delivered alone, they are refused with the way to deliver them', async () => {
    const projection = await projectionOn(client, 'shardWatermark');
    const refused: unknown = await given(records)
      .when(projection)
      .thenCounts({})
      .catch((e: unknown) => e);
    expect(isCounterError(refused, 'WatermarkRefused') && refused.setting).toBe('NoShardId');
    expect((refused as Error).message).toMatch(/asShardRuns/);

    const shard = shardDeliveries({
      dynamoDBClient: client,
      checkpointTableName: await createTestCheckpointTable(),
    });
    const { stats } = await given(records)
      .when(projection, asShardRuns(shard, { size: 2 }), { times: 2 })
      .thenCounts({
        'ordersByCountry/FR': 2,
        'ordersByCountry/DE': 1,
        'ordersByCountry/FR/day/2024-01-31': 2,
      });
    // Delivered again after its checkpoint: nothing counted.
    expect(stats.map(({ records: all, counted }) => ({ all, counted: counted > 0 }))).toEqual([
      { all: 3, counted: true },
      { all: 3, counted: false },
    ]);
  });

  it('throws an AssertionError naming the delivery when a count differs', async () => {
    const projection = await projectionOn(client);
    const error: unknown = await given(records)
      .when(projection)
      .thenCounts({ 'ordersByCountry/FR': 3 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssertionError);
    expect((error as AssertionError).message).toMatch(/counts after delivery 1 of 1/);
    expect((error as AssertionError).actual).toEqual({ 'ordersByCountry/FR': 2 });
  });
});

describe('startLocalDynamoDB (its own server)', () => {
  it('starts a DynamoDB Local that any credentials and region share, and stops it', async () => {
    const local = await startLocalDynamoDB();
    try {
      const client = (region: string, accessKeyId: string) =>
        new DynamoDBClient({
          endpoint: local.endpoint,
          region,
          credentials: { accessKeyId, secretAccessKey: 'x' },
        });
      await createCountsTable({ dynamoDBClient: client('eu-west-1', 'a'), tableName: 'shared' });
      const projection = await projectionOn(client('us-east-1', 'b'));
      await given(records).when(projection).thenCounts({ 'ordersByCountry/DE': 1 });
      const { TableNames } = await client('ap-south-1', 'c').send(new ListTablesCommand({}));
      expect(TableNames).toContain('shared');
    } finally {
      await local.stop();
    }
    await expect(fetch(local.endpoint, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
  });

  it('refuses a port another server holds, naming its `port` option, not the CLI’s flags', async () => {
    const squatter = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as { port: number };
    try {
      const error = await startLocalDynamoDB({ port }).catch((e: unknown) => e);
      expect(isCounterError(error, 'DynamoDBLocalStart') && error.failure).toBe('PortTaken');
      expect((error as Error).message).toBe(
        `Port ${port} is already in use by another server: choose another port (the \`port\` option), or none to get a free one (to use a DynamoDB that is already running there, give your clients its endpoint http://127.0.0.1:${port} instead of starting one).`,
      );
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
