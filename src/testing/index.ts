// Helpers for testing an application's counters: its projection specified as
// given(records).when(projection).thenCounts(counts), stream records as the adapter's
// table emits them, and a DynamoDB Local to run them against. The `/testing` entry.
export { eventRecord, eventRecords, sequenceNumberOf, toLambdaRecord } from './eventRecord.js';
export { type LocalDynamoDB, startLocalDynamoDB } from './localServer.js';
export {
  asOneLambdaBatch,
  asShardRuns,
  type Delivery,
  type ExpectedCounts,
  given,
  inBatchesOf,
  type ProjectionUnderTest,
} from './projectionSpec.js';
export { type ShardDeliveries, shardDeliveries, type ShardHandler } from './shardDeliveries.js';
