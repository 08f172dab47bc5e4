// A stream consumer's checkpoint table: per (consumer, stream, shard) the last record handled,
// where a LATEST start begins, the gaps its handler must still be told of, and the claims by
// which a handler decides each record once (shardClaim.ts). The stream runner keeps it; the
// testing entry's shard deliveries claim in it as the runner does. It needs no Streams client.
export { type GapReason, newGap, type UntoldGap } from './checkpointGaps.js';
export { checkpointPartitionKey, CONSUMER_SORT_KEY } from './checkpointKeys.js';
export {
  CheckpointStore,
  type ConsumerStart,
  type ShardCheckpoint,
  toCheckpoint,
} from './checkpointStore.js';
export type { ClaimRequest } from './shardClaim.js';
