import { randomUUID } from 'node:crypto';

import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { EventDetail } from '@castore/core';
import { describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { checkpointPartitionKey } from '../../src/checkpoints/index.js';
import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { isCounterError } from '../../src/index.js';
import { eventRecord, shardDeliveries } from '../../src/testing/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { interceptSend } from '../support/interceptSend.js';
import { orderPlacedRecord } from '../support/records.js';

// Issue 32: the states around the shard watermark, each a way it counted twice or said
// exact when it was not, now each a test that failed on the earlier design.

const { client, createTestCountsTable, createTestCheckpointTable, createTestEventTable } =
  useDynamoDB();
const ordersStore = makeOrdersStore();

type Key = (e: { payload: { country?: string } }) => string;
const strict: Key = (e) => e.payload.country as string;
/** A later version of the module: it throws on orders to BE. */
const throwsOnBelgium: Key = (e) => {
  if (e.payload.country === 'BE') throw new Error('BE is not supported any more');
  return e.payload.country as string;
};

const projectionOf = (
  countsTableName: string,
  { key = strict, dynamoDBClient = client }: { key?: Key; dynamoDBClient?: typeof client } = {},
) =>
  new CounterProjection({
    dynamoDBClient,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters: [
      counter({
        name: 'marks',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key,
        idempotency: 'shardWatermark',
      }),
      counter({ name: 'refs', eventStore: ordersStore, eventTypes: ['ORDER_PLACED'], key }),
    ],
    retry: { maxAttempts: 2, baseDelayMs: 1 },
    logger: { error: () => undefined },
  });

const order = (index: number, country: string) =>
  orderPlacedRecord(index, { customerId: 'c', country, quantity: 1 });
const batch = [order(0, 'FR'), order(1, 'BE'), order(2, 'FR')];

/** Ages the shard's last claim, as if the delivery that made it had stopped that long ago. */
const ageClaim = async (checkpointTableName: string, shardId: string, ms: number) =>
  client.send(
    new UpdateItemCommand({
      TableName: checkpointTableName,
      Key: {
        pk: {
          S: checkpointPartitionKey(
            'tests',
            'arn:aws:dynamodb:local:000000000000:table/events/stream/tests',
          ),
        },
        sk: { S: shardId },
      },
      UpdateExpression: 'SET decidedAt = :at',
      ExpressionAttributeValues: { ':at': { S: new Date(Date.now() - ms).toISOString() } },
    }),
  );

describe('shard watermarks you can trust (DynamoDB Local)', () => {
  it('never set aside a record the counter already holds, whatever a later module does with it: a batch counted, then delivered again to a module that throws on one record, counts 3 where 3 were written', async () => {
    const countsTableName = await createTestCountsTable();
    const checkpointTableName = await createTestCheckpointTable();
    const shard = () => shardDeliveries({ dynamoDBClient: client, checkpointTableName });
    await shard().deliver(projectionOf(countsTableName), batch);
    // A new task (a deployment) from a checkpoint one batch behind, with the later module.
    const later = projectionOf(countsTableName, { key: throwsOnBelgium });
    const redelivered = await later.processRecords(batch, shard().contextFor(batch));
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(redelivered.fates.skipped.SetAside).toBe(0);
    expect(await later.countSetAside()).toEqual({ counted: 0, stillFailing: [] });
    const fixed = projectionOf(countsTableName);
    expect(await fixed.getCount('marks', 'FR')).toBe(2);
    expect(await fixed.getCount('marks', 'BE')).toBe(1);
    expect(await fixed.getCount('refs', 'BE')).toBe(1);
  });

  it('hold a record an earlier delivery decided to count and may have counted, that fails now (RecordInDoubt); once that delivery is taken as stopped, mark the counter not exact and set the record aside, never count it twice', async () => {
    const countsTableName = await createTestCountsTable();
    const checkpointTableName = await createTestCheckpointTable();
    const shard = () => shardDeliveries({ dynamoDBClient: client, checkpointTableName });
    // The first delivery claims and counts, and is killed before its checkpoint.
    const first = projectionOf(countsTableName);
    await first.processRecords(batch, shard().contextFor(batch));
    const later = projectionOf(countsTableName, { key: throwsOnBelgium });
    const held = await shard().deliver(later, batch);
    expect(held.batchItemFailures).toEqual([
      { itemIdentifier: batch[1]?.dynamodb?.SequenceNumber },
    ]);
    expect(isCounterError(held.error, 'RecordInDoubt')).toBe(true);
    expect(await later.getCount('marks', 'FR')).toBe(2);
    await ageClaim(checkpointTableName, 'shardId-00000001700000000000-00000001', 11 * 60_000);
    const settled = await shard().deliver(later, batch.slice(1));
    expect(settled.batchItemFailures).toEqual([]);
    await expect(later.getCount('marks', 'BE')).rejects.toSatisfy((error) =>
      isCounterError(error, 'CounterNotExact'),
    );
    // The refs counter counts it once, whenever it is counted again.
    expect(await first.countSetAside()).toEqual({ counted: 1, stillFailing: [] });
    expect(await first.getCount('refs', 'BE')).toBe(1);
    expect(await first.getCount('refs', 'FR')).toBe(2);
  });

  it('refuse, in the write that moves a mark, a live batch that read the rebuild marks before a rebuild began and commits after it: delivered again, it counts through refs, and every event counts once', async () => {
    const { countsTableName, checkpointTableName, events, push } = await rebuildSetUp();
    await push(3);
    const rebuilder = projectionOf(countsTableName);
    // The live batch reads the (absent) marks and claims; its first item write waits.
    const gate = waitingGate();
    const live = projectionOf(countsTableName, {
      dynamoDBClient: interceptSend(client, async (command, send) => {
        if (isMarkWrite(command)) await gate.passed;
        return send(command);
      }),
    });
    const runner = shardDeliveries({ dynamoDBClient: client, checkpointTableName });
    const delivery = runner.deliver(live, events());
    await gate.reached;
    await rebuilder.rebuild({ eventTableName: eventTableNameOf(countsTableName) });
    gate.open();
    const refused = await delivery;
    expect(refused.batchItemFailures).toHaveLength(1);
    expect(isCounterError(refused.error, 'WatermarkRefused')).toBe(true);
    await runner.deliver(live, events());
    expect(await rebuilder.getCount('marks', 'FR')).toBe(3);
    expect(await rebuilder.getCount('refs', 'FR')).toBe(3);
  });

  it('mark a counter not exact when its rebuild meets an item a live batch counted through marks without seeing the rebuild begin, and refuse the rebuild', async () => {
    const { countsTableName, checkpointTableName, events, push } = await rebuildSetUp();
    await push(3);
    // The rebuild marks the counter; its first count waits while a live batch that read no
    // mark commits through marks.
    const gate = waitingGate();
    const rebuilder = projectionOf(countsTableName, {
      dynamoDBClient: interceptSend(client, async (command, send) => {
        if (
          (command as { constructor: { name: string } }).constructor.name ===
          'TransactWriteItemsCommand'
        )
          await gate.passed;
        return send(command);
      }),
    });
    const marksRead = waitingGate();
    const live = projectionOf(countsTableName, {
      dynamoDBClient: interceptSend(client, async (command, send) => {
        if (isMarkWrite(command)) await marksRead.passed;
        return send(command);
      }),
    });
    const delivery = shardDeliveries({ dynamoDBClient: client, checkpointTableName }).deliver(
      live,
      events(),
    );
    await marksRead.reached;
    const rebuild = rebuilder.rebuild({ eventTableName: eventTableNameOf(countsTableName) });
    await gate.reached;
    marksRead.open();
    expect((await delivery).batchItemFailures).toEqual([]);
    gate.open();
    await expect(rebuild).rejects.toSatisfy((error) => isCounterError(error, 'WatermarkRefused'));
    await expect(rebuilder.getCount('marks', 'FR')).rejects.toSatisfy((error) =>
      isCounterError(error, 'CounterNotExact'),
    );
  });

  it('forget the marks of shards past the stream retention, keeping items small as shards roll over, and refuse (not exact) a record older than what they guarded', async () => {
    const countsTableName = await createTestCountsTable();
    const checkpointTableName = await createTestCheckpointTable();
    const projection = projectionOf(countsTableName);
    const at = (index: number, hoursAgo: number) =>
      eventRecord({
        eventStoreId: 'orders',
        event: {
          aggregateId: `o${index}`,
          version: 1,
          type: 'ORDER_PLACED',
          timestamp: new Date().toISOString(),
          payload: { customerId: 'c', country: 'FR', quantity: 1 },
        } as EventDetail,
        sequenceNumber: String(100_000_000_000_000_000_000n + BigInt(index)),
        createdAt: new Date(Math.floor(Date.now() / 1000 - hoursAgo * 3_600) * 1000),
      });
    const shard = (n: number, consumerName = 'tests') =>
      shardDeliveries({
        dynamoDBClient: client,
        checkpointTableName,
        shardId: `shardId-${n}`,
        consumerName,
      });
    // Nine shards, rolled over three days ago; then a fresh one.
    for (let n = 1; n <= 9; n++) await shard(n).deliver(projection, [at(n, 72)]);
    await shard(10).deliver(projection, [at(10, 0)]);
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: countsTableName,
        Key: { pk: { S: 'T#marks#FR' }, sk: { S: 'total' } },
      }),
    );
    expect(Object.keys(Item ?? {}).filter((name) => /^w[:!]/.test(name))).toEqual(['w:10']);
    expect(await projection.getCount('marks', 'FR')).toBe(10);
    // A record of a forgotten shard comes again, long after, past every claim (another
    // consumer's): refused, never counted twice.
    const late = await shard(3, 'another consumer').deliver(projection, [at(3, 72)]);
    expect(late.fates.skipped.NotExact).toBe(1);
    await expect(projection.getCount('marks', 'FR')).rejects.toSatisfy((error) =>
      isCounterError(error, 'CounterNotExact'),
    );
    expect(await projection.getCount('refs', 'FR')).toBe(10);
  });
});

const isMarkWrite = (command: unknown): boolean =>
  (command as { constructor: { name: string } }).constructor.name === 'UpdateItemCommand' &&
  (command as { input: { ExpressionAttributeNames?: Record<string, string> } }).input
    .ExpressionAttributeNames?.['#mark'] !== undefined;

/** A point that the code under test reaches and waits at until the test opens it. */
const waitingGate = () => {
  let reach: () => void = () => undefined;
  let open: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    reached,
    open,
    get passed() {
      reach();
      return opened;
    },
  };
};

const eventTables = new Map<string, string>();
const eventTableNameOf = (countsTableName: string) => eventTables.get(countsTableName) as string;

/** An event table with orders pushed by the adapter, and their stream records, as the rebuild sees them. */
const rebuildSetUp = async () => {
  const countsTableName = await createTestCountsTable();
  const checkpointTableName = await createTestCheckpointTable();
  const eventTableName = await createTestEventTable();
  eventTables.set(countsTableName, eventTableName);
  const adapter = new DynamoDBSingleTableEventStorageAdapter({
    tableName: eventTableName,
    dynamoDBClient: client,
  });
  const pushed: EventDetail[] = [];
  const push = async (count: number) => {
    for (let index = 0; index < count; index++) {
      const event = {
        aggregateId: `order-${randomUUID()}`,
        version: 1,
        type: 'ORDER_PLACED',
        timestamp: new Date().toISOString(),
        payload: { customerId: 'c', country: 'FR', quantity: 1 },
      } as EventDetail;
      await adapter.pushEvent(event, { eventStoreId: 'orders' });
      pushed.push(event);
    }
  };
  const events = () =>
    pushed.map((event, index) =>
      eventRecord({
        eventStoreId: 'orders',
        event,
        sequenceNumber: String(100_000_000_000_000_000_000n + BigInt(index)),
      }),
    );
  return { countsTableName, checkpointTableName, events, push };
};
