import { MAX_TRANSACTION_ACTIONS } from '../adapter/constants.js';
import type { Counter } from './counter.js';
import type { PlannedIncrement } from './planIncrements.js';
import { type CounterWindow, toBucket } from './windows.js';

/** Increments of one counter key that go into one transaction: one total update for all of them. */
export interface CounterChunk {
  counter: Counter;
  key: string;
  increments: PlannedIncrement[];
}

/** The chunks that go into one TransactWriteItems call: at most 100 actions, no item twice. */
export type PackedTransaction = CounterChunk[];

export const windowBuckets = (
  chunk: CounterChunk,
): Map<string, { window: CounterWindow; bucket: string; by: bigint }> => {
  const buckets = new Map<string, { window: CounterWindow; bucket: string; by: bigint }>();
  for (const increment of chunk.increments) {
    for (const window of chunk.counter.windows) {
      const bucket = toBucket(window, increment.timestamp);
      const id = `${window}#${bucket}`;
      const existing = buckets.get(id);
      if (existing === undefined) buckets.set(id, { window, bucket, by: BigInt(increment.by) });
      else existing.by += BigInt(increment.by);
    }
  }
  return buckets;
};

/** Total update + one update per window bucket + one ref put per increment. */
export const actionCount = (chunk: CounterChunk): number =>
  1 + windowBuckets(chunk).size + chunk.increments.length;

/**
 * Coalesces a batch's increments: per counter key, one summed update for many refs, and
 * several counter keys packed into transactions of at most 100 actions. The same
 * (counter, key, targetRef) twice in a batch is counted once.
 */
export const packTransactions = (increments: PlannedIncrement[]): PackedTransaction[] => {
  const transactions: PackedTransaction[] = [];
  let current: PackedTransaction = [];
  let currentActions = 0;
  for (const chunk of chunkByCounterKey(dedupe(increments))) {
    const actions = actionCount(chunk);
    // Two chunks of one counter key in one transaction would update the same item twice.
    const sameKeyInside = current.some(
      (other) => other.counter === chunk.counter && other.key === chunk.key,
    );
    if (
      current.length > 0 &&
      (currentActions + actions > MAX_TRANSACTION_ACTIONS || sameKeyInside)
    ) {
      transactions.push(current);
      current = [];
      currentActions = 0;
    }
    current.push(chunk);
    currentActions += actions;
  }
  if (current.length > 0) transactions.push(current);
  return transactions;
};

const dedupe = (increments: PlannedIncrement[]): PlannedIncrement[] => {
  const seen = new Set<string>();
  return increments.filter(({ counter, key, targetRef }) => {
    const id = JSON.stringify([counter.name, key, targetRef]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
};

/** Groups by counter key in order of first appearance, splitting groups that outgrow a transaction. */
const chunkByCounterKey = (increments: PlannedIncrement[]): CounterChunk[] => {
  const open = new Map<string, CounterChunk>();
  const chunks: CounterChunk[] = [];
  for (const increment of increments) {
    const id = JSON.stringify([increment.counter.name, increment.key]);
    let chunk = open.get(id);
    if (
      chunk !== undefined &&
      actionCount({ ...chunk, increments: [...chunk.increments, increment] }) >
        MAX_TRANSACTION_ACTIONS
    ) {
      chunk = undefined;
    }
    if (chunk === undefined) {
      chunk = { counter: increment.counter, key: increment.key, increments: [] };
      open.set(id, chunk);
      chunks.push(chunk);
    }
    chunk.increments.push(increment);
  }
  return chunks;
};
