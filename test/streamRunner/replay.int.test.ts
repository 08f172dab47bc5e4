import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { counters, sourceEventStores } from '../../src/example/counters.js';
import {
  type BatchContext,
  createCheckpointTable,
  type FailedRecords,
  lambdaFailureMessage,
  type LambdaStreamFailureMessage,
  parseDeadLetter,
  replayDeadLetter,
  StreamRunner,
} from '../../src/streamRunner/index.js';
import { runCli } from '../support/cli.js';
import { asLambdaWritesIt } from '../support/deadLetters.js';
import { dynamoDBEndpoint, useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { labelOf, recordOf } from '../support/simulatedRunner.js';
import { SimulatedStream } from '../support/simulatedStreams.js';

const {
  client: dynamoDBClient,
  streamsClient,
  uniqueTableName,
  createTestEventTable,
  createTestCountsTable,
} = useDynamoDB();

const ordersStore = makeOrdersStore();

const newProjection = async () => {
  const countsTableName = await createTestCountsTable();
  return new CounterProjection({
    dynamoDBClient,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters: [
      counter({
        name: 'orders',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: (event) => event.payload.country,
      }),
    ],
    logger: { error: () => undefined },
  });
};

describe('replaying dead letters (DynamoDB Local)', () => {
  it("counts a dead-lettered batch exactly, from Lambda's on-failure message or the runner's payload, however often replayed", async () => {
    const eventTable = await createTestEventTable();
    const adapter = new DynamoDBSingleTableEventStorageAdapter({
      tableName: eventTable,
      dynamoDBClient,
    });
    const countries = ['FR', 'FR', 'DE', 'FR'];
    for (const [index, country] of countries.entries())
      await adapter.pushEvent(
        {
          aggregateId: `o${index}`,
          version: 1,
          type: 'ORDER_PLACED',
          payload: { customerId: 'c', country, quantity: 1 },
        },
        { eventStoreId: 'orders' },
      );
    // A consumer whose every attempt fails: the whole stream ends in its dead letter.
    const deadLetters: FailedRecords[] = [];
    const checkpointTableName = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
    await new StreamRunner({
      dynamoDBClient,
      streamsClient,
      tableName: eventTable,
      checkpointTableName,
      batchSize: 10,
      maximumRetryAttempts: 0,
      pollIntervalMs: 10,
      stopOnSignals: false,
      // Every batch fails; the runner's telling of each dead letter (an empty batch) is taken,
      // as a projection takes it, or the shard would hold there.
      handler: async (records) => {
        if (records.length > 0) throw new Error('the counts table was unreachable');
      },
      onFailure: (failed) => void deadLetters.push(failed),
    }).run({ untilCaughtUp: true });
    const deadRecords = deadLetters.flatMap(({ records }) => records);
    expect(deadRecords).toHaveLength(4);

    const { Table } = await dynamoDBClient.send(
      new DescribeTableCommand({ TableName: eventTable }),
    );
    const message = JSON.stringify(
      asLambdaWritesIt(deadRecords, {
        shardId: deadLetters[0]?.shardId as string,
        streamArn: Table?.LatestStreamArn as string,
      }),
    );
    // What the runner's onFailure can keep instead of the records: Lambda's very message.
    expect(
      lambdaFailureMessage({
        shardId: deadLetters[0]?.shardId as string,
        streamArn: Table?.LatestStreamArn as string,
        records: deadRecords,
      }).DDBStreamBatchInfo,
    ).toEqual((JSON.parse(message) as LambdaStreamFailureMessage).DDBStreamBatchInfo);
    const projection = await newProjection();
    const contexts: BatchContext[] = [];
    const replay = () =>
      replayDeadLetter({
        streamsClient,
        handler: (records, context) => {
          contexts.push(context);
          return projection.processRecords(records);
        },
        deadLetter: message,
      });
    expect(await replay()).toEqual({
      shardId: deadLetters[0]?.shardId,
      expected: 4,
      replayed: 4,
      lost: 0,
      failedAt: undefined,
    });
    // The handler is told it is a replay, and of which shard.
    expect(contexts).toEqual([{ shardId: deadLetters[0]?.shardId, delivery: 'replay' }]);
    expect(
      await projection.getCounts([
        { counterName: 'orders', key: 'FR' },
        { counterName: 'orders', key: 'DE' },
      ]),
    ).toEqual([3, 1]);
    await replay(); // replayed again (a message delivered twice): nothing counted twice
    for (const deadLetter of deadLetters)
      await replayDeadLetter({
        streamsClient,
        handler: (records) => projection.processRecords(records),
        deadLetter,
      });
    expect(
      await projection.getCounts([
        { counterName: 'orders', key: 'FR' },
        { counterName: 'orders', key: 'DE' },
      ]),
    ).toEqual([3, 1]);

    // The CLI, as an operator runs it on a message saved from the queue.
    const folder = mkdtempSync(join(tmpdir(), 'counters-'));
    try {
      const file = join(folder, 'message.json');
      writeFileSync(file, message);
      const cliCounts = await createTestCountsTable();
      const { code, stdout, stderr } = await runCli([
        'replay',
        '--counters',
        'src/example/counters.ts',
        '--counts-table',
        cliCounts,
        '--message',
        file,
        '--endpoint',
        dynamoDBEndpoint(),
      ]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toBe(`Replayed 4 of the 4 records of shard ${deadLetters[0]?.shardId}.\n`);
      const example = new CounterProjection({
        dynamoDBClient,
        countsTableName: cliCounts,
        sourceEventStores,
        counters,
      });
      expect(await example.getCount('ordersByCountry', 'FR')).toBe(3);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }

    // The runner's payload alone, into fresh counts.
    const fresh = await newProjection();
    for (const deadLetter of deadLetters)
      expect(
        await replayDeadLetter({
          streamsClient,
          handler: (records) => fresh.processRecords(records),
          deadLetter,
        }),
      ).toMatchObject({ replayed: deadLetter.records.length, lost: 0, failedAt: undefined });
    expect(
      await fresh.getCounts([
        { counterName: 'orders', key: 'FR' },
        { counterName: 'orders', key: 'DE' },
      ]),
    ).toEqual([3, 1]);
  });

  it('says where the replay failed when the handler still cannot count', async () => {
    const record = recordOf('orders#o1', 'x');
    const deadLetter = {
      shardId: 'shardId-1',
      records: [{ ...record, dynamodb: { ...record.dynamodb, SequenceNumber: '100' } }],
      error: new Error('x'),
    };
    const cause = new Error('the counts table cannot be read');
    const result = await replayDeadLetter({
      streamsClient,
      handler: async () => ({ batchItemFailures: [{ itemIdentifier: '100' }], error: cause }),
      deadLetter,
    });
    expect(result).toMatchObject({ replayed: 1, failedAt: '100' });
    // Why, as the handler said it (processRecords gives its error with the failure).
    expect(result.error).toBe(cause);
  });
});

describe('replaying past the retention (simulated Streams API: DynamoDB Local never trims)', () => {
  it('replays what the stream still holds and reports the rest as lost', async () => {
    const stream = new SimulatedStream();
    const write = (label: string) => stream.write(recordOf('orders#a', label), 'orders#a').record;
    const written = [write('a'), write('b')];
    stream.advance(23 * 3_600_000);
    written.push(write('c'), write('d'));
    write('after'); // written after the batch: not part of its dead letter
    const shardId = stream.shards[0]?.id as string;
    const message = asLambdaWritesIt(written, {
      shardId,
      streamArn:
        'arn:aws:dynamodb:eu-west-1:123456789012:table/events/stream/2026-01-01T00:00:00.000',
    });
    const replayed: string[] = [];
    const replay = () =>
      replayDeadLetter({
        streamsClient: stream.client(),
        handler: async (records) => void replayed.push(...records.map(labelOf)),
        deadLetter: message,
      });

    stream.advance(2 * 3_600_000); // a and b are now past the 24-hour retention
    expect(await replay()).toMatchObject({ expected: 4, replayed: 2, lost: 2 });
    expect(replayed).toEqual(['c', 'd']);

    stream.advance(24 * 3_600_000); // and now all of them
    expect(await replay()).toMatchObject({ expected: 4, replayed: 0, lost: 4 });
    expect(replayed).toEqual(['c', 'd']);
  });
});

describe('reading a dead letter', () => {
  it.each([
    ['not JSON', '{', 'not JSON'],
    ['an empty message', '{}', 'no DDBStreamBatchInfo'],
    [
      'no batch size',
      JSON.stringify({
        DDBStreamBatchInfo: {
          shardId: 's',
          streamArn: 'a',
          startSequenceNumber: '1',
          endSequenceNumber: '2',
        },
      }),
      'no batchSize',
    ],
    [
      'a sequence number that is not one',
      JSON.stringify({
        DDBStreamBatchInfo: {
          shardId: 's',
          streamArn: 'a',
          startSequenceNumber: '1e5',
          endSequenceNumber: '2',
          batchSize: 1,
        },
      }),
      'no startSequenceNumber',
    ],
    [
      'a range backwards',
      JSON.stringify({
        DDBStreamBatchInfo: {
          shardId: 's',
          streamArn: 'a',
          startSequenceNumber: '9',
          endSequenceNumber: '2',
          batchSize: 1,
        },
      }),
      'startSequenceNumber after endSequenceNumber',
    ],
  ])('refuses %s with InvalidDeadLetter', (_, body, reason) => {
    expect(() => parseDeadLetter(body)).toThrow(
      expect.objectContaining({
        code: 'InvalidDeadLetter',
        reason,
        value: expect.anything(),
      }),
    );
  });
});
