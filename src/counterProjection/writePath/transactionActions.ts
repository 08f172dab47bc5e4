import type { Counter } from '../counter.js';
import type { CounterWindow } from '../windows.js';
import type { PlannedIncrement } from './planIncrements.js';

/** Increments of one counter key that go into one transaction: one total update for all of them. */
export interface CounterChunk {
  counter: Counter;
  key: string;
  increments: PlannedIncrement[];
  /** The window buckets its increments fall in, summed: one update each. */
  buckets: Map<string, { window: CounterWindow; bucket: string; by: bigint }>;
}

/** The chunks that go into one TransactWriteItems call: at most 100 actions, no item twice. */
export type PackedTransaction = CounterChunk[];

/** What each action of a transaction stands for, in request order (CancellationReasons use that order). */
export type TransactionAction =
  | { kind: 'total'; chunk: CounterChunk }
  | { kind: 'window'; chunk: CounterChunk; window: CounterWindow; bucket: string; by: bigint }
  | { kind: 'ref'; chunk: CounterChunk; increment: PlannedIncrement };

/** How many actions a chunk makes: its total, one per bucket, one ref per increment. */
export const actionCountOf = (chunk: CounterChunk): number =>
  chunk.increments.length === 0 ? 0 : 1 + chunk.buckets.size + chunk.increments.length;

// A bucket's id in its chunk: its window (by index in the counter's) and the bucket.
const bucketId = (index: number, bucket: string): string => `${index}#${bucket}`;

/** Adds an increment to a chunk, its by to the buckets it falls in: constant work per increment. */
export const addToChunk = (chunk: CounterChunk, increment: PlannedIncrement): void => {
  chunk.increments.push(increment);
  const { buckets } = increment;
  if (buckets.length === 0) return;
  const by = BigInt(increment.by);
  for (let index = 0; index < buckets.length; index++) {
    const bucket = buckets[index] as string;
    const id = bucketId(index, bucket);
    const existing = chunk.buckets.get(id);
    if (existing !== undefined) existing.by += by;
    else
      chunk.buckets.set(id, {
        window: chunk.counter.windows[index] as CounterWindow,
        bucket,
        by,
      });
  }
};

/** The buckets an increment would add to a chunk (0 when they are in it already). */
export const newBucketsOf = (chunk: CounterChunk, increment: PlannedIncrement): number => {
  let added = 0;
  const { buckets } = increment;
  for (let index = 0; index < buckets.length; index++)
    if (!chunk.buckets.has(bucketId(index, buckets[index] as string))) added++;
  return added;
};

/** An action on a counter item (a total, a bucket): what two transactions in flight must not share. */
export type CounterItemAction = Extract<TransactionAction, { kind: 'total' | 'window' }>;

/** A chunk's actions on counter items: its total, then one update per window bucket. */
export const counterItemActions = (chunk: CounterChunk): CounterItemAction[] => {
  if (chunk.increments.length === 0) return [];
  const actions: CounterItemAction[] = [{ kind: 'total', chunk }];
  for (const bucket of chunk.buckets.values()) actions.push({ kind: 'window', chunk, ...bucket });
  return actions;
};

/**
 * The one place that decides a transaction's shape: a chunk is one total update, one
 * update per window bucket its increments fall in (counterItemActions), and one ref put per
 * increment. Packing counts these, the scheduler reads the counter items among them, and
 * buildTransaction turns each into exactly one request item, so the three cannot disagree.
 */
export const chunkActions = (chunk: CounterChunk): TransactionAction[] => {
  const actions: TransactionAction[] = counterItemActions(chunk);
  for (const increment of chunk.increments) actions.push({ kind: 'ref', chunk, increment });
  return actions;
};

/** A chunk of these increments, its buckets summed afresh (after duplicates were dropped). */
export const chunkOf = (
  { counter, key }: Pick<CounterChunk, 'counter' | 'key'>,
  increments: PlannedIncrement[],
): CounterChunk => {
  const chunk: CounterChunk = { counter, key, increments: [], buckets: new Map() };
  for (const increment of increments) addToChunk(chunk, increment);
  return chunk;
};
