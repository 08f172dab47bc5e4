import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';

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
  /**
   * The stream runner's record of who decided what of the shard (stream deliveries): see
   * ClaimBatch. A handler whose decisions must be made once per record, whatever redelivers
   * it (a shard watermark that sets records aside), claims its batch before it writes.
   */
  claim?: ClaimBatch;
}

/**
 * Claims the batch (the records of this delivery) for the handler, in the consumer's
 * checkpoint, before the handler writes anything of it. `decide` is called with the last
 * record an earlier claim decided (undefined when none): it returns what the handler
 * decided of the records after it (writes made in the same transaction as the claim, so that
 * the decisions and the claim are durable together, or neither) and, when it decides less
 * than the whole batch, the last record it decides. Resolves to what earlier deliveries did
 * with the records of this batch.
 */
export type ClaimBatch = (
  decide: (decidedThrough: string | undefined) => ClaimDecisions,
) => Promise<BatchClaim>;

/** What a handler decided of a batch's records after those decided before: written with the claim. */
export interface ClaimDecisions {
  writes: TransactWriteItem[];
  /**
   * The last record decided (default: the batch's last); the records after it are not
   * claimed. null: none of the records undecided before (the first of them cannot be decided).
   */
  through?: string | null;
}

/** What earlier deliveries of the shard did with the records of a claimed batch. */
export interface BatchClaim {
  /**
   * Records at or below it were handled before, their handler's answer received (applied,
   * set aside or skipped): nothing is to be done with them again.
   */
  handledThrough?: string;
  /**
   * Records at or below it (and after handledThrough) were decided by an earlier claim whose
   * handling may still be under way, or may have stopped half-way.
   */
  decidedThrough?: string;
  /** When that earlier claim was made (ISO time, by its runner's clock). */
  decidedAt?: string;
  /**
   * A gap (its reason) that a runner of the consumer saved in the shard's checkpoint and has
   * not told yet (another task of a deployment, stopped before it could): records after it
   * must not be counted as if it were not there. The handler treats the batch as after a gap.
   */
  untoldGap?: string;
}
