import type { Counter } from '../counter.js';
import { type CounterWindow, toBucket } from '../windows.js';
import type { PlannedIncrement } from './planIncrements.js';

/** Increments of one counter key that go into one transaction: one total update for all of them. */
export interface CounterChunk {
  counter: Counter;
  key: string;
  increments: PlannedIncrement[];
  /** The shard its records come from: set for a shardWatermark counter's chunk. */
  shardId?: string;
}

/** The chunks that go into one TransactWriteItems call: at most 100 actions, no item twice. */
export type PackedTransaction = CounterChunk[];

/** What each action of a transaction stands for, in request order (CancellationReasons use that order). */
export type TransactionAction =
  | { kind: 'watermark'; chunk: CounterChunk }
  | { kind: 'total'; chunk: CounterChunk }
  | { kind: 'window'; chunk: CounterChunk; window: CounterWindow; bucket: string; by: bigint }
  | { kind: 'ref'; chunk: CounterChunk; increment: PlannedIncrement };

/**
 * The one place that decides a transaction's shape: a chunk is one total update, one
 * update per window bucket its increments fall in, and one ref put per increment (for a
 * shardWatermark counter: the shard's watermark update instead of the refs). Packing
 * counts these, the scheduler reads the counter items among them, and buildTransaction
 * turns each into exactly one request item, so the three cannot disagree.
 */
export const chunkActions = (chunk: CounterChunk): TransactionAction[] => {
  if (chunk.increments.length === 0) return [];
  // A shardWatermark counter's chunk from a shard; without one (a record set aside, counted
  // later) it is counted through refs like any other.
  if (chunk.shardId !== undefined)
    return [{ kind: 'watermark', chunk }, { kind: 'total', chunk }, ...windowActions(chunk)];
  return [
    { kind: 'total', chunk },
    ...windowActions(chunk),
    ...chunk.increments.map((increment) => ({ kind: 'ref' as const, chunk, increment })),
  ];
};

const windowActions = (chunk: CounterChunk): TransactionAction[] => {
  const buckets = new Map<string, TransactionAction & { kind: 'window' }>();
  for (const increment of chunk.increments) {
    for (const window of chunk.counter.windows) {
      const bucket = toBucket(window, increment.timestamp);
      const id = `${window}#${bucket}`;
      const existing = buckets.get(id);
      if (existing === undefined)
        buckets.set(id, { kind: 'window', chunk, window, bucket, by: BigInt(increment.by) });
      else existing.by += BigInt(increment.by);
    }
  }
  return [...buckets.values()];
};
