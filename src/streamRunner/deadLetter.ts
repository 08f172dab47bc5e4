import {
  readRecordFields,
  recordCreatedAtMs,
  type StreamsApiRecord,
} from '../imageParser/index.js';
import { CounterError } from '../shared/index.js';
import { type DeadLetter, type LambdaDeadLetter, withPayloadRecords } from './deadLetterRecords.js';
import type { FailedRecords } from './invokeBatch.js';

/**
 * What Lambda's on-failure destination receives when a DynamoDB stream batch fails every
 * retry: where the records are (an SQS or SNS message body), and, in the object an S3
 * destination gets, the records themselves (`payload`).
 */
export interface LambdaStreamFailureMessage {
  requestContext?: { requestId?: string; functionArn?: string; condition?: string };
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    batchSize: number;
    streamArn: string;
    approximateArrivalOfFirstRecord?: string;
    approximateArrivalOfLastRecord?: string;
  };
  /**
   * An S3 destination's only: the failed invocation's event, `{"Records":[...]}` with the
   * records as the function got them, as an escaped JSON string (AWS's documentation); the
   * same event as an object (what emulators write) is read too.
   */
  payload?: string;
}

export type { DeadLetter } from './deadLetterRecords.js';

const SEQUENCE_NUMBER = /^\d{1,40}$/;

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new CounterError('InvalidDeadLetter', { value: body, reason: 'not JSON' });
  }
};

/** Reads a dead letter from a message body (JSON) or an object, checking what replay needs. */
export const parseDeadLetter = (
  input: string | LambdaStreamFailureMessage | FailedRecords,
): DeadLetter => {
  const value = typeof input === 'string' ? parseJson(input) : (input as unknown);
  const fail = (reason: string): never => {
    throw new CounterError('InvalidDeadLetter', { value, reason });
  };
  if (typeof value !== 'object' || value === null) return fail('not an object');
  const {
    DDBStreamBatchInfo: info,
    payload,
    records,
    shardId,
  } = value as {
    DDBStreamBatchInfo?: unknown;
    payload?: unknown;
    records?: unknown;
    shardId?: unknown;
  };
  if (Array.isArray(records) && typeof shardId === 'string')
    return { kind: 'runner', shardId, records: records as StreamsApiRecord[] };
  if (typeof info !== 'object' || info === null) return fail('no DDBStreamBatchInfo');
  const batch = lambdaDeadLetter(info as Record<string, unknown>, fail);
  return payload === undefined ? batch : withPayloadRecords(batch, payload, fail);
};

/** Lambda's DDBStreamBatchInfo, each field checked: a replay must read the right records. */
const lambdaDeadLetter = (
  info: Record<string, unknown>,
  fail: (reason: string) => never,
): LambdaDeadLetter => {
  for (const field of ['shardId', 'streamArn'] as const)
    if (typeof info[field] !== 'string' || info[field] === '') fail(`no ${field}`);
  for (const field of ['startSequenceNumber', 'endSequenceNumber'] as const)
    if (typeof info[field] !== 'string' || !SEQUENCE_NUMBER.test(info[field])) fail(`no ${field}`);
  const batchSize = info.batchSize;
  if (typeof batchSize !== 'number' || !Number.isSafeInteger(batchSize) || batchSize < 1)
    fail('no batchSize');
  const start = info.startSequenceNumber as string;
  const end = info.endSequenceNumber as string;
  if (BigInt(start) > BigInt(end)) fail('startSequenceNumber after endSequenceNumber');
  return {
    kind: 'lambda',
    streamArn: info.streamArn as string,
    shardId: info.shardId as string,
    start,
    end,
    batchSize: batchSize as number,
  };
};

const arrivalOf = (record: StreamsApiRecord | undefined): string =>
  new Date(recordCreatedAtMs(record) ?? 0).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The message Lambda writes to an on-failure destination for these records: what a
 * runner's onFailure can keep instead of the records (it says where they are), so that
 * one replay path serves both. Replayable while the stream keeps the records (24 hours).
 */
export const lambdaFailureMessage = ({
  shardId,
  streamArn,
  records,
}: {
  shardId: string;
  streamArn: string;
  records: StreamsApiRecord[];
}): LambdaStreamFailureMessage => ({
  requestContext: { condition: 'RetryAttemptsExhausted' },
  DDBStreamBatchInfo: {
    shardId,
    startSequenceNumber: sequenceNumberAt(records, 0),
    endSequenceNumber: sequenceNumberAt(records, records.length - 1),
    approximateArrivalOfFirstRecord: arrivalOf(records[0]),
    approximateArrivalOfLastRecord: arrivalOf(records[records.length - 1]),
    batchSize: records.length,
    streamArn,
  },
});

const sequenceNumberAt = (records: readonly StreamsApiRecord[], index: number): string => {
  const record = records[index];
  return (record !== undefined ? readRecordFields(record).sequenceNumber : undefined) ?? '';
};
