import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type {
  _Record as StreamsApiRecord,
  DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import { beforeAll, describe, expect, it } from 'vitest';

import { reactionsStreamFilter } from '../../src/entries/reactions.js';
import { countingStreamFilter } from '../../src/index.js';
import {
  createCheckpointTable,
  replayDeadLetter,
  StreamRunner,
  streamStatus,
} from '../../src/streamRunner/index.js';
import { asLambdaWritesIt } from '../support/deadLetters.js';
import { makeStreamsClient, useDynamoDB } from '../support/dynamoDB.js';
import { labelOf, recordOf, simulatedRunner } from '../support/simulatedRunner.js';
import { SimulatedStream } from '../support/simulatedStreams.js';

const { client: dynamoDBClient, uniqueTableName, createTestEventTable } = useDynamoDB();
let tableName: string;
beforeAll(async () => {
  tableName = await createTestEventTable(); // the runner finds its stream ARN there
});

const STREAM_ARN =
  'arn:aws:dynamodb:eu-west-1:123456789012:table/events/stream/2026-01-01T00:00:00.000';
const HOUR = 3_600_000;

/** A record the projection's mapping never delivers (its filter keeps INSERTs only). */
const modifyOf = (partitionKey: string, label: string): StreamsApiRecord => ({
  ...recordOf(partitionKey, label),
  eventName: 'MODIFY',
});

/** A stream whose shard interleaves the batch's INSERTs with MODIFYs the mapping dropped. */
const filteredStream = () => {
  const stream = new SimulatedStream();
  const write = (record: StreamsApiRecord, emptyPagesBefore = 0) =>
    stream.write(record, 'orders#a', emptyPagesBefore).record;
  return { stream, write, shardId: stream.shards[0]?.id as string };
};

const replayWith = (
  stream: SimulatedStream,
  message: unknown,
  options: { filter?: typeof countingStreamFilter | typeof reactionsStreamFilter } = {},
) => {
  const replayed: string[] = [];
  const result = replayDeadLetter({
    streamsClient: stream.client(),
    handler: async (records) => void replayed.push(...records.map(labelOf)),
    deadLetter: JSON.stringify(message),
    ...options,
  });
  return { result, replayed };
};

describe('replaying a dead letter of a filtered mapping (simulated Streams API: DynamoDB Local never trims)', () => {
  it('replays only what the mapping delivered, and reports the trimmed first record lost though the range holds as many records as the batch', async () => {
    const { stream, write, shardId } = filteredStream();
    const a = write(recordOf('orders#a', 'a'));
    write(modifyOf('orders#a', 'dropped-1'));
    stream.advance(2 * HOUR);
    write(modifyOf('orders#a', 'dropped-2'));
    const b = write(recordOf('orders#a', 'b'));
    const c = write(recordOf('orders#a', 'c'));
    const message = asLambdaWritesIt([a, b, c], { shardId, streamArn: STREAM_ARN });

    const whole = replayWith(stream, message, { filter: countingStreamFilter });
    expect(await whole.result).toMatchObject({ expected: 3, replayed: 3, lost: 0 });
    expect(whole.replayed).toEqual(['a', 'b', 'c']);

    stream.advance(23 * HOUR); // a and dropped-1 are past the retention: 3 records remain in range
    const trimmed = replayWith(stream, message, { filter: countingStreamFilter });
    expect(await trimmed.result).toMatchObject({ expected: 3, replayed: 2, lost: 1 });
    expect(trimmed.replayed).toEqual(['b', 'c']);
    // Without the mapping's filter the count cannot be proven, but the first record is gone.
    expect(await replayWith(stream, message).result).toMatchObject({ lost: 1 });
  });

  it("reads past AWS's empty pages until the batch's last record, and gives up only as an error", async () => {
    const { stream, write, shardId } = filteredStream();
    const a = write(recordOf('orders#a', 'a'));
    const b = write(recordOf('orders#a', 'b'), 5); // five empty pages before it
    const message = asLambdaWritesIt([a, b], { shardId, streamArn: STREAM_ARN });
    const replay = replayWith(stream, message);
    expect(await replay.result).toMatchObject({ replayed: 2, lost: 0, failedAt: undefined });
    expect(replay.replayed).toEqual(['a', 'b']);

    await expect(
      replayDeadLetter({
        streamsClient: stream.client(),
        handler: async () => undefined,
        deadLetter: message,
        maxReads: 3,
      }),
    ).rejects.toMatchObject({ code: 'ReplayIncomplete', reason: 'EndNotReached' });
  });

  it('rides out throttling of its reads', async () => {
    const { stream, write, shardId } = filteredStream();
    const a = write(recordOf('orders#a', 'a'));
    stream.throttle(4);
    const replay = replayWith(stream, asLambdaWritesIt([a], { shardId, streamArn: STREAM_ARN }));
    expect(await replay.result).toMatchObject({ replayed: 1, lost: 0 });
    expect(stream.stats.throttled).toBe(4);
  });

  it("refuses a message the handler's filter or stream does not fit, instead of deleting it with nothing counted", async () => {
    const { stream, write, shardId } = filteredStream();
    const a = write(recordOf('orders#a', 'a'));
    const b = write(recordOf('orders#a', 'b'));
    const message = asLambdaWritesIt([a, b], { shardId, streamArn: STREAM_ARN });
    // The projection's message replayed with the reactions' filter: no record is a total,
    // though the range holds as many records as the batch.
    await expect(
      replayWith(stream, message, { filter: reactionsStreamFilter }).result,
    ).rejects.toMatchObject({ code: 'ReplayIncomplete', reason: 'BatchMismatch' });
    await expect(
      replayDeadLetter({
        streamsClient: stream.client(),
        handler: async () => undefined,
        deadLetter: message,
        streamArn: STREAM_ARN.replace('table/events', 'table/counts'),
      }),
    ).rejects.toMatchObject({ code: 'InvalidDeadLetter' });
    // A stream in another region than the client's: unreachable, not "all lost".
    const otherRegion = Object.assign(stream.client(), {
      config: { region: async () => 'us-east-1' },
    }) as DynamoDBStreamsClient;
    await expect(
      replayDeadLetter({
        streamsClient: otherRegion,
        handler: async () => undefined,
        deadLetter: message,
        filter: countingStreamFilter,
      }),
    ).rejects.toMatchObject({ code: 'ReplayIncomplete', reason: 'StreamUnreachable' });
  });
});

describe('LATEST starts (simulated Streams API: its clock is AWS’s)', () => {
  const setUp = async () => {
    const stream = new SimulatedStream();
    const checkpointTableName = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
    const handled: string[] = [];
    const run = async (clock: () => Date = stream.clock) => {
      const { runner, gaps } = simulatedRunner({
        stream,
        dynamoDBClient,
        tableName,
        checkpointTableName,
        startingPosition: 'LATEST',
        clock,
        handler: async (records: StreamsApiRecord[]) => void handled.push(...records.map(labelOf)),
      });
      await runner.run({ untilCaughtUp: true });
      return gaps;
    };
    return { stream, handled, run, checkpointTableName };
  };

  it("handles a record written after the start when the host's clock is ahead of AWS's and the start falls in a minute's first second", async () => {
    const { stream, handled, run } = await setUp();
    stream.now = Date.UTC(2026, 0, 1, 10, 0, 0, 500) - 1_000; // AWS: 09:59:59.5
    const hostAheadBy = (ms: number) => () => new Date(stream.now + ms);
    await run(hostAheadBy(1_000)); // the host says 10:00:00.5
    stream.write(recordOf('orders#a', 'after-start'), 'orders#a'); // stamped 09:59:59
    stream.advance(16 * 60_000); // LATEST's saved iterator has expired
    await run(hostAheadBy(1_000));
    expect(handled).toEqual(['after-start']);
  });

  it('reports no retention gap when an idle LATEST iterator expires, and one once the start is past the retention', async () => {
    const { stream, run } = await setUp();
    await run();
    stream.advance(16 * 60_000);
    expect(await run()).toEqual([]);
    stream.advance(25 * HOUR);
    expect(await run()).toEqual([expect.objectContaining({ reason: 'LatestIteratorExpired' })]);
  });

  it('status of a LATEST consumer that handled nothing counts only what was written after its start', async () => {
    const { stream, run, checkpointTableName } = await setUp();
    stream.write(recordOf('orders#a', 'long-before'), 'orders#a');
    stream.advance(HOUR);
    await run();
    stream.advance(20 * 60_000); // its iterator expired: status reads as the runner would
    stream.write(recordOf('orders#a', 'after'), 'orders#a');
    stream.advance(10_000);
    const [consumer] = await streamStatus({
      dynamoDBClient,
      streamsClient: stream.client(),
      tableName,
      checkpointTableName,
      clock: stream.clock,
    });
    expect(consumer?.shards[0]).toMatchObject({
      recordsBehind: { count: 1, atLeast: false },
      lagMs: 10_000,
    });
  });

  it('status reads a closed shard to its end, past empty pages', async () => {
    const { stream, checkpointTableName } = await setUp();
    const shardId = stream.shards[0]?.id as string;
    stream.write(recordOf('orders#a', 'a'), 'orders#a', 4);
    stream.rollover(shardId);
    // A consumer named but with no checkpoint yet: everything of the shard is behind.
    const [consumer] = await streamStatus({
      dynamoDBClient,
      streamsClient: stream.client(),
      tableName,
      checkpointTableName,
      consumerName: 'idle',
      clock: stream.clock,
    });
    expect(consumer?.shards.find((s) => s.shardId === shardId)).toMatchObject({
      open: false,
      recordsBehind: { count: 1, atLeast: false },
    });
  });
});

describe('status of a LATEST consumer on DynamoDB Local', () => {
  it('reports nothing behind and no lag when nothing was written since its start', async () => {
    const streamsClient = makeStreamsClient();
    try {
      const eventTable = await createTestEventTable();
      const checkpointTableName = uniqueTableName('checkpoints');
      await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
      for (const version of [1, 2, 3])
        await dynamoDBClient.send(
          new PutItemCommand({
            TableName: eventTable,
            Item: { aggregateId: { S: 'orders#o1' }, version: { N: String(version) } },
          }),
        );
      await new StreamRunner({
        dynamoDBClient,
        streamsClient,
        tableName: eventTable,
        checkpointTableName,
        startingPosition: 'LATEST',
        pollIntervalMs: 10,
        stopOnSignals: false,
        handler: async () => undefined,
      }).run({ untilCaughtUp: true });
      const [consumer] = await streamStatus({
        dynamoDBClient,
        streamsClient,
        tableName: eventTable,
        checkpointTableName,
      });
      expect(consumer?.lagMs).toBe(0);
      expect(consumer?.shards[0]?.recordsBehind).toEqual({ count: 0, atLeast: false });
    } finally {
      streamsClient.destroy();
    }
  });
});
