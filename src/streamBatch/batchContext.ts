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
   * Set on the first batch of a shard after a retention gap: records of the shard before it
   * were trimmed before they could be read (the stream runner's onRetentionGap says the same).
   */
  afterGap?: { reason: 'CheckpointTrimmed' | 'LatestIteratorExpired' };
}
