import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import { beforeAll, describe, expect, it } from 'vitest';

import { createCheckpointTable, StreamRunner, streamStatus } from '../../src/streamRunner/index.js';
import { runCli } from '../support/cli.js';
import { dynamoDBEndpoint, makeStreamsClient, useDynamoDB } from '../support/dynamoDB.js';
import { recordOf, simulatedRunner } from '../support/simulatedRunner.js';
import { SimulatedStream } from '../support/simulatedStreams.js';

const { client: dynamoDBClient, uniqueTableName, createTestEventTable } = useDynamoDB();
let tableName: string;
beforeAll(async () => {
  tableName = await createTestEventTable();
});

describe('status on closed and open shards (simulated Streams API: DynamoDB Local never closes a shard)', () => {
  it('reports a finished closed shard, and an open one with the records behind and how long they wait', async () => {
    const stream = new SimulatedStream();
    const checkpointTableName = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
    const write = (labels: string[]) =>
      labels.forEach((label) => stream.write(recordOf('orders#a', label), 'orders#a'));
    write(['a', 'b']);
    stream.rollover(stream.openShards()[0]?.id as string);
    write(['c', 'd']);
    const { runner } = simulatedRunner({
      stream,
      dynamoDBClient,
      tableName,
      checkpointTableName,
      consumerName: 'counts',
      handler: async () => undefined,
    });
    await runner.run({ untilCaughtUp: true });
    stream.advance(60_000);
    write(['e', 'f', 'g']); // written at +60 s, seen at +90 s: 30 s waiting
    stream.advance(30_000);

    const status = await streamStatus({
      dynamoDBClient,
      streamsClient: stream.client(),
      tableName,
      checkpointTableName,
      clock: stream.clock,
    });
    const [closed, open] = stream.shards;
    expect(status).toEqual([
      {
        consumerName: 'counts',
        lagMs: 30_000,
        shards: [
          expect.objectContaining({
            shardId: closed?.id,
            open: false,
            finished: true,
            recordsBehind: { count: 0, atLeast: false },
            lagMs: 0,
          }),
          expect.objectContaining({
            shardId: open?.id,
            open: true,
            finished: false,
            checkpoint: open?.records[1]?.record.dynamodb?.SequenceNumber,
            recordsBehind: { count: 3, atLeast: false },
            lagMs: 30_000,
            newestHandledAgeMs: 90_000, // d, written at 0
            checkpointTrimmed: false,
          }),
        ],
      },
    ]);
    expect(
      (
        await streamStatus({
          dynamoDBClient,
          streamsClient: stream.client(),
          tableName,
          checkpointTableName,
          countUpTo: 2,
          clock: stream.clock,
        })
      )[0]?.shards[1]?.recordsBehind,
    ).toEqual({ count: 2, atLeast: true });

    stream.advance(25 * 3_600_000); // the consumer stopped past the 24-hour retention
    const trimmed = await streamStatus({
      dynamoDBClient,
      streamsClient: stream.client(),
      tableName,
      checkpointTableName,
      consumerName: 'counts',
      clock: stream.clock,
    });
    expect(trimmed[0]?.shards.find((shard) => shard.open)).toMatchObject({
      checkpointTrimmed: true,
      recordsBehind: undefined,
    });
  });
});

describe('status on DynamoDB Local', () => {
  it('reports a consumer that lags, and `status --max-lag` fails as a health check until it catches up', async () => {
    const streamsClient = makeStreamsClient();
    const eventTable = await createTestEventTable();
    const checkpointTable = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient, tableName: checkpointTable });
    const put = (version: number) =>
      dynamoDBClient.send(
        new PutItemCommand({
          TableName: eventTable,
          Item: { aggregateId: { S: 'orders#o1' }, version: { N: String(version) } },
        }),
      );
    const catchUp = () =>
      new StreamRunner({
        dynamoDBClient,
        streamsClient,
        tableName: eventTable,
        checkpointTableName: checkpointTable,
        consumerName: 'counts',
        pollIntervalMs: 10,
        stopOnSignals: false,
        handler: async (_: StreamsApiRecord[]) => undefined,
      }).run({ untilCaughtUp: true });
    for (const version of [1, 2, 3]) await put(version);
    await catchUp();
    for (const version of [4, 5]) await put(version);

    const [consumer] = await streamStatus({
      dynamoDBClient,
      streamsClient,
      tableName: eventTable,
      checkpointTableName: checkpointTable,
    });
    expect(consumer?.consumerName).toBe('counts');
    expect(consumer?.shards).toHaveLength(1);
    expect(consumer?.shards[0]).toMatchObject({
      open: true,
      recordsBehind: { count: 2, atLeast: false },
    });
    expect(consumer?.shards[0]?.checkpoint).toMatch(/^\d+$/);
    expect(consumer?.shards[0]?.newestHandledAgeMs).toBeGreaterThanOrEqual(0);

    const endpoint = dynamoDBEndpoint();
    const args = [
      'status',
      '--event-table',
      eventTable,
      '--checkpoint-table',
      checkpointTable,
      '--endpoint',
      endpoint,
    ];
    const lagging = await runCli([...args, '--max-lag', '0']);
    expect(lagging.code).toBe(2);
    expect(lagging.stdout).toMatch(/consumer counts: lag \d+ s LAGGING/);
    expect(lagging.stdout).toMatch(/ open, checkpoint \d+, behind 2, /);

    await catchUp();
    const healthy = await runCli([...args, '--max-lag', '0']);
    expect(healthy).toMatchObject({ code: 0, stderr: '' });
    expect(healthy.stdout).toMatch(/consumer counts: lag 0 s\n/);
    expect(healthy.stdout).toMatch(/ behind 0, /);
    streamsClient.destroy();
  });
});
