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
  for (const chunk of chunkByCounterKey(increments)) {
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

/** A counter key's open chunk, and the targetRefs it has seen in the batch (in any of its chunks). */
interface KeyGroup {
  open: CounterChunk;
  targetRefs: Set<string>;
}

const newChunk = ({ counter, key }: PlannedIncrement, chunks: CounterChunk[]): CounterChunk => {
  const chunk: CounterChunk = { counter, key, increments: [], buckets: new Map() };
  chunks.push(chunk);
  return chunk;
};

/**
 * Groups by counter key in order of first appearance, splitting groups that outgrow a
 * transaction; the same (counter, key, targetRef) twice is counted once (the first). Keyed
 * by counter name, then key, then targetRef, each a map of its own: no id string built per
 * increment.
 */
const chunkByCounterKey = (increments: PlannedIncrement[]): CounterChunk[] => {
  const groups = new Map<string, Map<string, KeyGroup>>();
  const chunks: CounterChunk[] = [];
  for (const increment of increments) {
    const { name } = increment.counter;
    let byKey = groups.get(name);
    if (byKey === undefined) groups.set(name, (byKey = new Map<string, KeyGroup>()));
    let group = byKey.get(increment.key);
    if (group === undefined)
      byKey.set(
        increment.key,
        (group = { open: newChunk(increment, chunks), targetRefs: new Set() }),
      );
    if (group.targetRefs.has(increment.targetRef)) continue;
    group.targetRefs.add(increment.targetRef);
    const chunk = group.open;
    if (actionCountOf(chunk) + 1 + newBucketsOf(chunk, increment) > MAX_TRANSACTION_ACTIONS)
      group.open = newChunk(increment, chunks);
    addToChunk(group.open, increment);
  }
  return chunks;
};
