import type { AttributeValue } from '@aws-sdk/client-dynamodb';

import { gapAttributes, gapOf, type UntoldGap } from './checkpointGaps.js';

// A shard's checkpoint item, beside its keys (checkpointKeys.ts):
//   sequenceNumber, recordCreatedAt   the last record handled, and when it was written
//   finished                          closed and wholly handled: its children may be read
//   readingSince                      when a runner began reading it with nothing handled (shardReader.ts)
//   latestIterator, latestTakenAt, latestFirst   a LATEST start (latestAnchor.ts)
//   untoldGap, untoldGapId            a gap the handler must still be told (checkpointGaps.ts)
//   decided, decidedAt                the last record a handler's claim decided (shardClaim.ts)
// Writers update the attributes they own and keep the others.

/** What the runner remembers of a shard: the last record handled, never an iterator alone (they expire). */
export interface ShardCheckpoint {
  sequenceNumber?: string;
  /** The shard is closed and every record of it was handled: its children may be read. */
  finished: boolean;
  /** When the last handled record was written (its ApproximateCreationDateTime): `status` ages it. */
  recordCreatedAt?: string;
  /**
   * Where LATEST pointed when the consumer first started, before any record of the shard
   * was handled: resumed from while it lives (15 minutes), so that a restart does not
   * take LATEST again and skip what was written meanwhile.
   */
  latest?: {
    iterator: string;
    takenAt: string;
    /**
     * The first record handed over from it, fixed by the first runner to hand one before
     * it does (anchorLatest): every runner, and any restart, starts there, so that none
     * hands over a record before it (a shard watermark would drop it as counted).
     */
    first?: string;
  };
  /** A gap the handler must still be told of before anything more of the shard (checkpointGaps.ts). */
  untoldGap?: UntoldGap;
  /**
   * When a runner began reading the shard from TRIM_HORIZON with no checkpoint (the
   * runner's clock): a start with still nothing handled a day later may have lost records
   * to the retention unread (shardReader.ts).
   */
  readingSince?: string;
}

/** The checkpoint's attributes, for an item that does not exist yet (a consumer's first start). */
export const toItem = (checkpoint: ShardCheckpoint): Record<string, AttributeValue> => ({
  ...(checkpoint.sequenceNumber !== undefined
    ? { sequenceNumber: { S: checkpoint.sequenceNumber } }
    : {}),
  ...(checkpoint.recordCreatedAt !== undefined
    ? { recordCreatedAt: { S: checkpoint.recordCreatedAt } }
    : {}),
  ...(checkpoint.latest !== undefined
    ? {
        latestIterator: { S: checkpoint.latest.iterator },
        latestTakenAt: { S: checkpoint.latest.takenAt },
        ...(checkpoint.latest.first !== undefined
          ? { latestFirst: { S: checkpoint.latest.first } }
          : {}),
      }
    : {}),
  ...gapAttributes(checkpoint.untoldGap),
  ...(checkpoint.readingSince !== undefined
    ? { readingSince: { S: checkpoint.readingSince } }
    : {}),
  finished: { BOOL: checkpoint.finished },
  updatedAt: { S: new Date().toISOString() },
});

/** The update that saves a checkpoint into an item that may hold more (a claim, a gap): SET only. */
export const checkpointSave = (checkpoint: ShardCheckpoint) => {
  const attributes = toItem(checkpoint);
  const names = Object.keys(attributes);
  return {
    UpdateExpression: `SET ${names.map((_, index) => `#a${index} = :a${index}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#a${index}`, name])),
    ExpressionAttributeValues: Object.fromEntries(
      names.map((name, index) => [`:a${index}`, attributes[name] as AttributeValue]),
    ),
  };
};

/**
 * The update that starts the shard's reading time again, once a gap told covers what was
 * trimmed before: SET readingSince only (never finished: another runner may have finished it).
 */
export const readingSinceSave = (readingSince: string) => ({
  UpdateExpression: 'SET readingSince = :since',
  ExpressionAttributeValues: { ':since': { S: readingSince } },
});

export const toCheckpoint = (item: Record<string, AttributeValue>): ShardCheckpoint => ({
  ...(item.sequenceNumber?.S !== undefined ? { sequenceNumber: item.sequenceNumber.S } : {}),
  ...(item.recordCreatedAt?.S !== undefined ? { recordCreatedAt: item.recordCreatedAt.S } : {}),
  ...(item.latestIterator?.S !== undefined
    ? {
        latest: {
          iterator: item.latestIterator.S,
          takenAt: item.latestTakenAt?.S ?? '',
          ...(item.latestFirst?.S !== undefined ? { first: item.latestFirst.S } : {}),
        },
      }
    : {}),
  ...gapOf(item),
  ...(item.readingSince?.S !== undefined ? { readingSince: item.readingSince.S } : {}),
  finished: item.finished?.BOOL === true,
});
