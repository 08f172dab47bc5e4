import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import { beforeAll, describe, expect, it } from 'vitest';

import { isCounterError } from '../../src/shared/index.js';
import { type BatchContext, createCheckpointTable } from '../../src/streamRunner/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { simulatedRunner } from '../support/simulatedRunner.js';
import { SimulatedStream } from '../support/simulatedStreams.js';
import { byCountryProjection, idOf, orderOf } from '../support/watermarkOrders.js';

// A shard the runner found and read while empty (the child of a shard it read to its end)
// has nothing to checkpoint: it saves since when it reads it (readingSince). Back after a
// day with still nothing handled, the runner reads it from TRIM_HORIZON, which tells of no
// trimming: the records trimmed meanwhile are told as a gap first. Back sooner, nothing
// can have been trimmed: no gap.

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

/**
 * A shard-watermark projection on a simulated stream whose first shard was read to its end
 * (records a and b) and whose child was found empty. `journal`: what the handler was given.
 */
const withChildFoundEmpty = async () => {
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
  const run = async () => {
    const { runner, gaps } = simulatedRunner({
      stream,
      dynamoDBClient,
      tableName,
      checkpointTableName,
      handler: project,
    });
    const progress = await runner.run({ untilCaughtUp: true });
    return { progress, gaps };
  };
  const readFR = () =>
    projection.getCount('byCountry', 'FR').then(
      (count) => ({ count }),
      (error: unknown) => ({ refused: isCounterError(error, 'CounterNotExact') }),
    );

  const parent = stream.shards[0]?.id as string;
  stream.write(orderOf('a'), 'orders#all');
  stream.write(orderOf('b'), 'orders#all');
  stream.rollover(parent);
  const { progress } = await run(); // the parent read to its end, its child found (empty)
  expect(progress.finishedShards).toBe(1);
  expect(journal).toEqual(['a', 'b']);
  const child = stream.shards.find((shard) => shard.id !== parent)?.id as string;
  return { stream, journal, run, readFR, child };
};

describe('a shard found empty and not checkpointed, read again later', () => {
  it('tells a gap when the runner was down past the retention and the shard’s first records were trimmed unread', async () => {
    const { stream, journal, run, readFR } = await withChildFoundEmpty();

    // The runner is down a day and more: the child's first record is trimmed meanwhile.
    stream.advance(HOUR);
    stream.write(orderOf('lost'), 'orders#all');
    expect(stream.advance(25 * HOUR).map(idOf)).toContain('lost');
    stream.write(orderOf('c'), 'orders#all');
    const { gaps } = await run();

    expect(gaps).toEqual([expect.objectContaining({ reason: 'CheckpointTrimmed' })]);
    // 4 records written after the consumer started, 3 counted: exact it is not.
    expect({ journal, read: await readFR() }).toEqual({
      journal: ['a', 'b', expect.stringMatching(/^gap /), 'c'],
      read: { refused: true },
    });
  });

  it('tells that gap once: a restart while the shard still holds nothing tells no other', async () => {
    const { stream, journal, run } = await withChildFoundEmpty();
    stream.advance(25 * HOUR);
    expect((await run()).gaps).toHaveLength(1);
    stream.advance(HOUR);
    expect((await run()).gaps).toEqual([]);
    expect(journal).toEqual(['a', 'b', 'gap CheckpointTrimmed']);
  });

  it('tells it as expired when the shard closed and went past the retention while the runner was down', async () => {
    const { stream, journal, run, readFR, child } = await withChildFoundEmpty();
    stream.advance(HOUR);
    stream.write(orderOf('lost'), 'orders#all');
    stream.rollover(child);
    stream.advance(26 * HOUR);
    expect(stream.shards.map((shard) => shard.id)).not.toContain(child);
    stream.write(orderOf('c'), 'orders#all');
    const { gaps } = await run();

    expect(gaps).toEqual([{ shardId: child, reason: 'ShardExpired' }]);
    expect({ journal, read: await readFR() }).toEqual({
      journal: ['a', 'b', 'gap ShardExpired', 'c'],
      read: { refused: true },
    });
  });

  it('tells no gap when the runner is back within the retention: nothing was trimmed', async () => {
    const { stream, journal, run, readFR } = await withChildFoundEmpty();

    // Down 20 hours: the child's first record, written an hour in, is still kept.
    stream.advance(HOUR);
    stream.write(orderOf('kept'), 'orders#all');
    expect(stream.advance(19 * HOUR)).toEqual([]);
    stream.write(orderOf('c'), 'orders#all');
    const { gaps, progress } = await run();

    expect(gaps).toEqual([]);
    expect(progress.retentionGaps).toBe(0);
    expect({ journal, read: await readFR() }).toEqual({
      journal: ['a', 'b', 'kept', 'c'],
      read: { count: 4 },
    });
  });
});
