import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import { beforeAll, describe, expect, it } from 'vitest';

import { CheckpointStore } from '../../src/checkpoints/index.js';
import { isCounterError } from '../../src/shared/index.js';
import {
  type BatchContext,
  createCheckpointTable,
  type StreamRunnerOptions,
} from '../../src/streamRunner/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { simulatedRunner } from '../support/simulatedRunner.js';
import { SimulatedStream } from '../support/simulatedStreams.js';
import { byCountryProjection, idOf, orderOf } from '../support/watermarkOrders.js';

const {
  client: dynamoDBClient,
  uniqueTableName,
  createTestEventTable,
  createTestCountsTable,
} = useDynamoDB();
let tableName: string;
beforeAll(async () => {
  tableName = await createTestEventTable(); // the runner finds its stream ARN there
});

const HOUR = 3_600_000;

/**
 * A simulated stream, its checkpoints, and a CounterProjection with a shardWatermark counter
 * as the handler. `journal` says, in order, what the handler was given: the records' ids, or
 * `gap <reason> of <shard>` for an empty batch that tells a gap.
 */
const setUp = async () => {
  const stream = new SimulatedStream();
  const checkpointTableName = uniqueTableName('checkpoints');
  await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
  const projection = byCountryProjection(dynamoDBClient, await createTestCountsTable());
  const journal: string[] = [];
  const write = (ids: string[]) =>
    ids.map((id) => stream.write(orderOf(id), 'orders#all').record.dynamodb?.SequenceNumber);
  const project = async (records: StreamsApiRecord[], batch: BatchContext) => {
    const { batchItemFailures, error } = await projection.processRecords(records, batch);
    if (batchItemFailures.length > 0) throw error;
    if (records.length === 0) journal.push(`gap ${batch.afterGap?.reason} of ${batch.shardId}`);
    journal.push(...records.map(idOf));
  };
  const runner = (
    options: Partial<StreamRunnerOptions> & {
      handler?: (records: StreamsApiRecord[], batch: BatchContext) => Promise<unknown>;
    } = {},
  ) =>
    simulatedRunner({
      stream,
      dynamoDBClient,
      tableName,
      checkpointTableName,
      handler: project,
      ...options,
    });
  const run = async (options: Parameters<typeof runner>[0] = {}) => {
    const { runner: streamRunner, gaps } = runner(options);
    const progress = await streamRunner.run({ untilCaughtUp: true });
    return { progress, gaps };
  };
  const readFR = () => projection.getCount('byCountry', 'FR');
  return { stream, journal, write, project, runner, run, readFR };
};

const refusesNotExact = (error: unknown) => isCounterError(error, 'CounterNotExact');

describe('gaps told to the handler before any later record, across restarts (simulated Streams API: DynamoDB Local never rolls over, trims or expires)', () => {
  it('tells a gap when the shard it had checkpointed expired unread (closed, past the retention, no longer listed), before the first record of its child', async () => {
    const { stream, journal, write, run, readFR } = await setUp();
    const parent = stream.shards[0]?.id as string;
    const [, , checkpoint] = write(['a', 'b', 'c']);
    await run();
    write(['lost-1', 'lost-2']);
    stream.rollover(parent);
    stream.advance(25 * HOUR); // the runner was down a day: the parent is gone with its records
    expect(stream.shards.map((s) => s.id)).not.toContain(parent);
    write(['d', 'e']);
    const { progress, gaps } = await run();
    expect(journal).toEqual(['a', 'b', 'c', `gap ShardExpired of ${parent}`, 'd', 'e']);
    expect(gaps).toEqual([
      { shardId: parent, reason: 'ShardExpired', afterSequenceNumber: checkpoint },
    ]);
    expect(progress.retentionGaps).toBe(1);
    await expect(readFR()).rejects.toSatisfy(refusesNotExact); // 5 counted of 7 written
    // Told once: its checkpoint is finished now.
    write(['f']);
    const again = await run();
    expect(again.gaps).toEqual([]);
    expect(journal.at(-1)).toBe('f');
  });

  it('holds the children of an expired shard while the handler does not take its gap, and tells it after a restart', async () => {
    const { stream, journal, write, project, runner, run } = await setUp();
    const parent = stream.shards[0]?.id as string;
    write(['a']);
    await run();
    write(['lost']);
    stream.rollover(parent);
    stream.advance(25 * HOUR);
    write(['b']);
    let refusals = 0;
    const { runner: refusing, gaps } = runner({
      maximumRetryAttempts: 1,
      handler: async (records, batch) => {
        if (records.length > 0) return project(records, batch);
        refusals += 1;
        if (refusals === 4) refusing.stop(); // two rounds of two tries each
        throw new Error('the counts table is unreachable');
      },
    });
    await refusing.run({ untilCaughtUp: true });
    expect(refusals).toBe(4);
    expect(journal).toEqual(['a']); // the child waits
    expect(gaps).toEqual([expect.objectContaining({ shardId: parent, reason: 'ShardExpired' })]);
    const restarted = await run();
    expect(journal).toEqual(['a', `gap ShardExpired of ${parent}`, 'b']);
    expect(restarted.gaps).toEqual([]); // reported once, when it was found
  });

  it('tells a retention gap on a closed shard that has nothing left to read, before the first record of its child', async () => {
    const { stream, journal, write, run, readFR } = await setUp();
    const parent = stream.shards[0]?.id as string;
    write(['a', 'b']);
    await run();
    write(['lost-1', 'lost-2']);
    stream.advance(20 * HOUR);
    stream.rollover(parent); // closed 20 hours after its last records
    write(['c']);
    stream.advance(5 * HOUR); // its records are trimmed, the shard still listed
    expect(stream.shards.map((s) => s.id)).toContain(parent);
    const { progress, gaps } = await run();
    expect(gaps).toEqual([
      expect.objectContaining({ shardId: parent, reason: 'CheckpointTrimmed' }),
    ]);
    expect(progress.retentionGaps).toBe(1);
    expect(journal).toEqual(['a', 'b', `gap CheckpointTrimmed of ${parent}`, 'c']);
    await expect(readFR()).rejects.toSatisfy(refusesNotExact);
  });

  it('keeps a dead letter it could not tell in the checkpoint: a restart tells it before the first record of the closed shard’s child', async () => {
    const { stream, journal, write, project, runner, run, readFR } = await setUp();
    const parent = stream.shards[0]?.id as string;
    write(['a', 'poison', 'b']);
    stream.rollover(parent);
    write(['child-1']);
    const deadLettered: string[][] = [];
    let refusals = 0;
    const { runner: first } = runner({
      maximumRetryAttempts: 0,
      bisectBatchOnFunctionError: true,
      onFailure: ({ records }) => void deadLettered.push(records.map(idOf)),
      handler: async (records, batch) => {
        if (records.some((r) => idOf(r) === 'poison')) throw new Error('poison');
        if (records.length === 0) {
          // The projection's table unreachable: the tell fails, again and again.
          refusals += 1;
          if (refusals === 3) first.stop();
          throw new Error('the counts table is unreachable');
        }
        return project(records, batch);
      },
    });
    await first.run({ untilCaughtUp: true });
    expect(deadLettered).toEqual([['poison']]);
    expect(refusals).toBe(3);
    // The parent holds: nothing after the dead letter is handed while it is not told.
    expect(journal).toEqual(['a']);

    await run(); // restarted, the projection reachable again
    expect(journal).toEqual(['a', `gap RecordsDeadLettered of ${parent}`, 'b', 'child-1']);
    await expect(readFR()).rejects.toSatisfy(refusesNotExact);
  });
});

describe('gaps kept in the checkpoint (DynamoDB Local)', () => {
  it('keeps a gap another runner saved while one was being told: clearing the one told leaves it, to tell in turn', async () => {
    const checkpointTableName = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
    const store = new CheckpointStore({
      dynamoDBClient,
      tableName: checkpointTableName,
      consumerName: 'gaps',
      streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/events/stream/2026',
    });
    const checkpoint = { sequenceNumber: '100000000000000000042', finished: false };
    await store.save('shardId-1', checkpoint);
    const told = await store.gaps.saveGap('shardId-1', 'CheckpointTrimmed');
    const meanwhile = await store.gaps.saveGap('shardId-1', 'RecordsDeadLettered');
    expect(meanwhile.reason).toBe('CheckpointTrimmed'); // the first reason is kept
    expect(await store.gaps.clearGap('shardId-1', told)).toEqual(meanwhile);
    expect(await store.get('shardId-1')).toEqual({ ...checkpoint, untoldGap: meanwhile });
    expect(await store.gaps.clearGap('shardId-1', meanwhile, { finished: true })).toBeUndefined();
    expect(await store.get('shardId-1')).toEqual({ ...checkpoint, finished: true });
  });
});
