import { chunkActions, type PackedTransaction } from './transactionActions.js';

/**
 * The counter items a transaction updates (its refs are distinct by construction). On AWS,
 * two transactions that touch one item at the same time cancel each other with
 * TransactionConflict, so these are what must never be shared by two in flight.
 */
export const sharedItemsOf = (transaction: PackedTransaction): string[] =>
  transaction.flatMap(chunkActions).flatMap((action) => {
    const { name } = action.chunk.counter;
    // Length-prefixed, so that no two items share an id (a key may hold any character).
    const item = `${name.length}:${name}${action.chunk.key.length}:${action.chunk.key}`;
    if (action.kind === 'total') return [`T${item}`];
    if (action.kind === 'window') return [`W${item}${action.window}#${action.bucket}`];
    return []; // refs are distinct by construction
  });

/**
 * Runs the transactions at most `concurrency` at a time, in order, except that a
 * transaction waits while another in flight shares one of its counter items: the chunks of
 * a hot counter key go one after the other while other keys go on beside them.
 */
export const runTransactions = async (
  transactions: PackedTransaction[],
  concurrency: number,
  run: (transaction: PackedTransaction) => Promise<void>,
): Promise<void> => {
  const pending = transactions.map((transaction) => ({
    transaction,
    items: sharedItemsOf(transaction),
  }));
  const busyItems = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  while (pending.length > 0 || inFlight.size > 0) {
    const nextIndex =
      inFlight.size < concurrency
        ? pending.findIndex(({ items }) => items.every((item) => !busyItems.has(item)))
        : -1;
    if (nextIndex === -1) {
      // Nothing may start now: wait for one in flight to end (run never rejects here).
      await Promise.race(inFlight);
      continue;
    }
    const [next] = pending.splice(nextIndex, 1) as [(typeof pending)[number]];
    for (const item of next.items) busyItems.add(item);
    const running: Promise<void> = run(next.transaction).finally(() => {
      for (const item of next.items) busyItems.delete(item);
      inFlight.delete(running);
    });
    inFlight.add(running);
  }
};
