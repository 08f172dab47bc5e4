import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import { beforeAll, describe, expect, it } from 'vitest';

import { CheckpointStore } from '../../src/checkpoints/index.js';
import { isCounterError } from '../../src/shared/index.js';
import { type BatchContext, createCheckpointTable } from '../../src/streamRunner/index.js';
import { shardDeliveries } from '../../src/testing/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { orderPlacedRecord } from '../support/records.js';
import { simulatedRunner } from '../support/simulatedRunner.js';
import { SimulatedStream } from '../support/simulatedStreams.js';
import { byCountryProjection, idOf, orderOf } from '../support/watermarkOrders.js';

// A dead letter saved (untoldGap) by one runner of a consumer, that it could not tell, while
// another runner of the same consumer (a deployment's new task) reads the same shard: the
// other runner learns of it from its claims and tells it before it finishes the shard. Were
// it blind to it, it would count the later records and finish the shard, after which no
// runner would ever tell the gap (found by an adversarial review).

const {
  client: dynamoDBClient,
  uniqueTableName,
  createTestEventTable,
  createTestCountsTable,
} = useDynamoDB();
let tableName: string;
beforeAll(async () => {
  tableName = await createTestEventTable();
});

const projectionOn = async () => byCountryProjection(dynamoDBClient, await createTestCountsTable());

const placed = (index: number) =>
  orderPlacedRecord(index, { customerId: 'c', country: 'FR', quantity: 1 });

const readOf = (projection: Awaited<ReturnType<typeof projectionOn>>) =>
  projection.getCount('byCountry', 'FR').then(
    (count: number) => ({ count }),
    (error: unknown) => ({ refused: isCounterError(error, 'CounterNotExact') }),
  );

describe('a gap another runner saved and has not told', () => {
  it("is read with a batch's claim: the batch counts as after it, the counter not exact", async () => {
    const checkpointTableName = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
    const projection = await projectionOn();
    const shard = shardDeliveries({ dynamoDBClient, checkpointTableName });
    await shard.deliver(projection, [placed(0)]);
    expect(await readOf(projection)).toEqual({ count: 1 });
    // Another runner of the consumer saved a dead letter after 'a', and stopped before telling it.
    const store = new CheckpointStore({
      dynamoDBClient,
      tableName: checkpointTableName,
      consumerName: 'tests',
      streamArn: 'arn:aws:dynamodb:local:000000000000:table/events/stream/tests',
    });
    await store.gaps.saveGap(shard.shardId, 'RecordsDeadLettered');
    await shard.deliver(projection, [placed(2)]);
    expect(await readOf(projection)).toEqual({ refused: true });
  });

  it('is told first on a shard another runner finished since, before its children are read', async () => {
    const stream = new SimulatedStream();
    const checkpointTableName = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
    const parent = stream.shards[0]?.id as string;
    stream.write(orderOf('a'), 'orders#all');
    stream.rollover(parent);
    stream.write(orderOf('child-1'), 'orders#all');
    const journal: string[] = [];
    const { runner } = simulatedRunner({
      stream,
      dynamoDBClient,
      tableName,
      checkpointTableName,
      handler: async (records, batch) => {
        if (records.length === 0) journal.push(`gap ${batch.afterGap?.reason}`);
        journal.push(...records.map(idOf));
        if (journal.length === 1 && records.length > 0) runner.stop(); // 'a' handled: stopped
        return Promise.resolve();
      },
    });
    await runner.run({ untilCaughtUp: true });
    // Meanwhile the parent was finished by another runner, which had saved a gap it did not tell.
    const { Table } = await dynamoDBClient.send(new DescribeTableCommand({ TableName: tableName }));
    const store = new CheckpointStore({
      dynamoDBClient,
      tableName: checkpointTableName,
      consumerName: 'simulated',
      streamArn: Table?.LatestStreamArn as string,
    });
    await store.gaps.saveGap(parent, 'RecordsDeadLettered');
    await store.save(parent, { finished: true });
    const { runner: later } = simulatedRunner({
      stream,
      dynamoDBClient,
      tableName,
      checkpointTableName,
      handler: async (records, batch) => {
        if (records.length === 0) journal.push(`gap ${batch.afterGap?.reason}`);
        journal.push(...records.map(idOf));
        return Promise.resolve();
      },
    });
    await later.run({ untilCaughtUp: true });
    expect(journal).toEqual(['a', 'gap RecordsDeadLettered', 'child-1']);
  });
});

describe('two runners of one consumer on one shard, one dead-letters and cannot tell it', () => {
  it('tells the untold dead letter (or refuses reads) even when the other runner reads the shard to its end', async () => {
    const stream = new SimulatedStream();
    const checkpointTableName = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
    const projection = byCountryProjection(dynamoDBClient, await createTestCountsTable());
    const journal: string[] = [];
    const project = async (records: StreamsApiRecord[], batch: BatchContext) => {
      const { batchItemFailures, error } = await projection.processRecords(records, batch);
      if (batchItemFailures.length > 0) throw error;
      if (records.length === 0) journal.push(`gap ${batch.afterGap?.reason}`);
      journal.push(...records.map(idOf));
    };
    const parent = stream.shards[0]?.id as string;
    for (const id of ['a', 'poison', 'b']) stream.write(orderOf(id), 'orders#all');
    stream.rollover(parent);
    stream.write(orderOf('child-1'), 'orders#all');

    // Runner B (the new task) reads one record at a time; its first batch waits until A is done.
    let openB: () => void = () => undefined;
    const bMayGoOn = new Promise<void>((resolve) => (openB = resolve));
    let bReached: () => void = () => undefined;
    const bWaiting = new Promise<void>((resolve) => (bReached = resolve));
    const { runner: runnerB } = simulatedRunner({
      stream,
      dynamoDBClient,
      tableName,
      checkpointTableName,
      batchSize: 1,
      handler: async (records, batch) => {
        if (records.length > 0 && idOf(records[0] as StreamsApiRecord) === 'a') {
          bReached();
          await bMayGoOn;
        }
        return project(records, batch);
      },
    });
    const runningB = runnerB.run({ untilCaughtUp: true });
    await bWaiting;

    // Runner A (the old task): the poison record fails every try and goes to the dead
    // letter; the projection is unreachable when the gap is told, and A is stopped.
    const deadLettered: string[][] = [];
    const { runner: runnerA } = simulatedRunner({
      stream,
      dynamoDBClient,
      tableName,
      checkpointTableName,
      maximumRetryAttempts: 0,
      bisectBatchOnFunctionError: true,
      onFailure: ({ records }) => void deadLettered.push(records.map(idOf)),
      handler: async (records, batch) => {
        if (records.some((r) => idOf(r) === 'poison')) throw new Error('poison');
        if (records.length === 0) {
          runnerA.stop();
          throw new Error('the counts table is unreachable');
        }
        return project(records, batch);
      },
    });
    await runnerA.run({ untilCaughtUp: true });
    expect(deadLettered).toEqual([['poison']]);

    openB();
    await runningB;

    // Any runner restarted later: the gap saved by A must be told before the child counts.
    const { runner: later } = simulatedRunner({
      stream,
      dynamoDBClient,
      tableName,
      checkpointTableName,
      handler: project,
    });
    await later.run({ untilCaughtUp: true });

    // As stored: the parent finished, its gap told.
    const { Items = [] } = await dynamoDBClient.send(
      new ScanCommand({ TableName: checkpointTableName }),
    );
    const parentItem = Items.find((item) => item.sk?.S === parent);
    expect(parentItem?.finished?.BOOL).toBe(true);
    expect(parentItem?.untoldGap).toBeUndefined();

    // 4 records written, 'poison' never counted: the read must refuse (or say 4).
    const read = projection.getCount('byCountry', 'FR').then(
      (count) => ({ count }),
      (error: unknown) => ({ refused: isCounterError(error, 'CounterNotExact') }),
    );
    expect({ journal, read: await read }).toEqual({
      journal: expect.arrayContaining(['gap RecordsDeadLettered']),
      read: { refused: true },
    });
    // Told before anything of the parent's child was counted.
    expect(journal.indexOf('gap RecordsDeadLettered')).toBeLessThan(journal.indexOf('child-1'));
  });
});
