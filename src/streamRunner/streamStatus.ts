import { type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient, Shard } from '@aws-sdk/client-dynamodb-streams';

import { checkpointPartitionKey } from '../checkpoints/index.js';
import { CheckpointStore, type ShardCheckpoint } from '../checkpoints/index.js';
import { recordCreatedAtMs } from '../imageParser/index.js';
import { isAwsError } from '../shared/index.js';
import { readBehind } from './readBehind.js';
import { listShards, resolveStreamArn } from './shardDiscovery.js';

export interface ShardStatus {
  shardId: string;
  /** Closed shards take no new records; once read to their end they are `finished`. */
  open: boolean;
  finished: boolean;
  /** The last handled record's sequence number; undefined when nothing was handled yet. */
  checkpoint: string | undefined;
  /** Records after the checkpoint, counted up to `countUpTo`; `atLeast` when there are more. */
  recordsBehind: { count: number; atLeast: boolean } | undefined;
  /** How long ago the first record not handled yet was written: 0 when none is waiting. */
  lagMs: number | undefined;
  /** How long ago the last handled record was written. */
  newestHandledAgeMs: number | undefined;
  /** The checkpoint is past the stream's retention: records after it may be lost. */
  checkpointTrimmed: boolean;
}

export interface ConsumerStatus {
  consumerName: string;
  shards: ShardStatus[];
  /** The largest lag of its shards (undefined when none could be known). */
  lagMs: number | undefined;
}

export interface StreamStatusOptions {
  dynamoDBClient: DynamoDBClient;
  streamsClient: DynamoDBStreamsClient;
  tableName: string;
  checkpointTableName: string;
  /** One consumer; default: every consumer with a checkpoint on this stream. */
  consumerName?: string;
  /** How many records behind a shard are counted at most. Default 1,000. */
  countUpTo?: number;
  /** Default: the system clock. */
  clock?: () => Date;
}

/**
 * Where each consumer of a table's stream stands, per shard: read-only, it reads the
 * checkpoints and the records after them (counting up to `countUpTo`), as `status` shows.
 */
export const streamStatus = async (options: StreamStatusOptions): Promise<ConsumerStatus[]> => {
  const streamArn = await resolveStreamArn(options.dynamoDBClient, options.tableName);
  const shards = await listShards(options.streamsClient, streamArn);
  const consumers =
    options.consumerName !== undefined
      ? [options.consumerName]
      : await consumersOf(options, streamArn);
  const now = (options.clock ?? (() => new Date()))();
  const statuses: ConsumerStatus[] = [];
  for (const consumerName of consumers) {
    const checkpoints = await new CheckpointStore({
      dynamoDBClient: options.dynamoDBClient,
      tableName: options.checkpointTableName,
      consumerName,
      streamArn,
    }).listCheckpoints();
    const shardStatuses: ShardStatus[] = [];
    for (const shard of shards)
      shardStatuses.push(
        await shardStatus(
          { ...options, streamArn, now },
          shard,
          checkpoints.get(shard.ShardId as string),
        ),
      );
    const lags = shardStatuses
      .map((s) => s.lagMs)
      .filter((lag): lag is number => lag !== undefined);
    statuses.push({
      consumerName,
      shards: shardStatuses,
      lagMs: lags.length === 0 ? undefined : Math.max(...lags),
    });
  }
  return statuses;
};

/** The consumers that checkpointed on this stream: their partition keys end with its ARN. */
const consumersOf = async (options: StreamStatusOptions, streamArn: string): Promise<string[]> => {
  const suffix = checkpointPartitionKey('', streamArn);
  const names = new Set<string>();
  for await (const page of paginateScan(
    { client: options.dynamoDBClient },
    { TableName: options.checkpointTableName, ProjectionExpression: 'pk' },
  ))
    for (const item of page.Items ?? []) {
      const pk = item.pk?.S;
      if (pk?.endsWith(suffix) === true) names.add(pk.slice(0, -suffix.length));
    }
  return [...names].sort();
};

const shardStatus = async (
  context: StreamStatusOptions & { streamArn: string; now: Date },
  shard: Shard,
  checkpoint: ShardCheckpoint | undefined,
): Promise<ShardStatus> => {
  const handledAt = checkpoint?.recordCreatedAt;
  const base = {
    shardId: shard.ShardId as string,
    open: shard.SequenceNumberRange?.EndingSequenceNumber === undefined,
    finished: checkpoint?.finished === true,
    checkpoint: checkpoint?.sequenceNumber,
    newestHandledAgeMs:
      handledAt === undefined
        ? undefined
        : Math.max(0, context.now.getTime() - Date.parse(handledAt)),
    checkpointTrimmed: false,
  };
  if (base.finished) return { ...base, recordsBehind: { count: 0, atLeast: false }, lagMs: 0 };
  try {
    const behind = await readBehind(context, base, checkpoint);
    const waitingSince = recordCreatedAtMs(behind.first);
    return {
      ...base,
      recordsBehind: { count: behind.count, atLeast: behind.atLeast },
      lagMs: waitingSince === undefined ? 0 : Math.max(0, context.now.getTime() - waitingSince),
    };
  } catch (error) {
    if (!isAwsError(error, 'TrimmedDataAccessException')) throw error;
    return { ...base, recordsBehind: undefined, lagMs: undefined, checkpointTrimmed: true };
  }
};
