import { GetItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { type CounterErrorCode, isCounterError } from '../../src/index.js';
import { asShardRuns, given, shardDeliveries } from '../../src/testing/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { interceptSend } from '../support/interceptSend.js';
import { orderPlacedRecord } from '../support/records.js';
import { toLambdaRecord } from '../support/streams.js';

const { client, createTestCountsTable, createTestCheckpointTable } = useDynamoDB();
const ordersStore = makeOrdersStore();

type Country = (e: { payload: { country?: string } }) => string;
const countryOr =
  (missing?: string): Country =>
  (e) =>
    (e.payload.country ?? missing) as string;

const projectionOf = (
  countsTableName: string,
  {
    key = countryOr(),
    dynamoDBClient = client,
  }: { key?: Country; dynamoDBClient?: typeof client } = {},
) =>
  new CounterProjection({
    dynamoDBClient,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters: [
      counter({
        name: 'hot',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key,
        windows: ['day'],
        idempotency: 'shardWatermark',
      }),
      counter({ name: 'byRef', eventStore: ordersStore, eventTypes: ['ORDER_PLACED'], key }),
    ],
    retry: { maxAttempts: 3, baseDelayMs: 1 },
    logger: { error: () => undefined },
  });

/** A counts table, a checkpoint table, a projection and shard 0001's deliveries. */
const setUp = async (options: { key?: Country } = {}) => {
  const countsTableName = await createTestCountsTable();
  const checkpointTableName = await createTestCheckpointTable();
  const shard = (shardId = 'shardId-0001') =>
    shardDeliveries({ dynamoDBClient: client, checkpointTableName, shardId });
  return { projection: projectionOf(countsTableName, options), countsTableName, shard };
};

const records = (from: number, to: number, country = 'FR') =>
  Array.from({ length: to - from }, (_, i) =>
    orderPlacedRecord(from + i, { customerId: 'c', country, quantity: 1 }),
  );
const hasErrorCode = (error: unknown, code: CounterErrorCode) => isCounterError(error, code);

const itemOf = async (tableName: string, pk: string, sk: string) =>
  (
    await client.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: sk } } }),
    )
  ).Item;

describe('shardWatermark counters (DynamoDB Local)', () => {
  it('count a batch once per counter key, however often and in whatever overlapping runs the shard redelivers it, with a mark per shard in the items and no ref item', async () => {
    const { projection, countsTableName, shard } = await setUp();
    const first = shard();
    await first.deliver(projection, records(0, 10));
    await first.deliver(projection, records(0, 10)); // a lost answer: the same run again
    // Another runner of the consumer, behind: other boundaries, records decided by the first.
    const behind = shard();
    await behind.deliver(projection, records(5, 15));
    await behind.deliver(projection, [...records(15, 18), ...records(18, 20, 'DE')]);
    expect(await projection.getCount('hot', 'FR')).toBe(18);
    expect(await projection.getCount('hot', 'DE')).toBe(2);
    expect(await projection.getCount('byRef', 'FR')).toBe(18);
    expect(
      await projection.getCount('hot', 'FR', { window: 'day', bucket: '2024-01-01T12:00:00Z' }),
    ).toBe(18);
    const total = await itemOf(countsTableName, 'T#hot#FR', 'total');
    expect(
      Object.keys(total ?? {})
        .filter((name) => name.startsWith('w'))
        .sort(),
    ).toEqual(['w:0001', 'wm']);
    const bucket = await itemOf(countsTableName, 'W#hot#day#FR', '2024-01-01');
    expect(bucket?.['w:0001']?.B).toBeInstanceOf(Uint8Array);
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
    const { projection, shard } = await setUp();
    await given(records(0, 5))
      .when(projection, asShardRuns(shard(), { size: 2 }), { times: 2 })
      .thenCounts({ 'hot/FR': 5 });
    await given(records(0, 5))
      .when(projection, asShardRuns(shard('shardId-0002')))
      .thenCounts({ 'hot/FR': 10, 'byRef/FR': 5 }); // refs count each event once
  });

  it("refuse a batch without its shard or without the runner's claim, a rebuild beside its live counts and a direct increment, with WatermarkRefused, counting nothing", async () => {
    const { projection, shard } = await setUp();
    await expect(projection.processRecords(records(0, 2))).rejects.toSatisfy((error) =>
      hasErrorCode(error, 'WatermarkRefused'),
    );
    // Lambda's plain event has no shard: its handler refuses the batch as a whole.
    await expect(
      projection.handler({ Records: records(0, 2).map(toLambdaRecord) }),
    ).rejects.toSatisfy(
      (error) => isCounterError(error, 'WatermarkRefused') && error.setting === 'NoShardId',
    );
    await expect(
      projection.processRecords(records(0, 2), { shardId: 'shardId-0001', delivery: 'stream' }),
    ).rejects.toSatisfy(
      (error) => isCounterError(error, 'WatermarkRefused') && error.setting === 'NoClaim',
    );
    await shard().deliver(projection, records(2, 3));
    await expect(projection.rebuild({ eventTableName: 'events' })).rejects.toSatisfy((error) =>
      hasErrorCode(error, 'WatermarkRefused'),
    );
    await expect(
      projection.increment({ counterName: 'hot', key: 'FR', targetRef: 'x' }),
    ).rejects.toSatisfy((error) => hasErrorCode(error, 'WatermarkRefused'));
    expect(await projection.getCount('byRef', 'FR')).toBe(1);
  });

  it('refuse a record whose sequence number is out of shape or out of order, counting the records before it', async () => {
    const { projection, shard } = await setUp();
    const [first, second] = records(0, 2);
    const bad = { ...second, dynamodb: { ...second?.dynamodb, SequenceNumber: '12' } };
    const result = await shard().deliver(projection, [first!, bad]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '12' }]);
    expect(hasErrorCode(result.error, 'WatermarkRefused')).toBe(true);
    const reversed = await shard('shardId-0002').deliver(projection, [second!, first!]);
    expect(reversed.batchItemFailures).toHaveLength(1);
    expect(await projection.getCount('hot', 'FR')).toBe(2);
  });

  it('mark the counter not exact when a dead letter of its shard is replayed, and refuse every read of it after; refs counters count the replay', async () => {
    const { projection, countsTableName, shard } = await setUp();
    await shard().deliver(projection, records(5, 10));
    await projection.processRecords(records(0, 5), { shardId: 'shardId-0001', delivery: 'replay' });
    expect(await projection.getCount('byRef', 'FR')).toBe(10);
    await expect(projection.getCount('hot', 'FR')).rejects.toSatisfy((error) =>
      hasErrorCode(error, 'CounterNotExact'),
    );
    await expect(projection.getCounts([{ counterName: 'hot', key: 'DE' }])).rejects.toSatisfy(
      (error) => hasErrorCode(error, 'CounterNotExact'),
    );
    expect((await itemOf(countsTableName, 'X', 'hot'))?.reason?.S).toContain('shardId-0001');
  });

  it('report the records of a replayed dead letter that only watermark counters count as skipped NotExact, not as events no counter counts', async () => {
    const { countsTableName, shard } = await setUp();
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
    await shard().deliver(watermarkOnly, records(3, 6));
    const replayed = await watermarkOnly.processRecords(records(0, 3), {
      shardId: 'shardId-0001',
      delivery: 'replay',
    });
    expect(replayed.fates).toMatchObject({ counted: 0, duplicate: 0, failed: 0 });
    expect(replayed.fates.skipped).toMatchObject({ NotExact: 3, NoCounter: 0 });
  });

  it('refuse to count a key through marks that refs counted before (and the reverse), its total and its buckets alike', async () => {
    const { projection, countsTableName, shard } = await setUp();
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
          windows: ['day'],
        }),
      ],
      retry: { maxAttempts: 1 },
      logger: { error: () => undefined },
    });
    await byRefOnly.processRecords(records(0, 2));
    const result = await shard().deliver(projection, records(2, 4));
    expect(hasErrorCode(result.error, 'CounterShardsChanged')).toBe(true);
    expect(await byRefOnly.getCount('hot', 'FR')).toBe(2);
    expect(await byRefOnly.getCount('hot', 'FR', { window: 'day', bucket: '2024-01-01' })).toBe(2);
    await shard('shardId-0002').deliver(projection, records(0, 2, 'DE'));
    const reverse = await byRefOnly.processRecords(records(4, 6, 'DE'));
    expect(hasErrorCode(reverse.error, 'CounterShardsChanged')).toBe(true);
  });

  it('set aside a record that fails for a reason of its own, with its claim, and count the rest of its batch and the batches after; count it through refs once fixed (countSetAside), once', async () => {
    const { projection, countsTableName, shard } = await setUp();
    const [first, , third] = records(0, 3);
    const noCountry = orderPlacedRecord(1, { customerId: 'c', quantity: 1 });
    const batch = [first!, noCountry, third!];
    const runner = shard();
    const result = await runner.deliver(projection, batch);
    expect(result.batchItemFailures).toEqual([]);
    expect(result.fates.skipped.SetAside).toBe(1);
    await runner.deliver(projection, records(3, 5));
    expect(await projection.getCount('hot', 'FR')).toBe(4);
    expect(await projection.countSetAside()).toMatchObject({
      counted: 0,
      stillFailing: [
        { shardId: 'shardId-0001', sequenceNumber: noCountry.dynamodb?.SequenceNumber },
      ],
    });
    const fixed = projectionOf(countsTableName, { key: countryOr('unknown') });
    expect(await fixed.countSetAside()).toEqual({ counted: 1, stillFailing: [] });
    expect(await fixed.countSetAside()).toEqual({ counted: 0, stillFailing: [] });
    // A late redelivery of the batch, by a runner that restarted before its checkpoint: the
    // record set aside is skipped, not counted again.
    const again = await shard().deliver(fixed, batch);
    expect(again.fates.counted).toBe(0);
    expect(await fixed.getCount('hot', 'unknown')).toBe(1);
    expect(await fixed.getCount('byRef', 'unknown')).toBe(1);
    expect(await fixed.getCount('hot', 'FR')).toBe(4);
    // Counted, it expires a week later (the counts table's TTL).
    const aside = await client.send(
      new QueryCommand({
        TableName: countsTableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'A' } },
      }),
    );
    const expiresAt = Number(aside.Items?.[0]?.expiresAt?.N) * 1000;
    expect(Math.abs(expiresAt - (Date.now() + 7 * 86_400_000))).toBeLessThan(600_000);
  });

  it('count a set-aside record with binary attributes as the stream gave it', async () => {
    const { countsTableName, shard } = await setUp({ key: countryOr() });
    const record = orderPlacedRecord(0, { customerId: 'c', quantity: 1 });
    const image = record.dynamodb?.NewImage as Record<string, unknown>;
    image.payload = {
      M: {
        customerId: { S: 'c' },
        quantity: { N: '1' },
        tag: { B: new Uint8Array([0, 1, 254, 255]) },
      },
    };
    await shard().deliver(projectionOf(countsTableName), [record]);
    const tagged = new CounterProjection({
      dynamoDBClient: client,
      countsTableName,
      sourceEventStores: [ordersStore],
      counters: [
        counter({
          name: 'byRef',
          eventStore: ordersStore,
          eventTypes: ['ORDER_PLACED'],
          key: (e) =>
            Buffer.from((e.payload as unknown as { tag: Uint8Array }).tag).toString('hex'),
        }),
      ],
      logger: { error: () => undefined },
    });
    expect(await tagged.countSetAside()).toEqual({ counted: 1, stillFailing: [] });
    expect(await tagged.getCount('byRef', '0001feff')).toBe(1);
  });

  it('fail a batch from the first record of an item whose write failed, and count it exactly when delivered again (a failed write is a fake: DynamoDB Local never fails one)', async () => {
    const countsTableName = await createTestCountsTable();
    const checkpointTableName = await createTestCheckpointTable();
    let failed = false;
    const faulty = interceptSend(client, async (command, send) => {
      const key = (command as { input?: { Key?: { pk?: { S?: string } } } }).input?.Key?.pk?.S;
      if (command instanceof UpdateItemCommand && key === 'T#hot#DE' && !failed) {
        failed = true;
        throw Object.assign(new Error('injected'), { name: 'ValidationException' });
      }
      return send(command);
    });
    const projection = projectionOf(countsTableName, { dynamoDBClient: faulty });
    const batch = [...records(0, 3), ...records(3, 5, 'DE'), ...records(5, 8)];
    const runner = shardDeliveries({ dynamoDBClient: client, checkpointTableName });
    const first = await runner.deliver(projection, batch);
    expect(first.batchItemFailures).toEqual([
      { itemIdentifier: batch[3]?.dynamodb?.SequenceNumber },
    ]);
    // Items apart: FR's total took all six of its records, DE's none.
    expect(await projection.getCount('hot', 'FR')).toBe(6);
    expect(await projection.getCount('hot', 'DE')).toBe(0);
    await runner.deliver(projection, batch.slice(3));
    expect(await projection.getCount('hot', 'FR')).toBe(6);
    expect(await projection.getCount('hot', 'DE')).toBe(2);
    expect(await projection.getCount('hot', 'DE', { window: 'day', bucket: '2024-01-01' })).toBe(2);
  });

  it('mark every shardWatermark counter not exact on a batch after a retention gap (records trimmed unread), and count that batch through the others', async () => {
    const { projection, shard } = await setUp();
    const runner = shard();
    await runner.deliver(projection, records(0, 2));
    await projection.processRecords(records(10, 12), {
      ...runner.contextFor(records(10, 12)),
      afterGap: { reason: 'CheckpointTrimmed' },
    });
    expect(await projection.getCount('byRef', 'FR')).toBe(4);
    await expect(projection.getCount('hot', 'FR')).rejects.toSatisfy(
      (error) =>
        isCounterError(error, 'CounterNotExact') && error.reason.includes('trimmed by the stream'),
    );
  });

  it('mark every shardWatermark counter not exact when the runner tells, in an empty batch, that records of the shard were dead-lettered', async () => {
    const { projection, shard } = await setUp();
    const runner = shard();
    await runner.deliver(projection, records(0, 2));
    const told = await projection.processRecords([], {
      ...runner.contextFor([]),
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
