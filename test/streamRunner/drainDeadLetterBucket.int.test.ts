import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { counters, sourceEventStores } from '../../src/example/counters.js';
import {
  createCheckpointTable,
  drainDeadLetterBucket,
  type FailedRecords,
  StreamRunner,
} from '../../src/streamRunner/index.js';
import { runCli } from '../support/cli.js';
import { asLambdaWritesItToS3 } from '../support/deadLetters.js';
import { dynamoDBEndpoint, useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { FakeS3Bucket } from '../support/fakeS3Bucket.js';

const {
  client: dynamoDBClient,
  streamsClient,
  uniqueTableName,
  createTestEventTable,
  createTestCountsTable,
} = useDynamoDB();
let bucket: FakeS3Bucket;
let s3Client: S3Client;
const newBucket = async (settings: { pageSize?: number } = {}) => {
  bucket = await FakeS3Bucket.start(settings);
  s3Client = bucket.client();
};
afterEach(async () => {
  s3Client.destroy();
  await bucket.close();
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
 * ends in dead letters of 2 records each, kept as Lambda writes them to an S3 destination,
 * a minute apart. Then the event table is deleted, its stream with it: the records are now
 * only in the objects.
 */
const deadLetterObjects = async (): Promise<{ key: string; body: string; at: Date }[]> => {
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
    handler: async (records) => {
      if (records.length > 0) throw new Error('the counts table was unreachable');
    },
    onFailure: (failed) => void deadLetters.push(failed),
  }).run({ untilCaughtUp: true });
  const { Table } = await dynamoDBClient.send(new DescribeTableCommand({ TableName: eventTable }));
  await dynamoDBClient.send(new DeleteTableCommand({ TableName: eventTable }));
  const start = Date.parse('2026-03-01T10:00:00Z');
  return deadLetters.map(({ shardId, records }, index) => {
    const at = new Date(start + index * 60_000);
    const streamArn = Table?.LatestStreamArn as string;
    return { ...asLambdaWritesItToS3(records, { shardId, streamArn, at }), at };
  });
};

describe('draining the S3 on-failure destination (DynamoDB Local, its stream deleted; fake S3 bucket)', () => {
  it('counts every object exactly, oldest first, from no stream, and deletes each only after its records were counted', async () => {
    await newBucket({ pageSize: 2 }); // the listing comes in pages
    const objects = await deadLetterObjects();
    expect(objects).toHaveLength(3);
    // Listed in key order, which is not the order they were written in: the oldest last.
    const [first, second, third] = objects.map(({ key }) => key) as [string, string, string];
    const [a, b, c] = objects.map(({ body }) => body) as [string, string, string];
    const minutes = (n: number) => new Date(Date.parse('2026-03-01T10:00:00Z') + n * 60_000);
    bucket.put(`${third}-z`, a, minutes(0));
    bucket.put(`${first}-y`, b, minutes(1));
    bucket.put(`${second}-a`, c, minutes(2));
    // Lambda's destination delivers at least once: the same batch twice, later.
    bucket.put(`${first}-b`, b, minutes(3));
    const projection = await newProjection();
    const inBucketWhileCounting: number[] = [];
    const result = await drainDeadLetterBucket({
      s3Client,
      bucket: bucket.name,
      handler: (records) => {
        inBucketWhileCounting.push(bucket.objects.size);
        return projection.processRecords(records);
      },
    });

    expect(result).toEqual({ deleted: 4, replayed: 8, stoppedAt: undefined });
    expect(bucket.objects.size).toBe(0);
    expect(await countsOf(projection)).toEqual([3, 2, 1]);
    expect(inBucketWhileCounting).toEqual([4, 3, 2, 1]);
    // Each object read, then deleted, oldest first; the bucket listed again at the end.
    const order = [`${third}-z`, `${first}-y`, `${second}-a`, `${first}-b`];
    expect(bucket.calls.filter(({ action }) => action !== 'ListObjectsV2')).toEqual(
      order.flatMap((key) => [
        { action: 'GetObject', key },
        { action: 'DeleteObject', key },
      ]),
    );
    expect(bucket.calls.at(-1)).toEqual({ action: 'ListObjectsV2' });
  });

  it('counts nothing twice after a drain interrupted between a replay and its delete', async () => {
    await newBucket();
    const objects = await deadLetterObjects();
    for (const { key, body, at } of objects) bucket.put(key, body, at);
    const projection = await newProjection();
    const drain = () =>
      drainDeadLetterBucket({
        s3Client,
        bucket: bucket.name,
        handler: (records) => projection.processRecords(records),
      });
    bucket.refuseDeletes = 1;
    await expect(drain()).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(bucket.objects.size).toBe(3);
    expect(await countsOf(projection)).toEqual([2, 0, 0]); // the first object's records

    expect(await drain()).toEqual({ deleted: 3, replayed: 6, stoppedAt: undefined });
    expect(await countsOf(projection)).toEqual([3, 2, 1]);
  });

  it('stops at an object whose records still fail, keeps it, and empties the bucket once fixed', async () => {
    await newBucket();
    const objects = await deadLetterObjects();
    for (const { key, body, at } of objects) bucket.put(key, body, at);
    const failing = objects[1] as (typeof objects)[0];
    const projection = await newProjection();
    const failingFirst = JSON.parse(failing.body).DDBStreamBatchInfo.startSequenceNumber as string;
    let broken = true;
    const replayed: string[] = [];
    const drain = () =>
      drainDeadLetterBucket({
        s3Client,
        bucket: bucket.name,
        handler: async (records) => {
          if (broken && records[0]?.dynamodb?.SequenceNumber === failingFirst)
            return { batchItemFailures: [{ itemIdentifier: failingFirst }] };
          return projection.processRecords(records);
        },
        onObject: ({ key, deleted }) => replayed.push(`${key}:${deleted}`),
      });

    expect(await drain()).toMatchObject({
      deleted: 1,
      replayed: 2,
      stoppedAt: { reason: 'failed', key: failing.key, replay: { failedAt: failingFirst } },
    });
    expect([...bucket.objects.keys()].sort()).toEqual([failing.key, objects[2]?.key].sort());
    expect(replayed).toEqual([`${objects[0]?.key}:true`, `${failing.key}:false`]);
    expect(await countsOf(projection)).toEqual([2, 0, 0]);

    broken = false;
    expect(await drain()).toEqual({ deleted: 2, replayed: 4, stoppedAt: undefined });
    expect(await countsOf(projection)).toEqual([3, 2, 1]);
  });

  it('stops at an object that is not a dead letter, or of another stream, and keeps it', async () => {
    await newBucket();
    const [object] = await deadLetterObjects();
    const { key, body } = object as { key: string; body: string };
    bucket.put('aws/lambda/notes.txt', 'not a dead letter', new Date(0));
    const never = () => Promise.reject(new Error('never called'));
    expect(
      await drainDeadLetterBucket({ s3Client, bucket: bucket.name, handler: never }),
    ).toMatchObject({
      deleted: 0,
      stoppedAt: {
        reason: 'invalid',
        key: 'aws/lambda/notes.txt',
        error: { code: 'InvalidDeadLetter' },
      },
    });
    // Another prefix than Lambda's is not read, unless given.
    bucket.objects.clear();
    bucket.put(`elsewhere/${key}`, body);
    const otherStream = 'arn:aws:dynamodb:ddblocal:000000000000:table/counts/stream/x';
    expect(await drainDeadLetterBucket({ s3Client, bucket: bucket.name, handler: never })).toEqual({
      deleted: 0,
      replayed: 0,
      stoppedAt: undefined,
    });
    expect(
      await drainDeadLetterBucket({
        s3Client,
        bucket: bucket.name,
        prefix: 'elsewhere/',
        streamArn: otherStream,
        handler: never,
      }),
    ).toMatchObject({ stoppedAt: { reason: 'invalid', key: `elsewhere/${key}` } });
    expect(bucket.objects.size).toBe(1);
  });

  it('drains with the CLI as an operator runs it: the same lines and exit codes as the queue’s', async () => {
    await newBucket();
    const objects = await deadLetterObjects();
    for (const { key, body, at } of objects) bucket.put(key, body, at);
    const countsTable = await createTestCountsTable();
    const replay = (...extra: string[]) =>
      runCli(
        [
          'replay',
          '--counters',
          'src/example/counters.ts',
          '--counts-table',
          countsTable,
          '--dead-letter-bucket',
          bucket.name,
          '--endpoint',
          dynamoDBEndpoint(),
          ...extra,
        ],
        // S3's endpoint as the SDK reads it (the fake bucket's); no credentials: placeholders.
        {
          ...process.env,
          AWS_ENDPOINT_URL_S3: bucket.endpoint,
          AWS_ACCESS_KEY_ID: undefined,
          AWS_PROFILE: undefined,
        },
      );

    const drained = await replay('--max-messages', '2');
    expect(drained.stderr).toBe('');
    expect(drained.code).toBe(0);
    expect(drained.stdout).toMatch(
      /^Object aws\/lambda\/\S+: Replayed 2 of the 2 records of shard .+\. Deleted\.$/m,
    );
    expect(drained.stdout).toMatch(
      /^2 objects replayed \(4 records\) and deleted from the bucket\.$/m,
    );
    expect(bucket.objects.size).toBe(1);
    expect((await replay()).stdout).toMatch(/^1 objects replayed \(2 records\)/m);
    const example = new CounterProjection({
      dynamoDBClient,
      countsTableName: countsTable,
      sourceEventStores,
      counters,
    });
    expect(await example.getCount('ordersByCountry', 'FR')).toBe(3);
    expect(await example.getCount('ordersByCountry', 'DE')).toBe(2);

    bucket.put('aws/lambda/x/shard/2026/03/01/2026-03-01T10.00.00-x', 'not a dead letter');
    const stopped = await replay();
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain(
      'Object aws/lambda/x/shard/2026/03/01/2026-03-01T10.00.00-x is not a dead letter of a stream',
    );
    expect(bucket.objects.size).toBe(1);

    // One object saved to a file, replayed with --message: from its records, the stream gone.
    const folder = mkdtempSync(join(tmpdir(), 'counters-'));
    try {
      const file = join(folder, 'object.json');
      writeFileSync(file, objects[0]?.body as string);
      const fresh = await createTestCountsTable();
      const one = await runCli([
        'replay',
        '--counters',
        'src/example/counters.ts',
        '--counts-table',
        fresh,
        '--message',
        file,
        '--endpoint',
        dynamoDBEndpoint(),
      ]);
      expect(one.stderr).toBe('');
      expect(one.stdout).toMatch(/^Replayed 2 of the 2 records of shard .+\.\n$/);
      expect(one.code).toBe(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }

    const both = await replay('--queue-url', 'http://127.0.0.1:1/000000000000/q');
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(
      /needs one of --message FILE .*, --queue-url URL .* or --dead-letter-bucket NAME/,
    );
  });
});
