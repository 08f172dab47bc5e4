// The `/testing` entry: specify a projection as given(records).when(projection)
// .thenCounts(counts), build stream records from events, deliver a shard's records as the
// stream runner does (what shardWatermark counters need), start a DynamoDB Local.
export {
  asOneLambdaBatch,
  asShardRuns,
  type Delivery,
  eventRecord,
  eventRecords,
  type ExpectedCounts,
  given,
  inBatchesOf,
  type LocalDynamoDB,
  type ProjectionUnderTest,
  sequenceNumberOf,
  type ShardDeliveries,
  shardDeliveries,
  type ShardHandler,
  startLocalDynamoDB,
  toLambdaRecord,
} from '../testing/index.js';
