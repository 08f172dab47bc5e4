// The projection spec is published (`castore-dynamodb-counter/testing`): the tests use it
// as users do.
export {
  asOneLambdaBatch,
  type Delivery,
  type ExpectedCounts,
  given,
  inBatchesOf,
} from '../../src/testing/index.js';
