import { MAX_TRANSACTION_ACTIONS } from '../../adapter/index.js';
import type { PlannedIncrement } from './planIncrements.js';
import {
  actionCountOf,
  addToChunk,
  type CounterChunk,
  newBucketsOf,
  type PackedTransaction,
} from './transactionActions.js';

/**
 * Coalesces a batch's increments: per counter key, one summed update for many refs, and
 * several counter keys packed into transactions of at most 100 actions. The same
 * (counter, key, targetRef) twice in a batch is counted once. Linear in the increments:
 * each is looked at once, its chunk's action count kept as it grows.
 */
export const packTransactions = (increments: PlannedIncrement[]): PackedTransaction[] => {
  const transactions: PackedTransaction[] = [];
  let current: PackedTransaction = [];
  let currentActions = 0;
  let keysInside = new Set<string>();
  for (const chunk of chunkByCounterKey(dedupe(increments))) {
    const actions = actionCountOf(chunk);
    const id = chunkId(chunk);
    // Two chunks of one counter key in one transaction would update the same item twice.
    if (
      current.length > 0 &&
      (currentActions + actions > MAX_TRANSACTION_ACTIONS || keysInside.has(id))
    ) {
      transactions.push(current);
      current = [];
      currentActions = 0;
      keysInside = new Set();
    }
    current.push(chunk);
    currentActions += actions;
    keysInside.add(id);
  }
  if (current.length > 0) transactions.push(current);
  return transactions;
};

// Length-prefixed: a key may hold any character, and two ids must never meet.
const chunkId = ({ counter, key }: { counter: { name: string }; key: string }): string =>
  `${counter.name.length}:${counter.name}${key.length}:${key}`;

const dedupe = (increments: PlannedIncrement[]): PlannedIncrement[] => {
  const seen = new Set<string>();
  return increments.filter(({ counter, key, targetRef }) => {
    const id = `${chunkId({ counter, key })}${targetRef}`;
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
    const id = chunkId(increment);
    let chunk = open.get(id);
    if (
      chunk !== undefined &&
      actionCountOf(chunk) + 1 + newBucketsOf(chunk, increment) > MAX_TRANSACTION_ACTIONS
    )
      chunk = undefined;
    if (chunk === undefined) {
      chunk = {
        counter: increment.counter,
        key: increment.key,
        increments: [],
        buckets: new Map(),
      };
      open.set(id, chunk);
      chunks.push(chunk);
    }
    addToChunk(chunk, increment);
  }
  return chunks;
};
