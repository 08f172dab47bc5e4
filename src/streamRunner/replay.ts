import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

import { readRecordFields, type StreamsApiRecord } from '../imageParser/index.js';
import { CounterError } from '../shared/index.js';
import { type DeadLetter, type LambdaStreamFailureMessage, parseDeadLetter } from './deadLetter.js';
import { checkFilterPattern, type StreamFilterPattern } from './filterPattern.js';
import type { FailedRecords, StreamHandler } from './invokeBatch.js';
import { checkStreamArn, type ReadAgainOptions, readBatchAgain } from './readBatchAgain.js';

export interface ReplayResult {
  shardId: string;
  /** How many records the dead letter names (Lambda's batchSize, or the runner's records). */
  expected: number;
  /** The records read again and given to the handler. */
  replayed: number;
  /**
   * Records of the batch past the stream's 24-hour retention, read by nobody again: count
   * them with `rebuild`. At least 1 whenever the batch's first record is trimmed.
   */
  lost: number;
  /** The handler reported a record it did not commit (its sequence number): the replay failed from there. */
  failedAt: string | undefined;
  error?: unknown;
}

export interface ReplayDeadLetterOptions extends Omit<ReadAgainOptions, 'streamsClient'> {
  /**
   * Reads again the records of a dead letter that only says where they are (a queue's
   * message). Not needed for one that holds them: an S3 destination's object, the runner's
   * onFailure payload.
   */
  streamsClient?: DynamoDBStreamsClient;
  handler: StreamHandler;
  deadLetter: string | LambdaStreamFailureMessage | FailedRecords;
  /**
   * The filter pattern of the mapping that dead-lettered the batch (what it delivered):
   * the shard between the batch's first and last records also holds the records the
   * filter dropped, and the replay must tell them apart to know that it found every
   * record of the batch. Default: none (a mapping without a filter).
   */
  filter?: StreamFilterPattern;
  /** The stream the handler serves: a message of another stream is refused (InvalidDeadLetter). */
  streamArn?: string;
  /** GetRecords calls at most for one message (default 1,000): running out is an error, never a success. */
  maxReads?: number;
  /**
   * Only what Lambda writes (a queue's message, a bucket's object): the runner's onFailure
   * payload is refused (InvalidDeadLetter). A drain reads dead letters anyone who may write
   * there could have put, and the runner's payload names no stream, nor bounds its batch.
   */
  lambdaOnly?: boolean;
}

/**
 * Hands a dead-lettered batch to the handler again: Lambda's on-failure message (read from
 * the stream while within its retention), Lambda's object of an S3 destination (its records
 * in it: replayable whenever), or the runner's onFailure payload. Counting is exactly once,
 * so replaying a batch, or a part of it already counted, counts nothing twice. A message is
 * replayed whole (`lost` 0, no `failedAt`) only when every record of its batch was read
 * again, record by record; otherwise the result or a ReplayIncompleteError says why, and
 * the message must be kept.
 */
export const replayDeadLetter = async (options: ReplayDeadLetterOptions): Promise<ReplayResult> => {
  const parsed = parseDeadLetter(options.deadLetter);
  if (options.lambdaOnly === true && parsed.kind === 'runner')
    throw new CounterError('InvalidDeadLetter', {
      value: { shardId: parsed.shardId, records: parsed.records.length },
      reason:
        "the stream runner's onFailure payload, not what Lambda writes to an on-failure destination",
    });
  const filter =
    options.filter === undefined ? undefined : checkFilterPattern('filter', options.filter);
  const batch = await recordsOf(options, parsed, filter);
  return handOver(options.handler, { shardId: parsed.shardId, ...batch });
};

/** The records to hand over: those the dead letter holds (already delivered: the filter kept them), or read again. */
const recordsOf = async (
  options: ReplayDeadLetterOptions,
  parsed: DeadLetter,
  filter: StreamFilterPattern | undefined,
): Promise<{ records: StreamsApiRecord[]; lost: number; expected: number }> => {
  if (parsed.kind === 'runner')
    return { records: parsed.records, lost: 0, expected: parsed.records.length };
  checkStreamArn(options.streamArn, parsed);
  if (parsed.kind === 'lambdaRecords')
    return { records: parsed.records, lost: 0, expected: parsed.records.length };
  const { streamsClient } = options;
  if (streamsClient === undefined)
    throw new CounterError('InvalidDeadLetter', {
      value: parsed,
      reason:
        'it holds no records (a queue message, not an object of an S3 destination): reading them from the stream needs a streamsClient',
    });
  return readBatchAgain({ ...options, streamsClient }, parsed, filter);
};

const handOver = async (
  handler: StreamHandler,
  batch: { shardId: string; records: StreamsApiRecord[]; lost: number; expected: number },
): Promise<ReplayResult> => {
  const base = { shardId: batch.shardId, expected: batch.expected, lost: batch.lost };
  const { records } = batch;
  if (records.length === 0) return { ...base, replayed: 0, failedAt: undefined };
  try {
    const result = await handler(records, { shardId: batch.shardId, delivery: 'replay' });
    const failedAt = result?.batchItemFailures?.[0]?.itemIdentifier;
    const error = failedAt === undefined ? undefined : result?.error;
    return {
      ...base,
      replayed: records.length,
      failedAt,
      ...(error !== undefined ? { error } : {}),
    };
  } catch (error) {
    return {
      ...base,
      replayed: records.length,
      failedAt: records[0] !== undefined ? readRecordFields(records[0]).sequenceNumber : undefined,
      error,
    };
  }
};
