import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { counters, sourceEventStores } from '../../src/example/counters.js';
import {
  createCheckpointTable,
  drainDeadLetterQueue,
  type FailedRecords,
  type LambdaStreamFailureMessage,
  StreamRunner,
} from '../../src/streamRunner/index.js';
import { runCli } from '../support/cli.js';
import { asLambdaWritesIt } from '../support/deadLetters.js';
import { dynamoDBEndpoint, useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { FakeSqsQueue } from '../support/fakeSqsQueue.js';
import { labelOf, recordOf } from '../support/simulatedRunner.js';
import { SimulatedStream } from '../support/simulatedStreams.js';

const {
  client: dynamoDBClient,
  streamsClient,
  uniqueTableName,
  createTestEventTable,
  createTestCountsTable,
} = useDynamoDB();
let queue: FakeSqsQueue;
let sqsClient: SQSClient;
const newQueue = async () => {
  queue = await FakeSqsQueue.start();
  sqsClient = new SQSClient({
    endpoint: new URL(queue.url).origin,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
};
afterEach(async () => {
  sqsClient.destroy();
  await queue.close();
});

const ordersStore = makeOrdersStore();
const COUNTRIES = ['FR', 'FR', 'DE', 'FR', 'IT', 'DE'];

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
type Projection = Awaited<ReturnType<typeof newProjection>>;
const countsOf = (projection: Projection) =>
  projection.getCounts(['FR', 'DE', 'IT'].map((key) => ({ counterName: 'orders', key })));

/**
 * Orders placed on DynamoDB Local, read by a consumer whose every attempt fails: the stream
 * ends in dead letters of 2 records each, kept as Lambda writes them to its on-failure queue.
 */
const deadLetterMessages = async (): Promise<string[]> => {
  const eventTable = await createTestEventTable();
  const adapter = new DynamoDBSingleTableEventStorageAdapter({
    tableName: eventTable,
    dynamoDBClient,
  });
  for (const [index, country] of COUNTRIES.entries())
    await adapter.pushEvent(
      {
        aggregateId: `o${index}`,
        version: 1,
        type: 'ORDER_PLACED',
        payload: { customerId: 'c', country, quantity: 1 },
      },
      { eventStoreId: 'orders' },
    );
  const deadLetters: FailedRecords[] = [];
  const checkpointTableName = uniqueTableName('checkpoints');
  await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
  await new StreamRunner({
    dynamoDBClient,
    streamsClient,
    tableName: eventTable,
    checkpointTableName,
    batchSize: 2,
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
  const { Table } = await dynamoDBClient.send(new DescribeTableCommand({ TableName: eventTable }));
  const streamArn = Table?.LatestStreamArn as string;
  return deadLetters.map(({ shardId, records }) =>
    JSON.stringify(asLambdaWritesIt(records, { shardId, streamArn })),
  );
};

describe('draining the on-failure queue (DynamoDB Local stream, fake SQS queue)', () => {
  it('counts every message exactly and deletes each only after its records were counted', async () => {
    await newQueue();
    const messages = await deadLetterMessages();
    expect(messages).toHaveLength(3);
    const ids = messages.map((body) => queue.send(body));
    queue.send(messages[1] as string); // Lambda's destination delivers at least once
    const projection = await newProjection();
    const inQueueWhileCounting: boolean[] = [];
    const result = await drainDeadLetterQueue({
      sqsClient,
      queueUrl: queue.url,
      streamsClient,
      waitTimeSeconds: 0,
      handler: (records) => {
        inQueueWhileCounting.push(queue.messages.length > 0);
        return projection.processRecords(records);
      },
    });

    expect(result).toEqual({ deleted: 4, replayed: 8, stoppedAt: undefined });
    expect(queue.messages).toEqual([]);
    expect(await countsOf(projection)).toEqual([3, 2, 1]);
    expect(inQueueWhileCounting).toEqual([true, true, true, true]);
    // Each message received, then deleted; one at a time.
    expect(queue.calls.slice(0, 6)).toEqual(
      ids.flatMap((messageId) => [
        { action: 'ReceiveMessage', messageId },
        { action: 'DeleteMessage', messageId },
      ]),
    );
  });

  it('stops at a message whose records still fail, keeps it visible in the queue, and empties it once fixed', async () => {
    await newQueue();
    const [first, second, third] = await deadLetterMessages();
    queue.send(first as string);
    const failing = queue.send(second as string);
    queue.send(third as string);
    const projection = await newProjection();
    const { startSequenceNumber } = (JSON.parse(second as string) as LambdaStreamFailureMessage)
      .DDBStreamBatchInfo;
    let broken = true;
    const drain = () =>
      drainDeadLetterQueue({
        sqsClient,
        queueUrl: queue.url,
        streamsClient,
        waitTimeSeconds: 0,
        handler: async (records) => {
          if (broken && records[0]?.dynamodb?.SequenceNumber === startSequenceNumber)
            return { batchItemFailures: [{ itemIdentifier: startSequenceNumber }] };
          return projection.processRecords(records);
        },
      });

    const stopped = await drain();
    expect(stopped).toMatchObject({
      deleted: 1,
      replayed: 2,
      stoppedAt: { reason: 'failed', messageId: failing, replay: { failedAt: expect.any(String) } },
    });
    expect(queue.messages.map(({ messageId }) => messageId)).toContain(failing);
    expect(queue.messages).toHaveLength(2);
    expect(queue.messages.every(({ visibleAtMs }) => visibleAtMs <= Date.now())).toBe(true);
    expect(await countsOf(projection)).toEqual([2, 0, 0]);

    broken = false;
    expect(await drain()).toEqual({ deleted: 2, replayed: 4, stoppedAt: undefined });
    expect(await countsOf(projection)).toEqual([3, 2, 1]);
  });

  it('stops at a message that is not a dead letter and keeps it', async () => {
    await newQueue();
    const id = queue.send('{"hello":"world"}');
    const result = await drainDeadLetterQueue({
      sqsClient,
      queueUrl: queue.url,
      streamsClient,
      waitTimeSeconds: 0,
      handler: () => Promise.reject(new Error('never called')),
    });
    expect(result).toMatchObject({
      deleted: 0,
      stoppedAt: { reason: 'invalid', messageId: id, error: { code: 'InvalidDeadLetter' } },
    });
    expect(queue.messages).toMatchObject([{ messageId: id, receiveCount: 1 }]);
  });

  it('drains with the CLI as an operator runs it: exit 0 when emptied, 1 at a message it cannot read', async () => {
    await newQueue();
    const messages = await deadLetterMessages();
    for (const body of messages) queue.send(body);
    const countsTable = await createTestCountsTable();
    const replay = (...extra: string[]) =>
      runCli([
        'replay',
        '--counters',
        'src/example/counters.ts',
        '--counts-table',
        countsTable,
        '--queue-url',
        queue.url,
        '--endpoint',
        dynamoDBEndpoint(),
        ...extra,
      ]);

    const drained = await replay();
    expect(drained.stderr).toBe('');
    expect(drained.code).toBe(0);
    expect(drained.stdout).toMatch(
      /^Message [\w-]+: Replayed 2 of the 2 records of shard .+\. Deleted\.$/m,
    );
    expect(drained.stdout).toMatch(
      /^3 messages replayed \(6 records\) and deleted from the queue\.$/m,
    );
    expect(queue.messages).toEqual([]);
    const example = new CounterProjection({
      dynamoDBClient,
      countsTableName: countsTable,
      sourceEventStores,
      counters,
    });
    expect(await example.getCount('ordersByCountry', 'FR')).toBe(3);
    expect(await example.getCount('ordersByCountry', 'DE')).toBe(2);

    const id = queue.send('not a dead letter');
    const stopped = await replay();
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain(`Message ${id} is not a dead letter of a stream`);
    expect(queue.messages).toHaveLength(1);

    const neither = await runCli([
      'replay',
      '--counters',
      'src/example/counters.ts',
      '--counts-table',
      countsTable,
    ]);
    expect(neither.code).not.toBe(0);
    expect(neither.stderr).toMatch(
      /needs one of --message FILE .*, --queue-url URL .* or --dead-letter-bucket NAME/,
    );
  });
});

describe('draining messages past the retention (simulated Streams API: DynamoDB Local never trims; fake SQS queue)', () => {
  it('stops with the records lost, replays what remains of them, and keeps the message', async () => {
    await newQueue();
    const stream = new SimulatedStream();
    const write = (label: string) => stream.write(recordOf('orders#a', label), 'orders#a').record;
    const lostBatch = [write('a'), write('b')];
    const shardId = stream.shards[0]?.id as string;
    const streamArn =
      'arn:aws:dynamodb:eu-west-1:123456789012:table/events/stream/2026-01-01T00:00:00.000';
    const old = queue.send(JSON.stringify(asLambdaWritesIt(lostBatch, { shardId, streamArn })));
    stream.advance(25 * 3_600_000); // a and b are past the 24-hour retention
    queue.send(JSON.stringify(asLambdaWritesIt([write('c')], { shardId, streamArn })));
    const replayed: string[] = [];
    const result = await drainDeadLetterQueue({
      sqsClient,
      queueUrl: queue.url,
      streamsClient: stream.client(),
      waitTimeSeconds: 0,
      handler: async (records) => void replayed.push(...records.map(labelOf)),
    });
    expect(result).toMatchObject({
      deleted: 0,
      stoppedAt: { reason: 'lost', messageId: old, replay: { expected: 2, lost: 2 } },
    });
    expect(queue.messages.map(({ messageId }) => messageId)[0]).toBe(old);
    expect(queue.messages).toHaveLength(2);
    expect(replayed).toEqual([]);
  });
});
