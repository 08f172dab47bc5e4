import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';

import type { CheckpointStore } from '../checkpoints/index.js';
import { newGap, type UntoldGap } from '../checkpoints/index.js';
import { readRecordFields, recordCreatedAtMs } from '../imageParser/index.js';
import type { ClaimBatch } from '../streamBatch/index.js';

const createdAtOf = (record: StreamsApiRecord): string | undefined => {
  const createdAt = recordCreatedAtMs(record);
  return createdAt === undefined ? undefined : new Date(createdAt).toISOString();
};

/**
 * A shard reader's checkpoint writes: one per batch. A handler that claims its batches
 * (BatchContext.claim: a projection with shardWatermark counters) has the batch's claim
 * carry the checkpoint of the batch before, so the checkpoint after a batch waits for the
 * next claim, or for the reader to go quiet or stop (flush). A handler that does not claim
 * has its checkpoint saved after each batch, as Lambda's mapping does.
 */
export class ShardCheckpointing {
  private last: { sequenceNumber: string; recordCreatedAt?: string } | undefined;
  private unsaved = false;
  private claimedThisBatch = false;

  constructor(
    private readonly checkpoints: CheckpointStore,
    private readonly shardId: string,
    private readonly now: () => Date,
  ) {}

  /** The claim handed over with a batch's records: it carries the checkpoint not saved yet. */
  claimFor = (records: StreamsApiRecord[]): ClaimBatch => {
    const sequenceOf = (record: StreamsApiRecord | undefined) =>
      record === undefined ? '' : (readRecordFields(record).sequenceNumber ?? '');
    return async (decide) => {
      this.claimedThisBatch = true;
      const claim = await this.checkpoints.claim(this.shardId, {
        first: sequenceOf(records[0]),
        last: sequenceOf(records[records.length - 1]),
        handled: this.last?.sequenceNumber,
        ...(this.last?.recordCreatedAt !== undefined
          ? { recordCreatedAt: this.last.recordCreatedAt }
          : {}),
        now: this.now(),
        decide,
      });
      this.unsaved = false; // the claim wrote it
      return claim;
    };
  };

  /**
   * Records handled (or dead-lettered: then saved at once, with the gap the handler must be
   * told of). Returns that gap, if any.
   */
  handled = async (
    lastRecord: StreamsApiRecord,
    failed: number,
  ): Promise<UntoldGap | undefined> => {
    const sequenceNumber = readRecordFields(lastRecord).sequenceNumber ?? '';
    const recordCreatedAt = createdAtOf(lastRecord);
    this.last = {
      sequenceNumber,
      ...(recordCreatedAt !== undefined ? { recordCreatedAt } : {}),
    };
    const deadLettered = failed > 0 ? newGap('RecordsDeadLettered') : undefined;
    const claimed = this.claimedThisBatch;
    this.claimedThisBatch = false;
    if (claimed && deadLettered === undefined) {
      this.unsaved = true;
      return undefined;
    }
    await this.checkpoints.save(this.shardId, {
      ...this.last,
      finished: false,
      ...(deadLettered !== undefined ? { untoldGap: deadLettered } : {}),
    });
    this.unsaved = false;
    return deadLettered;
  };

  /** Saves the checkpoint a claim has not carried yet: the shard went quiet, or the reader stops. */
  flush = async (): Promise<void> => {
    if (!this.unsaved || this.last === undefined) return;
    await this.checkpoints.saveHandled(this.shardId, this.last);
    this.unsaved = false;
  };
}
