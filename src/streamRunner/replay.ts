import {
  type _Record as StreamsApiRecord,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
} from '@aws-sdk/client-dynamodb-streams';

import { isAwsError } from '../shared/retry.js';
import { type DeadLetter, type LambdaStreamFailureMessage, parseDeadLetter } from './deadLetter.js';
import type { FailedRecords, StreamHandler } from './invokeBatch.js';
import { getIterator } from './shardIterators.js';

export interface ReplayResult {
  shardId: string;
  /** How many records the dead letter names (Lambda's batchSize, or the runner's records). */
  expected: number;
  /** The records read again and given to the handler. */
  replayed: number;
  /** Records past the stream's 24-hour retention, read by nobody again: count them with `rebuild`. */
  lost: number;
  /** The handler reported a record it did not commit (its sequence number): the replay failed from there. */
  failedAt: string | undefined;
  error?: unknown;
}

/**
 * Hands a dead-lettered batch to the handler again: Lambda's on-failure message (read from
 * the stream while within its retention) or the runner's onFailure payload. Counting is
 * exactly once, so replaying a batch, or a part of it already counted, counts nothing twice.
 */
export const replayDeadLetter = async ({
  streamsClient,
  handler,
  deadLetter,
}: {
  streamsClient: DynamoDBStreamsClient;
  handler: StreamHandler;
  deadLetter: string | LambdaStreamFailureMessage | FailedRecords;
}): Promise<ReplayResult> => {
  const parsed = parseDeadLetter(deadLetter);
  const records =
    parsed.kind === 'runner' ? parsed.records : await readAgain(streamsClient, parsed);
  const expected = parsed.kind === 'runner' ? parsed.records.length : parsed.batchSize;
  const base = { shardId: parsed.shardId, expected, lost: Math.max(0, expected - records.length) };
  if (records.length === 0) return { ...base, replayed: 0, failedAt: undefined };
  try {
    const result = await handler(records);
    const failedAt = result?.batchItemFailures?.[0]?.itemIdentifier;
    return { ...base, replayed: records.length, failedAt };
  } catch (error) {
    return {
      ...base,
      replayed: records.length,
      failedAt: records[0]?.dynamodb?.SequenceNumber,
      error,
    };
  }
};

type LambdaDeadLetter = Extract<DeadLetter, { kind: 'lambda' }>;

const inRange = (record: StreamsApiRecord, { start, end }: LambdaDeadLetter) => {
  const sequenceNumber = BigInt(record.dynamodb?.SequenceNumber ?? '-1');
  return sequenceNumber >= BigInt(start) && sequenceNumber <= BigInt(end);
};

// An open shard may answer empty pages before data (AWS): a few are read past before giving up.
const EMPTY_PAGES_BEFORE_END = 3;

/**
 * The batch's records, from its first sequence number to its last. When the first is past
 * the retention, the shard is read from its oldest record kept: what remains of the batch
 * is replayed, the rest is reported lost. A shard no longer listed is gone with its records.
 */
const readAgain = async (
  streamsClient: DynamoDBStreamsClient,
  deadLetter: LambdaDeadLetter,
): Promise<StreamsApiRecord[]> => {
  const context = { streamsClient, streamArn: deadLetter.streamArn, shardId: deadLetter.shardId };
  let iterator: string | undefined;
  try {
    iterator = await getIterator(context, 'AT_SEQUENCE_NUMBER', deadLetter.start);
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return [];
    if (!isAwsError(error, 'TrimmedDataAccessException')) throw error;
    iterator = await getIterator(context, 'TRIM_HORIZON');
  }
  const records: StreamsApiRecord[] = [];
  for (let emptyPages = 0; iterator !== undefined && emptyPages < EMPTY_PAGES_BEFORE_END;) {
    const page = await streamsClient.send(new GetRecordsCommand({ ShardIterator: iterator }));
    const pageRecords = page.Records ?? [];
    records.push(...pageRecords.filter((record) => inRange(record, deadLetter)));
    const last = pageRecords[pageRecords.length - 1]?.dynamodb?.SequenceNumber;
    if (last !== undefined && BigInt(last) >= BigInt(deadLetter.end)) break;
    emptyPages = pageRecords.length === 0 ? emptyPages + 1 : 0;
    iterator = page.NextShardIterator;
  }
  return records;
};
