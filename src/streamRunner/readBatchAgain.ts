import {
  type _Record as StreamsApiRecord,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
} from '@aws-sdk/client-dynamodb-streams';

import { readRecordFields } from '../imageParser/index.js';
import {
  CounterError,
  integerOption,
  isAwsError,
  retryOptions,
  withRetry,
} from '../shared/index.js';
import { type DeadLetter } from './deadLetter.js';
import { matchesFilterPattern, type StreamFilterPattern } from './filterPattern.js';
import { getIterator } from './shardIterators.js';

/** What reading a batch again needs of replayDeadLetter's options. */
export interface ReadAgainOptions {
  streamsClient: DynamoDBStreamsClient;
  streamArn?: string;
  maxReads?: number;
}

type LambdaDeadLetter = Extract<DeadLetter, { kind: 'lambda' }>;

const sequenceOf = (record: StreamsApiRecord): bigint =>
  BigInt(readRecordFields(record).sequenceNumber ?? '-1');

/**
 * The batch's records, read from its first sequence number until its last is passed, and
 * accounted for: with the batch's first record readable, the whole stretch was read, so
 * every record of the batch is among those the filter keeps; the count must then agree
 * with the message's batchSize. When the first record is past the retention, the shard is
 * read from its oldest record kept: what remains is replayed, the rest reported lost.
 */
export const readBatchAgain = async (
  options: ReadAgainOptions,
  deadLetter: LambdaDeadLetter,
  filter: StreamFilterPattern | undefined,
): Promise<{ records: StreamsApiRecord[]; lost: number; expected: number }> => {
  await checkStream(options, deadLetter);
  const { records, firstTrimmed } = await readStretch(options, deadLetter);
  const inRange = records.length;
  const keeps = (record: StreamsApiRecord | undefined) =>
    record !== undefined && (filter === undefined || matchesFilterPattern(filter, record));
  const kept = records.filter(keeps);
  const expected = deadLetter.batchSize;
  if (firstTrimmed) return { records: kept, lost: Math.max(1, expected - kept.length), expected };
  // The batch's first and last records were delivered: they exist and the filter keeps them.
  // AWS does not say whether batchSize counts the records its filter dropped: either agrees.
  const [first, last] = [records[0], records[records.length - 1]];
  const bounds =
    first !== undefined &&
    sequenceOf(first) === BigInt(deadLetter.start) &&
    keeps(first) &&
    last !== undefined &&
    sequenceOf(last) === BigInt(deadLetter.end) &&
    keeps(last);
  if (!bounds || (kept.length !== expected && inRange !== expected))
    throw new CounterError('ReplayIncomplete', {
      shardId: deadLetter.shardId,
      reason: 'BatchMismatch',
      detail:
        `the stream holds ${kept.length} records of the batch that the filter keeps (${inRange} in all, ` +
        `${bounds ? 'its first and last as the message says' : 'not starting and ending as the message says'}) ` +
        `where the message says ${expected}: give the filter pattern of the mapping that dead-lettered it, ` +
        'and the handler of its stream',
    });
  return { records: kept, lost: 0, expected };
};

/** A dead letter of another stream than the handler's (when said) is refused before anything is handed over. */
export const checkStreamArn = (
  streamArn: string | undefined,
  deadLetter: { streamArn: string },
) => {
  if (streamArn !== undefined && streamArn !== deadLetter.streamArn)
    throw new CounterError('InvalidDeadLetter', {
      value: deadLetter.streamArn,
      reason: `a dead letter of another stream than ${streamArn}: replay it with the handler of its own table`,
    });
};

/** A message of another stream, or of a stream this client cannot reach, is refused before any read. */
const checkStream = async (options: ReadAgainOptions, deadLetter: LambdaDeadLetter) => {
  checkStreamArn(options.streamArn, deadLetter);
  const region = /^arn:[^:]+:dynamodb:([^:]+):/.exec(deadLetter.streamArn)?.[1];
  const clientRegion = await (
    options.streamsClient as { config?: { region?: () => Promise<string> } }
  ).config?.region?.();
  // Only AWS's own region names: DynamoDB Local's ARNs say `ddblocal` whatever the client's.
  const isAwsRegion = (name: string | undefined) => name !== undefined && AWS_REGION.test(name);
  if (isAwsRegion(region) && isAwsRegion(clientRegion) && region !== clientRegion)
    throw new CounterError('ReplayIncomplete', {
      shardId: deadLetter.shardId,
      reason: 'StreamUnreachable',
      detail: `the stream is in ${region} and the streams client in ${clientRegion}: give a client of ${region}`,
    });
};

const DEFAULT_MAX_READS = 1_000;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Reads from the batch's first record (or TRIM_HORIZON when it is trimmed) until its last one is passed. */
const readStretch = async (options: ReadAgainOptions, deadLetter: LambdaDeadLetter) => {
  const maxReads = integerOption('maxReads', options.maxReads, {
    min: 1,
    defaultValue: DEFAULT_MAX_READS,
  });
  const context = {
    streamsClient: options.streamsClient,
    streamArn: deadLetter.streamArn,
    shardId: deadLetter.shardId,
  };
  const retrying = <T>(call: () => Promise<T>) =>
    withRetry(call, retryOptions({ maxAttempts: 10, maxDelayMs: 5_000 }));
  let firstTrimmed = false;
  let iterator: string | undefined;
  try {
    iterator = await retrying(() => getIterator(context, 'AT_SEQUENCE_NUMBER', deadLetter.start));
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return { records: [], firstTrimmed: true };
    if (!isAwsError(error, 'TrimmedDataAccessException')) throw error;
    firstTrimmed = true;
    // Trimming goes by age, so in sequence order: with the last record trimmed too, the
    // whole batch is gone (and an empty open shard would never show its end).
    if (await isTrimmed(() => getIterator(context, 'AT_SEQUENCE_NUMBER', deadLetter.end)))
      return { records: [], firstTrimmed };
    iterator = await retrying(() => getIterator(context, 'TRIM_HORIZON'));
  }
  const [start, end] = [BigInt(deadLetter.start), BigInt(deadLetter.end)];
  const records: StreamsApiRecord[] = [];
  for (let reads = 0; ; reads += 1) {
    if (iterator === undefined)
      return incomplete(deadLetter, "the shard ended before the batch's last record");
    if (reads >= maxReads)
      return incomplete(
        deadLetter,
        `${maxReads} reads (maxReads) did not reach the batch's last record`,
      );
    const current = iterator;
    const page = await retrying(() =>
      options.streamsClient.send(new GetRecordsCommand({ ShardIterator: current })),
    );
    for (const record of page.Records ?? []) {
      const sequenceNumber = sequenceOf(record);
      if (sequenceNumber > end) return { records, firstTrimmed };
      if (sequenceNumber >= start) records.push(record);
      if (sequenceNumber === end) return { records, firstTrimmed };
    }
    iterator = page.NextShardIterator;
  }
};

const isTrimmed = async (read: () => Promise<unknown>): Promise<boolean> => {
  try {
    await read();
    return false;
  } catch (error) {
    if (isAwsError(error, 'TrimmedDataAccessException')) return true;
    throw error;
  }
};

const incomplete = (deadLetter: LambdaDeadLetter, detail: string): never => {
  throw new CounterError('ReplayIncomplete', {
    shardId: deadLetter.shardId,
    reason: 'EndNotReached',
    detail,
  });
};
