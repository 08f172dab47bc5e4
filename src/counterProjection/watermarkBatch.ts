import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

import {
  CounterError,
  isAwsError,
  mapWithConcurrency,
  type RetryOptions,
  withRetry,
} from '../shared/index.js';
import type { BatchContext } from '../streamBatch/index.js';
import type { Counter } from './counter.js';
import { notExactItem, toWatermark } from './countsItems/index.js';
import type { PlannedIncrement } from './writePath/index.js';

// Where a shardWatermark counter may count, and what it does where it may not
// (docs/counters.md, "Idempotency"). The watermark's invariant (watermarkItem.ts) holds
// only for batches that are contiguous runs of one shard: the stream runner's.

const isWatermarkCounter = (counter: Counter): boolean => counter.idempotency === 'shardWatermark';

export const hasWatermarkCounter = (counters: readonly Counter[]): boolean =>
  counters.some(isWatermarkCounter);

/** Refuses, before anything is written, a call that cannot say which shard its records are from. */
export const requireShard = (
  counters: readonly Counter[],
  /** The batch's origin: any, for a rebuild (it counts through refs, marked: watermarkRebuild.ts). */
  batch: BatchContext | { delivery: 'rebuild' } | undefined,
  setting: 'NoShardId' | 'DirectIncrement' = 'NoShardId',
): void => {
  const watermarkCounter = counters.find(isWatermarkCounter);
  if (watermarkCounter === undefined || batch !== undefined) return;
  const details = {
    NoShardId:
      "the batch came without its shard (a Lambda mapping's plain event, or a handler called with records alone).",
    DirectIncrement: 'a direct increment comes from no shard.',
  };
  throw new CounterError('WatermarkRefused', {
    counterName: watermarkCounter.name,
    setting,
    detail: details[setting],
  });
};

/**
 * Gives a record's watermark increments its sequence number, checked: 21 to 40 digits, and
 * after the batch's previous record (a shard's records come in order; anything else is not
 * a contiguous run, and a watermark would skip or recount). Throws WatermarkRefused.
 */
export const stampWatermark = (
  increments: PlannedIncrement[],
  sequenceNumber: string | undefined,
  order: { last?: string },
  /** A rebuilt counter whose rebuild may have counted this record: it goes through refs. */
  throughRefs: (counter: Counter) => boolean = () => false,
): void => {
  const stamped = increments.filter(
    ({ counter }) => isWatermarkCounter(counter) && !throughRefs(counter),
  );
  const first = stamped[0];
  if (first === undefined) return;
  const refuse = (detail: string): never => {
    throw new CounterError('WatermarkRefused', {
      counterName: first.counter.name,
      setting: 'SequenceNumber',
      detail,
    });
  };
  const watermark =
    toWatermark(sequenceNumber) ??
    refuse(`sequence number ${String(sequenceNumber)} is not 21 to 40 digits.`);
  if (order.last !== undefined && watermark <= order.last)
    refuse(
      `sequence number ${String(sequenceNumber)} does not come after the batch's previous one.`,
    );
  order.last = watermark;
  for (const increment of stamped) increment.watermark = watermark;
};

interface MarkContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  retry: RetryOptions;
  shardId: string;
}

/** Marks counters not exact (every read then refuses until rebuilt); a mark keeps its first reason. */
const markNotExact = async (context: MarkContext, counterNames: string[], reason: string) => {
  const since = new Date().toISOString();
  await mapWithConcurrency([...new Set(counterNames)], 4, (counterName) =>
    withRetry(async () => {
      try {
        await context.dynamoDBClient.send(
          new PutItemCommand(
            notExactItem.put({ tableName: context.tableName, counterName, reason, since }),
          ),
        );
      } catch (error) {
        if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
      }
    }, context.retry),
  );
};

/**
 * A replayed dead letter: the shard's watermark has gone past its records, which may or may
 * not be in the count (a dead-lettered batch can have been applied in part). The counters
 * they map to are marked not exact and their increments dropped; the refs counters count
 * the rest as usual. Returns the increments left.
 */
const markReplayNotExact = async (
  increments: PlannedIncrement[],
  context: MarkContext,
): Promise<PlannedIncrement[]> => {
  const touched = increments.filter(({ counter }) => isWatermarkCounter(counter));
  await markNotExact(
    context,
    touched.map(({ counter }) => counter.name),
    `a dead letter of shard ${context.shardId} was replayed after the shard's watermark had passed it`,
  );
  return increments.filter(({ counter }) => !isWatermarkCounter(counter));
};

/**
 * The first batch of a shard after a gap: records were trimmed before they were read, or
 * dead-lettered by the runner, and any shardWatermark counter may have lost some. Every one
 * is marked not exact before the batch counts (a trim is also the runner's onRetentionGap).
 */
const markGapNotExact = (
  counters: readonly Counter[],
  context: MarkContext & { gap: string },
): Promise<void> =>
  markNotExact(
    context,
    counters.filter(isWatermarkCounter).map(({ name }) => name),
    context.gap === 'RecordsDeadLettered'
      ? `records of shard ${context.shardId} failed every retry and went to the runner's dead letter (onFailure): the watermark has passed them`
      : `records of shard ${context.shardId} were trimmed by the stream's retention before they were read (${context.gap})`,
  );

/**
 * What a batch's delivery means for shardWatermark counters, before anything is committed:
 * after a retention gap they are marked not exact; a replayed dead letter marks those it
 * touches and drops their increments. Returns the increments to commit.
 */
export const markForDelivery = async (
  increments: PlannedIncrement[],
  context: Omit<MarkContext, 'shardId'> & { counters: readonly Counter[] },
  batch: BatchContext | { delivery: 'rebuild' } | undefined,
): Promise<PlannedIncrement[]> => {
  if (batch?.delivery === 'stream' && batch.afterGap !== undefined)
    await markGapNotExact(context.counters, {
      ...context,
      shardId: batch.shardId,
      gap: batch.afterGap.reason,
    });
  return batch?.delivery === 'replay'
    ? markReplayNotExact(increments, { ...context, shardId: batch.shardId })
    : increments;
};
