import { MAX_TRANSACTION_ACTIONS } from '../../adapter/index.js';
import type { PlannedIncrement } from './planIncrements.js';
import { chunkActions, type CounterChunk, type PackedTransaction } from './transactionActions.js';

const actionCount = (chunk: CounterChunk): number => chunkActions(chunk).length;

/**
 * Coalesces a batch's increments: per counter key, one summed update for many refs, and
 * several counter keys packed into transactions of at most 100 actions. The same
 * (counter, key, targetRef) twice in a batch is counted once.
 */
export const packTransactions = (
  increments: PlannedIncrement[],
  /** The batch's shard: what a shardWatermark counter's chunks advance. */
  shardId?: string,
): PackedTransaction[] => {
  const transactions: PackedTransaction[] = [];
  let current: PackedTransaction = [];
  let currentActions = 0;
  for (const chunk of chunkByCounterKey(dedupe(increments), shardId)) {
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
const chunkByCounterKey = (
  increments: PlannedIncrement[],
  shardId: string | undefined,
): CounterChunk[] => {
  const open = new Map<string, CounterChunk>();
  const chunks: CounterChunk[] = [];
  for (const increment of increments) {
    // A watermark counter's increment goes through refs when it has no watermark (a rebuild,
    // a record set aside): the two never share a chunk.
    const viaWatermark = increment.watermark !== undefined;
    const id = JSON.stringify([increment.counter.name, increment.key, viaWatermark]);
    let chunk = open.get(id);
    if (
      chunk !== undefined &&
      actionCount({ ...chunk, increments: [...chunk.increments, increment] }) >
        MAX_TRANSACTION_ACTIONS
    ) {
      chunk = undefined;
    }
    if (chunk === undefined) {
      chunk = {
        counter: increment.counter,
        key: increment.key,
        increments: [],
        ...(viaWatermark && shardId !== undefined ? { shardId } : {}),
      };
      open.set(id, chunk);
      chunks.push(chunk);
    }
    chunk.increments.push(increment);
  }
  return chunks;
};
