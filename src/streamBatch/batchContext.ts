/**
 * Where a batch comes from: what the stream runner knows and Lambda's plain event does not
 * say. A handler that keeps per-shard state (a counter's shard watermark) needs it.
 */
export interface BatchContext {
  /** The shard the batch was read from: its records are a contiguous run of it, in order. */
  shardId: string;
  /** `stream`: read from the stream; `replay`: a dead-lettered batch handed over again, later. */
  delivery: 'stream' | 'replay';
  /**
   * Set on the first batch of a shard after a gap: records of the shard before it were
   * trimmed before they could be read (the stream runner's onRetentionGap says the same), or
   * went to the runner's onFailure (dead-lettered; the runner then tells the handler at once,
   * with an empty batch, so that a quiet or closed shard does not keep it unsaid).
   */
  afterGap?: { reason: 'CheckpointTrimmed' | 'LatestIteratorExpired' | 'RecordsDeadLettered' };
}
