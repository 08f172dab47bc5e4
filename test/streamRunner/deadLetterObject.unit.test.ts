import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';

import type { StreamsApiRecord } from '../../src/imageParser/index.js';
import {
  type BatchContext,
  parseDeadLetter,
  replayDeadLetter,
} from '../../src/streamRunner/index.js';
import { eventRecord, sequenceNumberOf } from '../../src/testing/index.js';
import { asLambdaWritesItToS3 } from '../support/deadLetters.js';

const streamArn =
  'arn:aws:dynamodb:eu-west-1:123456789012:table/events/stream/2026-01-01T00:00:00.000';
const shardId = 'shardId-00000001767225600000-8a1b2c3d';

/** Orders as the event table's stream gives them, one with a binary attribute (bytes: a Buffer, a Uint8Array). */
const ordersWith = (bytes: Uint8Array): StreamsApiRecord[] =>
  ['FR', 'DE', 'FR'].map((country, index) => {
    const record = eventRecord({
      eventStoreId: 'orders',
      sequenceNumber: sequenceNumberOf(index),
      event: {
        aggregateId: `o${index}`,
        version: 1,
        type: 'ORDER_PLACED',
        timestamp: '2026-01-01T00:00:00.000Z',
        payload: { country },
      },
    });
    return index === 1
      ? {
          ...record,
          dynamodb: {
            ...record.dynamodb,
            NewImage: {
              ...record.dynamodb?.NewImage,
              receipt: { M: { scan: { B: bytes } } },
            },
          },
        }
      : record;
  });
// Written with a Buffer (what toLambdaRecord turns into base64), read back as a Uint8Array.
const records = ordersWith(Buffer.from([0, 1, 254, 255]));
const readBack = ordersWith(new Uint8Array([0, 1, 254, 255]));

/** The object as Lambda writes it, its payload (the event) given some other way. */
const objectWith = (change: (document: Record<string, unknown>) => void) => {
  const document = JSON.parse(asLambdaWritesItToS3(records, { shardId, streamArn }).body);
  change(document);
  return JSON.stringify(document);
};
const eventOf = (body: string) => JSON.parse(JSON.parse(body).payload);
const withEvent = (event: unknown) =>
  objectWith((document) => (document.payload = JSON.stringify(event)));

/** A streams client that must not be used: the records are in the object. */
const noStream = {
  send: () => Promise.reject(new Error('the stream was read')),
} as unknown as DynamoDBStreamsClient;

describe('an object of an S3 on-failure destination', () => {
  const object = asLambdaWritesItToS3(records, { shardId, streamArn }).body;

  it('holds the records themselves, read back as the Streams API gives them (times as Dates, binaries as bytes)', () => {
    expect(parseDeadLetter(object)).toEqual({
      kind: 'lambdaRecords',
      streamArn,
      shardId,
      records: readBack,
    });
    // The event as an object, as emulators write it, is read the same.
    expect(parseDeadLetter(objectWith((doc) => (doc.payload = eventOf(object))))).toEqual(
      parseDeadLetter(object),
    );
    const [, withBinary] = (parseDeadLetter(object) as { records: StreamsApiRecord[] }).records;
    expect(withBinary?.dynamodb?.NewImage?.receipt?.M?.scan?.B).toBeInstanceOf(Uint8Array);
    expect(withBinary?.dynamodb?.ApproximateCreationDateTime).toBeInstanceOf(Date);
  });

  it('is replayed from no stream, the handler told it is a replay of its shard, however often', async () => {
    const handed: { records: StreamsApiRecord[]; context: BatchContext }[] = [];
    const replay = () =>
      replayDeadLetter({
        streamsClient: noStream,
        streamArn,
        handler: async (batch, context) => void handed.push({ records: batch, context }),
        deadLetter: object,
      });
    expect(await replay()).toEqual({
      shardId,
      expected: 3,
      replayed: 3,
      lost: 0,
      failedAt: undefined,
    });
    // Without a streams client at all.
    expect(
      await replayDeadLetter({ handler: async () => undefined, deadLetter: object }),
    ).toMatchObject({ replayed: 3, lost: 0 });
    expect(handed).toEqual([{ records: readBack, context: { shardId, delivery: 'replay' } }]);
  });

  it('is refused when it is of another stream than the handler’s', async () => {
    await expect(
      replayDeadLetter({
        streamArn: streamArn.replace('events', 'counts'),
        handler: () => Promise.reject(new Error('never called')),
        deadLetter: object,
      }),
    ).rejects.toMatchObject({
      code: 'InvalidDeadLetter',
      reason: expect.stringMatching(/^a dead letter of another stream than .*counts/),
    });
  });

  it('asks for a streams client when it holds no records (a queue message): they are in the stream only', async () => {
    const message = objectWith((document) => delete document.payload);
    await expect(
      replayDeadLetter({ handler: async () => undefined, deadLetter: message }),
    ).rejects.toMatchObject({
      code: 'InvalidDeadLetter',
      reason: expect.stringMatching(/holds no records .* needs a streamsClient$/),
    });
  });

  const event = eventOf(object) as { Records: Record<string, unknown>[] };
  const recordsWith = (index: number, change: (record: Record<string, unknown>) => void) => {
    const changed = structuredClone(event);
    change(changed.Records[index] as Record<string, unknown>);
    return withEvent(changed);
  };
  it.each([
    [
      'a payload that is not JSON',
      objectWith((doc) => (doc.payload = '{"Records": [')),
      'payload is not JSON',
    ],
    ['a payload of no records', withEvent({ Records: [] }), 'payload holds no Records'],
    [
      'a payload that is no event',
      objectWith((doc) => (doc.payload = 42)),
      'payload holds no Records',
    ],
    [
      'a record that is not one',
      withEvent({ Records: ['INSERT'] }),
      'payload record 0 is not a record',
    ],
    [
      'a record without its sequence number',
      recordsWith(
        1,
        (record) => delete (record.dynamodb as Record<string, unknown>).SequenceNumber,
      ),
      'payload record 1 has no dynamodb.SequenceNumber',
    ],
    [
      'a record of another stream',
      recordsWith(2, (record) => (record.eventSourceARN = streamArn.replace('events', 'other'))),
      /^payload record 2 is of another stream \(.*other.*\) than the batch's$/,
    ],
    [
      'a record outside the batch',
      recordsWith(2, (record) => {
        (record.dynamodb as Record<string, unknown>).SequenceNumber = sequenceNumberOf(9);
      }),
      /^payload record 2 \(\d+\) lies outside the batch, \d+ to \d+$/,
    ],
    [
      'records out of order',
      withEvent({ Records: [event.Records[1], event.Records[0], event.Records[2]] }),
      'payload record 1 is not after the one before it: records out of order',
    ],
  ])('refuses %s with InvalidDeadLetter', (_, body, reason) => {
    expect(() => parseDeadLetter(body)).toThrow(
      expect.objectContaining({
        code: 'InvalidDeadLetter',
        reason: typeof reason === 'string' ? reason : expect.stringMatching(reason),
      }),
    );
  });
});
