import {
  fromLambdaRecord,
  type LambdaRecord,
  readRecordFields,
  type StreamsApiRecord,
} from '../imageParser/index.js';
import { describeValue } from '../shared/index.js';

/**
 * A dead-lettered batch: Lambda's message (records to read again from the stream), Lambda's
 * object of an S3 destination (its records in it, read from no stream), or the runner's
 * onFailure payload (records in it).
 */
export type DeadLetter =
  | {
      kind: 'lambda';
      streamArn: string;
      shardId: string;
      start: string;
      end: string;
      batchSize: number;
    }
  | { kind: 'lambdaRecords'; streamArn: string; shardId: string; records: StreamsApiRecord[] }
  | { kind: 'runner'; shardId: string; records: StreamsApiRecord[] };

export type LambdaDeadLetter = Extract<DeadLetter, { kind: 'lambda' }>;

const SEQUENCE_NUMBER = /^\d{1,40}$/;

/**
 * An S3 destination's object: Lambda's message with the failed invocation's event in its
 * `payload`. Its records are replayed as they are, from no stream, so each is checked to be
 * one of the batch the message describes: a record of the stream it names (its
 * eventSourceARN, when given), with a sequence number within the batch, in order.
 */
export const withPayloadRecords = (
  batch: LambdaDeadLetter,
  payload: unknown,
  fail: (reason: string) => never,
): DeadLetter => {
  const records = eventRecordsOf(payload, fail);
  let previous: bigint | undefined;
  let first: bigint | undefined;
  for (const [index, record] of records.entries()) {
    const sequenceNumber = checkRecord(batch, record, index, fail);
    if (previous !== undefined && sequenceNumber <= previous)
      fail(`payload record ${index} is not after the one before it: records out of order`);
    first ??= sequenceNumber;
    previous = sequenceNumber;
  }
  // The batch's first and last records were delivered (readBatchAgain holds the same), and
  // it holds no more records than batchSize says (which counts the delivered ones, or all).
  if (first !== BigInt(batch.start))
    fail(`payload's first record is not the batch's first, ${batch.start}: records missing`);
  if (previous !== BigInt(batch.end))
    fail(`payload's last record is not the batch's last, ${batch.end}: records missing`);
  if (records.length > batch.batchSize)
    fail(`payload holds ${records.length} records where the batch has ${batch.batchSize}`);
  return {
    kind: 'lambdaRecords',
    streamArn: batch.streamArn,
    shardId: batch.shardId,
    records: (records as LambdaRecord[]).map(fromLambdaRecord),
  };
};

/** The payload's Records: a JSON string of the event (AWS), or the event itself (emulators). */
const eventRecordsOf = (payload: unknown, fail: (reason: string) => never): unknown[] => {
  let event = payload;
  if (typeof payload === 'string')
    try {
      event = JSON.parse(payload) as unknown;
    } catch {
      fail('payload is not JSON');
    }
  const records = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records) || records.length === 0) fail('payload holds no Records');
  return records as unknown[];
};

const checkRecord = (
  batch: LambdaDeadLetter,
  record: unknown,
  index: number,
  fail: (reason: string) => never,
): bigint => {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    fail(`payload record ${index} is not a record`);
  const { sequenceNumber } = readRecordFields(record as LambdaRecord);
  if (sequenceNumber === undefined || !SEQUENCE_NUMBER.test(sequenceNumber))
    fail(`payload record ${index} has no dynamodb.SequenceNumber`);
  const source = (record as { eventSourceARN?: unknown }).eventSourceARN;
  if (source !== undefined && source !== batch.streamArn)
    fail(
      `payload record ${index} is of another stream (${describeValue(source)}) than the batch's`,
    );
  const value = BigInt(sequenceNumber as string);
  if (value < BigInt(batch.start) || value > BigInt(batch.end))
    fail(
      `payload record ${index} (${sequenceNumber as string}) lies outside the batch, ${batch.start} to ${batch.end}`,
    );
  return value;
};
