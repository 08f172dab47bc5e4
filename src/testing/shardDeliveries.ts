import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { CheckpointStore } from '../checkpoints/index.js';
import type { ProcessRecordsResult } from '../counterProjection/index.js';
import { readRecordFields, type StreamsApiRecord } from '../imageParser/index.js';
import type { BatchContext } from '../streamBatch/index.js';

/** What a shard's deliveries need of a projection: its stream-batch entry. */
export interface ShardHandler {
  processRecords(
    records: readonly StreamsApiRecord[],
    batch: BatchContext,
  ): Promise<ProcessRecordsResult>;
}

/** One shard of a stream, delivered to a handler as the stream runner delivers it. */
export interface ShardDeliveries {
  shardId: string;
  /** The context the runner hands over with these records (a contiguous run of the shard). */
  contextFor(records: readonly StreamsApiRecord[]): BatchContext;
  /**
   * Hands a contiguous run of the shard to the handler, as the runner would, then saves the
   * shard's checkpoint after the records it handled (`checkpoint: false`: the runner is
   * killed before it saves it, and the run will come again).
   */
  deliver(
    handler: ShardHandler,
    records: readonly StreamsApiRecord[],
    options?: { checkpoint?: boolean },
  ): Promise<ProcessRecordsResult>;
}

const sequenceOf = (record: StreamsApiRecord | undefined) =>
  record === undefined ? undefined : readRecordFields(record).sequenceNumber;

/** The last record a handler handled of a run: all of it, or those before the one it failed. */
const lastHandledOf = (
  records: readonly StreamsApiRecord[],
  { batchItemFailures }: ProcessRecordsResult,
): string | undefined => {
  const failedAt = records.findIndex(
    (record) => sequenceOf(record) === batchItemFailures[0]?.itemIdentifier,
  );
  return sequenceOf(records[(failedAt === -1 ? records.length : failedAt) - 1]);
};

/**
 * The deliveries of one shard's records as the stream runner makes them: contiguous runs,
 * each claimed in the consumer's checkpoint (a table made by createCheckpointTable), so that
 * shardWatermark counters decide each record once, whatever a test redelivers. Two
 * `shardDeliveries` of one shard, consumer and table are two runners of one consumer (a new
 * task beside the old, or after a restart).
 */
export const shardDeliveries = ({
  dynamoDBClient,
  checkpointTableName,
  shardId = 'shardId-00000001700000000000-00000001',
  consumerName = 'tests',
  streamArn = 'arn:aws:dynamodb:local:000000000000:table/events/stream/tests',
}: {
  dynamoDBClient: DynamoDBClient;
  checkpointTableName: string;
  shardId?: string;
  consumerName?: string;
  streamArn?: string;
}): ShardDeliveries => {
  const checkpoints = new CheckpointStore({
    dynamoDBClient,
    tableName: checkpointTableName,
    consumerName,
    streamArn,
  });
  let handled: string | undefined;
  const contextFor = (records: readonly StreamsApiRecord[]): BatchContext => ({
    shardId,
    delivery: 'stream',
    claim: (decide) =>
      checkpoints.claim(shardId, {
        first: sequenceOf(records[0]) ?? '',
        last: sequenceOf(records[records.length - 1]) ?? '',
        handled,
        now: new Date(),
        decide,
      }),
  });
  return {
    shardId,
    contextFor,
    deliver: async (handler, records, { checkpoint = true } = {}) => {
      const result = await handler.processRecords(records, contextFor(records));
      const last = lastHandledOf(records, result);
      if (last !== undefined && checkpoint) {
        handled = last;
        await checkpoints.saveHandled(shardId, { sequenceNumber: last });
      }
      return result;
    },
  };
};
