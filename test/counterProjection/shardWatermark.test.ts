import { GetItemCommand, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';

import {
  counter,
  CounterProjection,
  createCountsTable,
} from '../../src/counterProjection/index.js';
import { type CounterErrorCode, isCounterError } from '../../src/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { interceptSend } from '../support/interceptSend.js';
import { orderPlacedRecord } from '../support/records.js';
import { toLambdaRecord } from '../support/streams.js';

const { client, uniqueTableName } = useDynamoDB();
const ordersStore = makeOrdersStore();

const setUp = async ({
  countsTableName = uniqueTableName('counts'),
  missingCountry,
}: { countsTableName?: string; missingCountry?: string } = {}) => {
  if (missingCountry === undefined)
    await createCountsTable({ dynamoDBClient: client, tableName: countsTableName });
  // Without missingCountry, an order without a country fails its record (key undefined).
  const country = (e: { payload: { country?: string } }) =>
    (e.payload.country ?? missingCountry) as string;
  const projection = new CounterProjection({
    dynamoDBClient: client,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters: [
      counter({
        name: 'hot',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: country,
        windows: ['day'],
        idempotency: 'shardWatermark',
      }),
      counter({
        name: 'byRef',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: country,
      }),
    ],
    retry: { maxAttempts: 3, baseDelayMs: 1 },
    logger: { error: () => undefined },
  });
  return { projection, countsTableName };
};

const records = (from: number, to: number, country = 'FR') =>
  Array.from({ length: to - from }, (_, i) =>
    orderPlacedRecord(from + i, { customerId: 'c', country, quantity: 1 }),
  );
const hasErrorCode = (error: unknown, code: CounterErrorCode) => isCounterError(error, code);
const stream = { shardId: 'shardId-0001', delivery: 'stream' } as const;

describe('shardWatermark counters (DynamoDB Local)', () => {
  it('count a batch once per counter key, however often and in whatever overlapping runs the shard redelivers it, with no ref item', async () => {
    const { projection, countsTableName } = await setUp();
    await projection.processRecords(records(0, 10), stream);
    // Redeliveries with other boundaries: a lost answer, a partial failure's retry.
    await projection.processRecords(records(0, 10), stream);
    await projection.processRecords(records(5, 15), stream);
    await projection.processRecords([...records(15, 18), ...records(18, 20, 'DE')], stream);
    expect(await projection.getCount('hot', 'FR')).toBe(18);
    expect(await projection.getCount('hot', 'DE')).toBe(2);
    expect(await projection.getCount('byRef', 'FR')).toBe(18);
    expect(
      await projection.getCount('hot', 'FR', { window: 'day', bucket: '2024-01-01T12:00:00Z' }),
    ).toBe(18);
    const items = await client.send(
      new QueryCommand({
        TableName: countsTableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'M#hot#FR' } },
      }),
    );
    expect(items.Items?.map((item) => item.sk?.S)).toEqual(['shardId-0001']);
    // Kept 7 days after its last write (the stream keeps records 24 hours), then TTL's.
    const expiresAt = Number(items.Items?.[0]?.expiresAt?.N) * 1000;
    expect(Math.abs(expiresAt - (Date.now() + 7 * 86_400_000))).toBeLessThan(600_000);
    const refs = await client.send(
      new QueryCommand({
        TableName: countsTableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'R#hot#0#FR' } },
      }),
    );
    expect(refs.Items).toEqual([]);
  });

  it('keep shards apart: the same sequence numbers on another shard are other records', async () => {
    const { projection } = await setUp();
    await projection.processRecords(records(0, 5), stream);
    await projection.processRecords(records(0, 5), { shardId: 'shardId-0002', delivery: 'stream' });
    expect(await projection.getCount('hot', 'FR')).toBe(10);
  });

  it('refuse a batch without its shard, a rebuild beside its live counts and a direct increment, with WatermarkRefused, counting nothing', async () => {
    const { projection } = await setUp();
    await expect(projection.processRecords(records(0, 2))).rejects.toSatisfy((error) =>
      hasErrorCode(error, 'WatermarkRefused'),
    );
    // Lambda's plain event has no shard: its handler refuses the batch as a whole.
    await expect(
      projection.handler({ Records: records(0, 2).map(toLambdaRecord) }),
    ).rejects.toSatisfy(
      (error) => isCounterError(error, 'WatermarkRefused') && error.setting === 'NoShardId',
    );
    await projection.processRecords(records(2, 3), stream);
    await expect(projection.rebuild({ eventTableName: 'events' })).rejects.toSatisfy((error) =>
      hasErrorCode(error, 'WatermarkRefused'),
    );
    await expect(
      projection.increment({ counterName: 'hot', key: 'FR', targetRef: 'x' }),
    ).rejects.toSatisfy((error) => hasErrorCode(error, 'WatermarkRefused'));
    expect(await projection.getCount('byRef', 'FR')).toBe(1);
  });

  it('refuse a record whose sequence number is out of shape or out of order, counting the records before it', async () => {
    const { projection } = await setUp();
    const [first, second] = records(0, 2);
    const bad = { ...second, dynamodb: { ...second?.dynamodb, SequenceNumber: '12' } };
    const result = await projection.processRecords([first!, bad], stream);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '12' }]);
    expect(hasErrorCode(result.error, 'WatermarkRefused')).toBe(true);
    const reversed = await projection.processRecords([second!, first!], stream);
    expect(reversed.batchItemFailures).toHaveLength(1);
    expect(await projection.getCount('hot', 'FR')).toBe(2);
  });

  it('mark the counter not exact when a dead letter of its shard is replayed, and refuse every read of it after; refs counters count the replay', async () => {
    const { projection, countsTableName } = await setUp();
    await projection.processRecords(records(5, 10), stream);
    await projection.processRecords(records(0, 5), { ...stream, delivery: 'replay' });
    expect(await projection.getCount('byRef', 'FR')).toBe(10);
    await expect(projection.getCount('hot', 'FR')).rejects.toSatisfy((error) =>
      hasErrorCode(error, 'CounterNotExact'),
    );
    await expect(projection.getCounts([{ counterName: 'hot', key: 'DE' }])).rejects.toSatisfy(
      (error) => hasErrorCode(error, 'CounterNotExact'),
    );
    const mark = await client.send(
      new GetItemCommand({
        TableName: countsTableName,
        Key: { pk: { S: 'X' }, sk: { S: 'hot' } },
      }),
    );
    expect(mark.Item?.reason?.S).toContain('shardId-0001');
  });

  it('report the records of a replayed dead letter that only watermark counters count as skipped NotExact, not as events no counter counts', async () => {
    const { countsTableName } = await setUp();
    const watermarkOnly = new CounterProjection({
      dynamoDBClient: client,
      countsTableName,
      sourceEventStores: [ordersStore],
      counters: [
        counter({
          name: 'hot',
          eventStore: ordersStore,
          eventTypes: ['ORDER_PLACED'],
          key: (e) => e.payload.country,
          idempotency: 'shardWatermark',
        }),
      ],
      retry: { maxAttempts: 1 },
      logger: { error: () => undefined },
    });
    await watermarkOnly.processRecords(records(3, 6), stream);
    const replayed = await watermarkOnly.processRecords(records(0, 3), {
      ...stream,
      delivery: 'replay',
    });
    expect(replayed.fates).toMatchObject({ counted: 0, duplicate: 0, failed: 0 });
    expect(replayed.fates.skipped).toMatchObject({ NotExact: 3, NoCounter: 0 });
  });

  it('refuse to count a key through a watermark that refs counted before (and the reverse)', async () => {
    const { projection, countsTableName } = await setUp();
    const byRefOnly = new CounterProjection({
      dynamoDBClient: client,
      countsTableName,
      sourceEventStores: [ordersStore],
      counters: [
        counter({
          name: 'hot',
          eventStore: ordersStore,
          eventTypes: ['ORDER_PLACED'],
          key: (e) => e.payload.country,
        }),
      ],
      retry: { maxAttempts: 1 },
      logger: { error: () => undefined },
    });
    await byRefOnly.processRecords(records(0, 2));
    const result = await projection.processRecords(records(2, 4), stream);
    expect(hasErrorCode(result.error, 'CounterShardsChanged')).toBe(true);
    expect(await byRefOnly.getCount('hot', 'FR')).toBe(2);
  });

  it('set aside a record that fails for a reason of its own, durably, and count the rest of its batch and the batches after; count it through refs once fixed (countSetAside), once', async () => {
    const { projection, countsTableName } = await setUp();
    const [first, , third] = records(0, 3);
    const noCountry = orderPlacedRecord(1, { customerId: 'c', quantity: 1 });
    const batch = [first!, noCountry, third!];
    const result = await projection.processRecords(batch, stream);
    expect(result.batchItemFailures).toEqual([]);
    expect(result.fates.skipped.SetAside).toBe(1);
    await projection.processRecords(records(3, 5), stream);
    expect(await projection.getCount('hot', 'FR')).toBe(4);
    expect(await projection.countSetAside()).toMatchObject({
      counted: 0,
      stillFailing: [
        { shardId: 'shardId-0001', sequenceNumber: noCountry.dynamodb?.SequenceNumber },
      ],
    });

    const fixed = (await setUp({ countsTableName, missingCountry: 'unknown' })).projection;
    expect(await fixed.countSetAside()).toEqual({ counted: 1, stillFailing: [] });
    expect(await fixed.countSetAside()).toEqual({ counted: 0, stillFailing: [] });
    // A late redelivery of the batch: the record set aside is skipped, not counted again.
    const again = await fixed.processRecords(batch, stream);
    expect(again.fates.skipped.SetAside).toBe(1);
    expect(await fixed.getCount('hot', 'unknown')).toBe(1);
    expect(await fixed.getCount('byRef', 'unknown')).toBe(1);
    expect(await fixed.getCount('hot', 'FR')).toBe(4);
  });

  it('skip a redelivered record that was set aside, even one that would now count: it is counted through refs, once', async () => {
    const { projection, countsTableName } = await setUp();
    const noCountry = orderPlacedRecord(0, { customerId: 'c', quantity: 1 });
    await projection.processRecords([noCountry], stream); // set aside; no watermark moved
    const fixed = (await setUp({ countsTableName, missingCountry: 'unknown' })).projection;
    const redelivered = await fixed.processRecords([noCountry], stream);
    expect(redelivered.fates.skipped.SetAside).toBe(1);
    expect(await fixed.countSetAside()).toEqual({ counted: 1, stillFailing: [] });
    expect(await fixed.getCount('hot', 'unknown')).toBe(1);
  });

  it('stop a key whose first transaction failed before its next one moves the watermark past it (a failed transaction is a fake: DynamoDB Local never fails one)', async () => {
    const countsTableName = uniqueTableName('counts');
    await createCountsTable({ dynamoDBClient: client, tableName: countsTableName });
    let failNext = true;
    const faulty = interceptSend(client, async (command, send) => {
      if (command instanceof TransactWriteItemsCommand && failNext) {
        failNext = false;
        throw Object.assign(new Error('injected'), {
          name: 'InternalServerError',
          $fault: 'server',
        });
      }
      return send(command);
    });
    const projection = new CounterProjection({
      dynamoDBClient: faulty,
      countsTableName,
      sourceEventStores: [ordersStore],
      counters: [
        counter({
          name: 'perMinute',
          eventStore: ordersStore,
          eventTypes: ['ORDER_PLACED'],
          key: () => 'all',
          windows: ['minute'],
          idempotency: 'shardWatermark',
        }),
      ],
      retry: { maxAttempts: 1 },
      logger: { error: () => undefined },
    });
    // 150 events of one key in 150 minutes: more buckets than one transaction holds, so the
    // key's increments go in two transactions, one after the other.
    const batch = Array.from({ length: 150 }, (_, index) => {
      const record = orderPlacedRecord(index);
      const image = record.dynamodb?.NewImage as Record<string, { S?: string }>;
      image.timestamp = { S: new Date(Date.UTC(2024, 0, 1, 0, index)).toISOString() };
      return record;
    });
    const first = await projection.processRecords(batch, stream);
    expect(first.batchItemFailures).toEqual([
      { itemIdentifier: batch[0]?.dynamodb?.SequenceNumber },
    ]);
    expect(await projection.getCount('perMinute', 'all')).toBe(0);
    const again = await projection.processRecords(batch, stream);
    expect(again.batchItemFailures).toEqual([]);
    expect(await projection.getCount('perMinute', 'all')).toBe(150);
  });

  it('mark every shardWatermark counter not exact on the first batch after a retention gap (records trimmed unread), and count that batch through the others', async () => {
    const { projection } = await setUp();
    await projection.processRecords(records(0, 2), stream);
    await projection.processRecords(records(10, 12), {
      ...stream,
      afterGap: { reason: 'CheckpointTrimmed' },
    });
    expect(await projection.getCount('byRef', 'FR')).toBe(4);
    await expect(projection.getCount('hot', 'FR')).rejects.toSatisfy(
      (error) =>
        isCounterError(error, 'CounterNotExact') && error.reason.includes('trimmed by the stream'),
    );
  });

  it('mark every shardWatermark counter not exact when the runner tells, in an empty batch, that records of the shard were dead-lettered', async () => {
    const { projection } = await setUp();
    await projection.processRecords(records(0, 2), stream);
    const told = await projection.processRecords([], {
      ...stream,
      afterGap: { reason: 'RecordsDeadLettered' },
    });
    expect(told.batchItemFailures).toEqual([]);
    expect(await projection.getCount('byRef', 'FR')).toBe(2);
    await expect(projection.getCount('hot', 'FR')).rejects.toSatisfy(
      (error) =>
        isCounterError(error, 'CounterNotExact') &&
        error.reason.includes("went to the runner's dead letter"),
    );
  });
});
