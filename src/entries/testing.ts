// The `/testing` entry: specify a projection as given(records).when(projection)
// .thenCounts(counts), build stream records from events, start a DynamoDB Local.
export {
  asOneLambdaBatch,
  type Delivery,
  eventRecord,
  eventRecords,
  type ExpectedCounts,
  given,
  inBatchesOf,
  type LocalDynamoDB,
  type ProjectionUnderTest,
  sequenceNumberOf,
  startLocalDynamoDB,
  toLambdaRecord,
} from '../testing/index.js';
