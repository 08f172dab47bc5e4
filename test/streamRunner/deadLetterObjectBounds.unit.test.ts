import { describe, expect, it } from 'vitest';

import type { StreamsApiRecord } from '../../src/imageParser/index.js';
import { parseDeadLetter, replayDeadLetter } from '../../src/streamRunner/index.js';
import { eventRecord, sequenceNumberOf } from '../../src/testing/index.js';
import { asLambdaWritesItToS3 } from '../support/deadLetters.js';

/*
 * Review of issue 34.2 (S3 dead letters): an object whose payload does not hold the batch
 * its DDBStreamBatchInfo describes is replayed as if whole, and the drain then deletes it.
 * The queue path refuses the same mismatch (readBatchAgain: first/last record and batchSize,
 * ReplayIncomplete BatchMismatch); the bucket path only checks "within start..end, in order".
 */

const streamArn =
  'arn:aws:dynamodb:eu-west-1:123456789012:table/events/stream/2026-01-01T00:00:00.000';
const shardId = 'shardId-00000001767225600000-8a1b2c3d';

const orders: StreamsApiRecord[] = ['FR', 'DE', 'FR'].map((country, index) =>
  eventRecord({
    eventStoreId: 'orders',
    sequenceNumber: sequenceNumberOf(index),
    event: {
      aggregateId: `o${index}`,
      version: 1,
      type: 'ORDER_PLACED',
      timestamp: '2026-01-01T00:00:00.000Z',
      payload: { country },
    },
  }),
);

const object = asLambdaWritesItToS3(orders, { shardId, streamArn }).body;
const event = JSON.parse(JSON.parse(object).payload) as { Records: unknown[] };
const withRecords = (records: unknown[], info: Record<string, unknown> = {}) => {
  const document = JSON.parse(object);
  document.payload = JSON.stringify({ Records: records });
  Object.assign(document.DDBStreamBatchInfo, info);
  return JSON.stringify(document);
};
const [r0, r1, r2] = event.Records;

describe('review s3: an S3 object whose payload is not the whole batch it describes', () => {
  it.each([
    ['missing the batch’s first record (startSequenceNumber)', withRecords([r1, r2])],
    ['missing the batch’s last record (endSequenceNumber)', withRecords([r0, r1])],
    ['holding more records than its batchSize', withRecords([r0, r1, r2], { batchSize: 2 })],
  ])('is refused with InvalidDeadLetter when %s', (_, body) => {
    expect(() => parseDeadLetter(body)).toThrow(
      expect.objectContaining({ code: 'InvalidDeadLetter' }),
    );
  });

  it('reports expected as the batch’s batchSize, not the records it happens to hold', async () => {
    // The CLI prints "Replayed 2 of the 2 records" for a batch of 3 and deletes the object.
    const result = await replayDeadLetter({
      handler: async () => undefined,
      deadLetter: withRecords([r1, r2]),
    }).catch((error: unknown) => error);
    // Either refused, or told: never "2 of 2", replayed whole.
    if (result instanceof Error) expect(result).toMatchObject({ code: 'InvalidDeadLetter' });
    else expect(result).toMatchObject({ expected: 3 });
  });
});

describe('review s3: things that hold (passing)', () => {
  it('refuses a record duplicated inside one object', () => {
    expect(() => parseDeadLetter(withRecords([r0, r1, r1, r2], { batchSize: 4 }))).toThrow(
      expect.objectContaining({ code: 'InvalidDeadLetter' }),
    );
  });
  it('refuses an empty payload, a null payload, a payload of {}', () => {
    for (const payload of ['', null, {}, '{}', '[]'])
      expect(() => {
        const document = JSON.parse(object);
        document.payload = payload;
        parseDeadLetter(JSON.stringify(document));
      }).toThrow(expect.objectContaining({ code: 'InvalidDeadLetter' }));
  });
});
