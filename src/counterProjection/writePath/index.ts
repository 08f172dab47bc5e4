// The counter write path, in the order a batch takes it: plan each event's increments
// (planIncrements), group them per counter item into transactions of at most 100 actions
// (transactionActions, packTransactions), run the transactions of a batch without two on
// one item at once (runTransactions), and commit each: the request with its ref
// conditions (buildTransaction, refShard) and its retries (commitTransaction).
export { commitBatch, type CommitBatchOutcome, failAt } from './commitBatch.js';
export { commitTransaction } from './commitTransaction.js';
export { packTransactions } from './packTransactions.js';
export {
  isBoundedString,
  MAX_KEY_BYTES,
  planIncrements,
  type PlannedIncrement,
  toIncrement,
} from './planIncrements.js';
export { runTransactions } from './runTransactions.js';
