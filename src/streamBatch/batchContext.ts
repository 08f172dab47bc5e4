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
   * Set on an empty batch by which the stream runner tells of a gap in the shard: records
   * of it were trimmed before they could be read, or its shard expired before it was read to
   * its end (the runner's onRetentionGap says the same), or they went to the runner's
   * onFailure (dead-lettered). Told before any later record of the shard or of its children;
   * kept in the shard's checkpoint until the handler took it, so told again after a restart
   * if need be (taking it twice must be harmless).
   */
  afterGap?: {
    reason: 'CheckpointTrimmed' | 'LatestIteratorExpired' | 'ShardExpired' | 'RecordsDeadLettered';
  };
}
