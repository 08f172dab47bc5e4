import { CounterError } from '../../shared/index.js';
import { COUNTS_ATTRIBUTES, type CountsImage, shardMarkOf } from '../countsItems/index.js';
import type { MarkRun } from './markRuns.js';

/** Why an item refused a run (its condition, read from the item as it was). */
export type Refusal =
  /** The shard's records up to `through` are in the item already: a redelivery, or another runner was first. */
  | { kind: 'applied'; through: bigint }
  /** The item forgot the marks of records created at or before `floor`: older ones cannot be told apart. */
  | { kind: 'tooOld'; floor: number }
  /** Counted another way, or under a rebuild this batch has not seen: the run fails. */
  | { kind: 'failed'; error: (run: MarkRun) => CounterError };

const numberOf = (image: CountsImage | undefined, name: keyof typeof COUNTS_ATTRIBUTES) => {
  const value = image?.[COUNTS_ATTRIBUTES[name]]?.N;
  return typeof value === 'string' ? Number(value) : undefined;
};
const stringOf = (image: CountsImage | undefined, name: keyof typeof COUNTS_ATTRIBUTES) => {
  const value = image?.[COUNTS_ATTRIBUTES[name]]?.S;
  return typeof value === 'string' ? value : undefined;
};

/**
 * Reads a refusal: the clauses of watermarkedUpdate's condition, checked against the item as
 * it was, in order. A mark at or past the run's first record is the common one.
 */
export const refusalOf = (
  item: CountsImage | undefined,
  run: { shardId: string; first: bigint; rebuildId: string | undefined; oldestCreatedAt: number },
): Refusal => {
  const mark = shardMarkOf(item, run.shardId);
  if (mark !== undefined && mark.sequenceNumber >= run.first)
    return { kind: 'applied', through: mark.sequenceNumber };
  const floor = numberOf(item, 'markFloor');
  if (floor !== undefined && floor >= run.oldestCreatedAt) return { kind: 'tooOld', floor };
  const idempotency = stringOf(item, 'idempotency');
  if (item?.[COUNTS_ATTRIBUTES.count] !== undefined && idempotency !== 'shardWatermark')
    return {
      kind: 'failed',
      error: ({ counter, key }) =>
        new CounterError('CounterShardsChanged', {
          counterName: counter.name,
          key,
          refShards: counter.refShards,
        }),
    };
  const rebuildId = stringOf(item, 'rebuildId');
  return {
    kind: 'failed',
    error: ({ counter, key }) =>
      new CounterError('WatermarkRefused', {
        counterName: counter.name,
        setting: 'Rebuild',
        detail: `key ${JSON.stringify(key)} was counted under a rebuild (${String(rebuildId)}) this batch had not seen: it is delivered again and counted as the rebuild's mark says.`,
      }),
  };
};
