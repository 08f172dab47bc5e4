import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import { beforeAll, describe, expect, it } from 'vitest';

import { createCheckpointTable } from '../../src/streamRunner/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { interceptSend } from '../support/interceptSend.js';
import { labelOf, recordOf, simulatedRunner } from '../support/simulatedRunner.js';
import { SimulatedStream } from '../support/simulatedStreams.js';

const { client: dynamoDBClient, uniqueTableName, createTestEventTable } = useDynamoDB();
let tableName: string;

beforeAll(async () => {
  tableName = await createTestEventTable(); // the runner finds its stream ARN there
});

/** A fresh stream and checkpoint table, and a way to run a runner on them until caught up. */
const setUp = async () => {
  const stream = new SimulatedStream();
  const checkpointTableName = uniqueTableName('checkpoints');
  await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
  const handled: string[] = [];
  /** Per batch, the retention gap the runner told the handler it comes after. */
  const told: string[] = [];
  const run = async (
    options: { startingPosition?: 'TRIM_HORIZON' | 'LATEST'; client?: DynamoDBClient } = {},
  ) => {
    const { runner, gaps } = simulatedRunner({
      stream,
      dynamoDBClient: options.client ?? dynamoDBClient,
      tableName,
      checkpointTableName,
      ...(options.startingPosition !== undefined
        ? { startingPosition: options.startingPosition }
        : {}),
      handler: async (records: StreamsApiRecord[], { afterGap }) => {
        handled.push(...records.map(labelOf));
        told.push(afterGap?.reason ?? 'no gap');
      },
    });
    const progress = await runner.run({ untilCaughtUp: true });
    return { progress, gaps };
  };
  const write = (labels: string[], key = 'orders#a') =>
    labels.forEach((label) => stream.write(recordOf(key, label), key));
  return { stream, handled, told, run, write };
};

describe('the stream runner on AWS’s behaviours (simulated Streams API: DynamoDB Local never rolls over, trims or expires)', () => {
  it('reads a child shard found after a LATEST start from its beginning (TRIM_HORIZON), as Lambda does', async () => {
    const { stream, handled, run, write } = await setUp();
    write(['old-1', 'old-2']);
    await run({ startingPosition: 'LATEST' });
    expect(handled).toEqual([]);
    stream.rollover(stream.openShards()[0]?.id as string);
    write(['new-1', 'new-2', 'new-3']);
    await run({ startingPosition: 'LATEST' });
    expect(handled).toEqual(['new-1', 'new-2', 'new-3']);
  });

  it('resumes a LATEST start that handled nothing from where LATEST was, not from a new LATEST', async () => {
    const { handled, run, write } = await setUp();
    write(['before-start']);
    await run({ startingPosition: 'LATEST' });
    write(['while-stopped-1', 'while-stopped-2']);
    await run({ startingPosition: 'LATEST' });
    expect(handled).toEqual(['while-stopped-1', 'while-stopped-2']);
  });

  it('resumes from TRIM_HORIZON when its checkpoint was trimmed, and reports the gap instead of stopping', async () => {
    const { stream, handled, told, run, write } = await setUp();
    write(['a', 'b', 'c']);
    await run();
    const checkpoint = stream.allRecords().at(-1)?.dynamodb?.SequenceNumber;
    write(['lost-1', 'lost-2']);
    stream.advance(25 * 3_600_000); // the runner was down for more than the 24-hour retention
    write(['kept-1', 'kept-2']);
    const { progress, gaps } = await run();
    expect(handled).toEqual(['a', 'b', 'c', 'kept-1', 'kept-2']);
    expect(progress.retentionGaps).toBe(1);
    // The handler is told of the gap (a shard watermark needs it) in an empty batch before
    // the first record after it, once.
    expect(told).toEqual(['no gap', 'CheckpointTrimmed', 'no gap']);
    write(['after']);
    await run();
    expect(told.at(-1)).toBe('no gap');
    expect(gaps).toEqual([
      {
        shardId: stream.shards[0]?.id,
        reason: 'CheckpointTrimmed',
        afterSequenceNumber: checkpoint,
      },
    ]);
  });

  it('rides out throttling, expired iterators and empty pages before data', async () => {
    const { stream, handled, run, write } = await setUp();
    for (let index = 0; index < 6; index++)
      stream.write(recordOf('orders#a', `r${index}`), 'orders#a', index % 3);
    stream.throttle(4);
    const first = run();
    stream.expireIterators();
    await first;
    write(['after']);
    stream.expireIterators();
    stream.throttle(2);
    await run();
    expect(handled).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'after']);
    expect(stream.stats).toMatchObject({ throttled: 6, emptyPages: expect.any(Number) });
    expect(stream.stats.emptyPages).toBeGreaterThanOrEqual(6);
  });

  it('rides out DynamoDB unreachable when it starts (ECONNREFUSED on its first calls)', async () => {
    const { handled, run, write } = await setUp();
    write(['x', 'y']);
    let refusals = 3;
    const flaky = interceptSend(dynamoDBClient, async (command, send) => {
      if (refusals-- > 0) {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), {
          code: 'ECONNREFUSED',
        });
      }
      return send(command);
    });
    await run({ client: flaky });
    expect(refusals).toBeLessThan(0);
    expect(handled).toEqual(['x', 'y']);
  });
});
