import {
  type _Record as StreamsApiRecord,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
} from '@aws-sdk/client-dynamodb-streams';

import type { ShardCheckpoint } from '../checkpoints/index.js';
import { isAwsError } from '../shared/index.js';
import {
  getIterator,
  type ShardStart,
  skipOlderThanStart,
  startAfterFailure,
} from './shardIterators.js';

// Open shards may answer empty pages before data (AWS): a few are read past before concluding.
// A closed shard is read to its end (no NextShardIterator), within MAX_READS pages.
const EMPTY_PAGES_BEFORE_CAUGHT_UP = 3;
const MAX_READS = 1_000;

/**
 * Where the runner would read the shard from: after the checkpoint; for a LATEST start that
 * handled nothing, from LATEST's saved iterator or, once it expired, from TRIM_HORIZON less
 * what the runner would skip; else TRIM_HORIZON.
 */
const startOfBehind = async (
  context: Parameters<typeof getIterator>[0],
  checkpoint: ShardCheckpoint | undefined,
): Promise<{ iterator: string | undefined; start: ShardStart }> => {
  if (checkpoint?.sequenceNumber !== undefined)
    return {
      iterator: await getIterator(context, 'AFTER_SEQUENCE_NUMBER', checkpoint.sequenceNumber),
      start: { kind: 'after', sequenceNumber: checkpoint.sequenceNumber },
    };
  const { first, iterator, takenAt } = checkpoint?.latest ?? {};
  if (first !== undefined)
    return {
      iterator: await getIterator(context, 'AT_SEQUENCE_NUMBER', first),
      start: { kind: 'at', sequenceNumber: first },
    };
  if (iterator !== undefined && takenAt !== undefined)
    return { iterator, start: { kind: 'iterator', iterator, takenAt } };
  return { iterator: await getIterator(context, 'TRIM_HORIZON'), start: { kind: 'trimHorizon' } };
};

/** Reads the records the consumer has still to handle, counting up to `countUpTo`. */
export const readBehind = async (
  context: { streamsClient: DynamoDBStreamsClient; streamArn: string; countUpTo?: number },
  shard: { shardId: string; open: boolean },
  checkpoint: ShardCheckpoint | undefined,
): Promise<{ count: number; atLeast: boolean; first: StreamsApiRecord | undefined }> => {
  const countUpTo = context.countUpTo ?? 1_000;
  let { iterator, start } = await startOfBehind({ ...context, shardId: shard.shardId }, checkpoint);
  let count = 0;
  let first: StreamsApiRecord | undefined;
  for (let reads = 0, emptyPages = 0; iterator !== undefined && count < countUpTo; reads += 1) {
    if (reads >= MAX_READS || (shard.open && emptyPages >= EMPTY_PAGES_BEFORE_CAUGHT_UP)) break;
    let page: GetRecordsCommandOutput;
    try {
      page = await context.streamsClient.send(
        new GetRecordsCommand({
          ShardIterator: iterator,
          Limit: Math.min(1_000, countUpTo - count),
        }),
      );
    } catch (error) {
      // LATEST's saved iterator lives 15 minutes: then what the runner would read instead.
      const lost = ['ExpiredIteratorException', 'TrimmedDataAccessException'].some((name) =>
        isAwsError(error, name),
      );
      if (start.kind !== 'iterator' || !lost) throw error;
      start = startAfterFailure(undefined, start);
      iterator = await getIterator({ ...context, shardId: shard.shardId }, 'TRIM_HORIZON');
      continue;
    }
    const read = page.Records ?? [];
    const records = skipOlderThanStart(read, start);
    first ??= records[0];
    count += records.length;
    emptyPages = read.length === 0 ? emptyPages + 1 : 0;
    iterator = page.NextShardIterator;
  }
  return { count, atLeast: iterator !== undefined && (count >= countUpTo || !shard.open), first };
};
