import { CounterError } from '../../shared/index.js';
import type { BatchContext } from '../../streamBatch/index.js';
import type { Counter } from '../counter.js';

// Where a shardWatermark counter may count, and what it does where it may not
// (docs/counters.md, "Idempotency"). The marks' invariant (countsItems/watermarkedUpdate.ts)
// holds only for batches that are contiguous runs of one shard, claimed: the stream runner's.

export const isWatermarkCounter = (counter: Counter): boolean =>
  counter.idempotency === 'shardWatermark';

export const hasWatermarkCounter = (counters: readonly Counter[]): boolean =>
  counters.some(isWatermarkCounter);

/** Where a batch comes from; `rebuild`: the event table read by a rebuild (refs only, marked). */
export type Delivery = BatchContext | { delivery: 'rebuild'; shardId?: undefined };

const DETAILS = {
  NoShardId:
    "the batch came without its shard (a Lambda mapping's plain event, or a handler called with records alone; in tests, deliver with castore-dynamodb-counter/testing's asShardRuns or shardDeliveries).",
  NoClaim:
    "the stream batch came without the stream runner's claim (BatchContext.claim), which decides each record once, whatever redelivers it: pass the runner's context on as it is, or use castore-dynamodb-counter/testing's shard deliveries in tests.",
  DirectIncrement: 'a direct increment comes from no shard.',
} as const;

/** Refuses, before anything is written, a call that cannot say which shard (and claim) its records are from. */
export const requireShard = (
  counters: readonly Counter[],
  batch: Delivery | undefined,
  {
    setting = 'NoShardId',
    records = 1,
  }: { setting?: 'NoShardId' | 'DirectIncrement'; records?: number } = {},
): void => {
  const watermarkCounter = counters.find(isWatermarkCounter);
  if (watermarkCounter === undefined) return;
  // An empty stream batch (a gap told alone) decides nothing: it needs no claim.
  const refused =
    batch === undefined
      ? setting
      : batch.delivery === 'stream' && batch.claim === undefined && records > 0
        ? 'NoClaim'
        : undefined;
  if (refused === undefined) return;
  throw new CounterError('WatermarkRefused', {
    counterName: watermarkCounter.name,
    setting: refused,
    detail: DETAILS[refused],
  });
};
