import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import type { StreamsApiRecord } from '../../src/imageParser/index.js';
import { drainDeadLetterBucket, type S3ClientLike } from '../../src/streamRunner/index.js';
import { eventRecord, sequenceNumberOf } from '../../src/testing/index.js';
import { asLambdaWritesItToS3 } from '../support/deadLetters.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { FakeS3Bucket } from '../support/fakeS3Bucket.js';

/*
 * Review of issue 34.2: the S3 drain against hostile or malformed objects, and the
 * exactly-once promise, on DynamoDB Local with the fake S3 bucket and a real S3Client.
 */

const { client: dynamoDBClient, createTestCountsTable } = useDynamoDB();
let bucket: FakeS3Bucket;
let s3Client: S3Client;
const newBucket = async () => {
  bucket = await FakeS3Bucket.start();
  s3Client = bucket.client();
};
afterEach(async () => {
  s3Client.destroy();
  await bucket.close();
});

const streamArn =
  'arn:aws:dynamodb:eu-west-1:123456789012:table/events/stream/2026-01-01T00:00:00.000';
const shardId = 'shardId-00000001767225600000-8a1b2c3d';
const ordersStore = makeOrdersStore();
const orders = (countries: string[], from = 0): StreamsApiRecord[] =>
  countries.map((country, index) =>
    eventRecord({
      eventStoreId: 'orders',
      sequenceNumber: sequenceNumberOf(from + index),
      event: {
        aggregateId: `o${from + index}`,
        version: 1,
        type: 'ORDER_PLACED',
        timestamp: '2026-01-01T00:00:00.000Z',
        payload: { customerId: 'c', country, quantity: 1 },
      },
    }),
  );

const newProjection = async (idempotency: 'refs' | 'shardWatermark' = 'refs') =>
  new CounterProjection({
    dynamoDBClient,
    countsTableName: await createTestCountsTable(),
    sourceEventStores: [ordersStore],
    counters: [
      counter({
        name: 'orders',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: (event) => event.payload.country,
        idempotency,
      }),
    ],
    logger: { error: () => undefined },
  });
type Projection = Awaited<ReturnType<typeof newProjection>>;
const countsOf = (projection: Projection) =>
  projection.getCounts(['FR', 'DE', 'IT'].map((key) => ({ counterName: 'orders', key })));
const drainOf = (projection: Projection, extra: Record<string, unknown> = {}) =>
  drainDeadLetterBucket({
    s3Client,
    bucket: bucket.name,
    streamArn,
    handler: (records, batch) => projection.processRecords(records, batch),
    ...extra,
  });

describe('review s3: the bucket drain (defects)', () => {
  it('keeps an object whose payload lacks its batch’s first record, instead of counting the rest and deleting it', async () => {
    await newBucket();
    const batch = orders(['FR', 'DE', 'IT']);
    const { key, body } = asLambdaWritesItToS3(batch, { shardId, streamArn });
    const document = JSON.parse(body);
    const event = JSON.parse(document.payload) as { Records: unknown[] };
    event.Records.shift(); // the FR record: the object still says start..end, batchSize 3
    document.payload = JSON.stringify(event);
    bucket.put(key, JSON.stringify(document));
    const projection = await newProjection();

    const result = await drainOf(projection);
    // Today: { deleted: 1, replayed: 2, stoppedAt: undefined }, counts [0, 1, 1], bucket empty:
    // the FR record is in no object any more, and the drain said every record was counted.
    expect(result.stoppedAt).toMatchObject({ reason: 'invalid', key });
    expect(bucket.objects.has(key)).toBe(true);
  });

  it('refuses an object in the runner’s onFailure shape ({shardId, records}): no stream to check, no batch bounds', async () => {
    await newBucket();
    // Records of any table, written by anyone who can put an object: no DDBStreamBatchInfo,
    // no eventSourceARN; the drain was told the stream (streamArn) and still counts them.
    const key = 'aws/lambda/a1b2c3d4-5678-90ab-cdef-0123456789ab/shard/2026/03/01/x';
    bucket.put(
      key,
      JSON.stringify({ shardId: 'shardId-of-another-table', records: orders(['FR', 'FR']) }),
    );
    const projection = await newProjection();

    const result = await drainOf(projection);
    // Today: counted (FR 2) and deleted, stoppedAt undefined.
    expect(result.stoppedAt).toMatchObject({
      reason: 'invalid',
      key,
      error: { code: 'InvalidDeadLetter' },
    });
    expect(await countsOf(projection)).toEqual([0, 0, 0]);
    expect(bucket.objects.has(key)).toBe(true);
  });

  it('does not delete the dead letter of another function’s mapping on the same stream (default prefix aws/lambda/)', async () => {
    await newBucket();
    const mine = asLambdaWritesItToS3(orders(['FR']), { shardId, streamArn });
    bucket.put(mine.key, mine.body, new Date('2026-03-01T10:00:00Z'));
    // Another function reads the same table's stream into the same bucket: its own mapping
    // UUID in the key, its own functionArn in requestContext.
    const theirs = asLambdaWritesItToS3(orders(['DE'], 5), { shardId, streamArn });
    const document = JSON.parse(theirs.body);
    document.requestContext.functionArn =
      'arn:aws:lambda:eu-west-1:123456789012:function:search-indexer';
    const theirKey = theirs.key.replace(
      /aws\/lambda\/[^/]+\//,
      'aws/lambda/ffffffff-0000-0000-0000-000000000000/',
    );
    bucket.put(theirKey, JSON.stringify(document), new Date('2026-03-01T10:01:00Z'));
    const projection = await newProjection();

    await drainOf(projection);
    // Today the drain replays it through this projection and deletes it: the search indexer's
    // only copy of its failed batch is gone (a previous version, expiring, in a versioned bucket).
    expect(bucket.objects.has(theirKey)).toBe(true);
  });

  it('refuses an object too large to be a Lambda invocation record with InvalidDeadLetter, before reading it', async () => {
    await newBucket();
    // Lambda's invocation payload is at most 6 MB; an object of gigabytes is no dead letter.
    // Simulated: S3 lists it at 3 GB and reading it as a string fails as V8 does past ~512 MB.
    const key = 'aws/lambda/a1b2c3d4-5678-90ab-cdef-0123456789ab/shard/2026/03/01/huge';
    const deletes: string[] = [];
    const client: S3ClientLike = {
      send: (async (command: { input: { Key?: string } }) => {
        if (command instanceof ListObjectsV2Command)
          return {
            Contents: [{ Key: key, LastModified: new Date(0), Size: 3 * 2 ** 30 }],
            IsTruncated: false,
          };
        if (command instanceof GetObjectCommand)
          return {
            ContentLength: 3 * 2 ** 30,
            Body: {
              transformToString: async () => {
                throw new RangeError('Invalid string length');
              },
            },
          };
        deletes.push(command.input.Key ?? '');
        return {};
      }) as never,
    };
    const projection = await newProjection();

    const result = await drainDeadLetterBucket({
      s3Client: client,
      bucket: 'b',
      streamArn,
      handler: (records, batch) => projection.processRecords(records, batch),
    }).catch((error: unknown) => ({ thrown: error }));
    // Today: the drain rejects with the RangeError (untyped), after buffering the whole object.
    expect(result).toMatchObject({
      stoppedAt: { reason: 'invalid', key, error: { code: 'InvalidDeadLetter' } },
    });
    expect(deletes).toEqual([]);
  });
});

describe('review s3: the bucket drain (what holds)', () => {
  it('skips an object deleted between the listing and its GetObject (real S3Client, NoSuchKey)', async () => {
    await newBucket();
    const a = asLambdaWritesItToS3(orders(['FR', 'DE']), { shardId, streamArn });
    const b = asLambdaWritesItToS3(orders(['IT'], 5), { shardId, streamArn });
    bucket.put(a.key, a.body, new Date('2026-03-01T10:00:00Z'));
    bucket.put(b.key, b.body, new Date('2026-03-01T10:01:00Z'));
    const projection = await newProjection();
    // Another drain takes b away right after this one listed it.
    const racing: S3ClientLike = {
      send: (async (command: object) => {
        const answer = await s3Client.send(command as never);
        if (command instanceof ListObjectsV2Command) bucket.objects.delete(b.key);
        return answer;
      }) as never,
    };
    expect(await drainOf(projection, { s3Client: racing })).toEqual({
      deleted: 1,
      replayed: 2,
      stoppedAt: undefined,
    });
    expect(await countsOf(projection)).toEqual([1, 1, 0]);
  });

  it('counts exactly once with two drains at once, and again after', async () => {
    await newBucket();
    for (let i = 0; i < 6; i += 1) {
      const o = asLambdaWritesItToS3(orders(['FR', 'DE', 'IT'], i * 10), { shardId, streamArn });
      bucket.put(o.key, o.body, new Date(Date.parse('2026-03-01T10:00:00Z') + i * 1000));
    }
    const projection = await newProjection();
    const [one, two] = await Promise.all([drainOf(projection), drainOf(projection)]);
    expect(one.stoppedAt).toBeUndefined();
    expect(two.stoppedAt).toBeUndefined();
    expect(bucket.objects.size).toBe(0);
    expect(await countsOf(projection)).toEqual([6, 6, 6]);
  });

  it('a shardWatermark counter: the replay marks it not exact and counts nothing through marks', async () => {
    await newBucket();
    const o = asLambdaWritesItToS3(orders(['FR', 'DE']), { shardId, streamArn });
    bucket.put(o.key, o.body);
    const projection = await newProjection('shardWatermark');
    const result = await drainOf(projection);
    // The drain reports the object replayed whole and deletes it ...
    expect(result).toEqual({ deleted: 1, replayed: 2, stoppedAt: undefined });
    // ... and the counter refuses to read: not exact (never a wrong count).
    await expect(projection.getCount('orders', 'FR')).rejects.toMatchObject({
      code: 'CounterNotExact',
    });
  });
});
