// The stream-batch shell: what any handler of a DynamoDB stream batch shares, whatever it
// does to a record (count it, react to it): items in order, the cut at the first failure,
// and the answer to Lambda (as Powertools' processPartialResponse is to its users).
export {
  answerLambda,
  type AnswerLambdaOptions,
  REPORT_BATCH_ITEM_FAILURES_ENV,
} from './answerLambda.js';
export type { BatchClaim, BatchContext, ClaimBatch, ClaimDecisions } from './batchContext.js';
export { type BatchFates, type BatchResult, errorCodeOf, failedFrom } from './batchResult.js';
export { type ItemsInOrderResult, processItemsInOrder } from './processItemsInOrder.js';
