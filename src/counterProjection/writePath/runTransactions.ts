import { counterItemActions, type PackedTransaction } from './transactionActions.js';

/**
 * The counter items a transaction updates (its refs are distinct by construction). On AWS,
 * two transactions that touch one item at the same time cancel each other with
 * TransactionConflict, so these are what must never be shared by two in flight.
 */
export const sharedItemsOf = (transaction: PackedTransaction): string[] => {
  const items: string[] = [];
  for (const chunk of transaction) {
    const { name } = chunk.counter;
    // Length-prefixed, so that no two items share an id (a key may hold any character).
    const item = `${name.length}:${name}${chunk.key.length}:${chunk.key}`;
    for (const action of counterItemActions(chunk))
      items.push(
        action.kind === 'total' ? `T${item}` : `W${item}${action.window}#${action.bucket}`,
      );
  }
  return items;
};

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
