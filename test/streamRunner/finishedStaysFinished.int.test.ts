import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import { beforeAll, describe, expect, it } from 'vitest';

import { type BatchContext, createCheckpointTable } from '../../src/streamRunner/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { simulatedRunner } from '../support/simulatedRunner.js';
import { SimulatedStream } from '../support/simulatedStreams.js';
import { byCountryProjection, idOf, orderOf } from '../support/watermarkOrders.js';

// Two runners of one consumer (a deployment). The new one reads a closed shard to its end
// and marks it finished; the old one, behind on the same shard, is stopped and flushes its
// checkpoint. Were the flush to write `finished = false` and its older checkpoint over the
// finished one, a day later the shard, gone, would look expired unread: a gap told and the
// counter refused for ever, though every record was counted exactly once (found by an
// adversarial review).

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

const HOUR = 3_600_000;

describe('a shard another runner of the consumer finished', () => {
  it('keeps a shard finished (no spurious gap, reads exact) when a runner behind on it stops', async () => {
    const stream = new SimulatedStream();
    const checkpointTableName = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
    const projection = byCountryProjection(dynamoDBClient, await createTestCountsTable());
    const gapsTold: string[] = [];
    const project = async (records: StreamsApiRecord[], batch: BatchContext) => {
      const { batchItemFailures, error } = await projection.processRecords(records, batch);
      if (batchItemFailures.length > 0) throw error;
      if (records.length === 0) gapsTold.push(`${batch.afterGap?.reason} of ${batch.shardId}`);
    };
    const parent = stream.shards[0]?.id as string;
    for (const id of ['a', 'b', 'c']) stream.write(orderOf(id), 'orders#all');
    stream.rollover(parent);

    // The old task: one record a batch; it waits in its second batch.
    let openA: () => void = () => undefined;
    const aMayGoOn = new Promise<void>((resolve) => (openA = resolve));
    let aReached: () => void = () => undefined;
    const aWaiting = new Promise<void>((resolve) => (aReached = resolve));
    const { runner: oldTask } = simulatedRunner({
      stream,
      dynamoDBClient,
      tableName,
      checkpointTableName,
      batchSize: 1,
      handler: async (records, batch) => {
        if (records.length > 0 && idOf(records[0] as StreamsApiRecord) === 'b') {
          aReached();
          await aMayGoOn;
        }
        return project(records, batch);
      },
    });
    const runningOld = oldTask.run({ untilCaughtUp: true });
    await aWaiting;
    // The new task starts 3 hours later: the child it finds (empty) waits 22 hours, not a
    // day, for the restart below, and has nothing it could have lost to the retention.
    stream.advance(3 * HOUR);

    // The new task reads everything: the parent finished, the child read.
    const { runner: newTask } = simulatedRunner({
      stream,
      dynamoDBClient,
      tableName,
      checkpointTableName,
      handler: project,
    });
    const progress = await newTask.run({ untilCaughtUp: true });
    expect(progress.finishedShards).toBe(1);
    expect(await projection.getCount('byCountry', 'FR')).toBe(3);

    // The deployment stops the old task.
    oldTask.stop();
    openA();
    await runningOld;
    // As stored: the finished parent stays finished through the old task's flush.
    const { Items = [] } = await dynamoDBClient.send(
      new ScanCommand({ TableName: checkpointTableName }),
    );
    const parentItem = Items.find((item) => item.sk?.S === parent);
    expect(parentItem?.finished?.BOOL).toBe(true);

    // A day after the parent closed (past the retention, no longer listed), a restart.
    stream.advance(22 * HOUR);
    stream.write(orderOf('d'), 'orders#all');
    stream.write(orderOf('e'), 'orders#all');
    const { runner: restarted } = simulatedRunner({
      stream,
      dynamoDBClient,
      tableName,
      checkpointTableName,
      handler: project,
    });
    await restarted.run({ untilCaughtUp: true });

    const read = await projection.getCount('byCountry', 'FR').then(
      (count) => ({ count }),
      (error: unknown) => ({ error: String(error) }),
    );
    expect({ gapsTold, read }).toEqual({ gapsTold: [], read: { count: 5 } });
  });
});
